"""How long the test suite takes, file by file, from the JUnit XML that pytest writes.

    ./run test --junitxml=/tmp/suite.xml          # the whole suite (two workers)
    .venv/bin/python benchmarks/suite.py /tmp/suite.xml
    .venv/bin/python benchmarks/suite.py /tmp/before.xml /tmp/after.xml   # side by side
    .venv/bin/python benchmarks/suite.py /tmp/suite.xml --write tests/durations.json

A file's seconds are the sum of its tests' setup, call and teardown (its module fixtures
included), whichever worker ran them; the suite's wall time is pytest's own figure.
``--write`` records the seconds per file that tests/conftest.py orders the files by
(longest first), from the last XML given. Prints figures only: nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path


def per_file(report: Path) -> tuple[dict[str, float], float]:
    """Seconds per test file, and the run's wall time, from one JUnit XML report."""
    root = ET.parse(report).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    seconds: dict[str, float] = defaultdict(float)
    for case in suite.iter("testcase"):
        module = case.get("classname", "").split(".")
        name = next((part for part in module if part.startswith("test_")), module[-1])
        seconds[f"{name}.py"] += float(case.get("time", 0))
    return dict(seconds), float(suite.get("time", 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reports", nargs="+", type=Path, help="JUnit XML files (pytest --junitxml)")
    parser.add_argument("--write", type=Path, help="write the last report's seconds per file")
    args = parser.parse_args()
    runs = [per_file(report) for report in args.reports]
    files = sorted({name for seconds, _ in runs for name in seconds},
                   key=lambda name: -runs[-1][0].get(name, 0))
    print(f"{'file':34}" + "".join(f"{report.name[-14:]:>16}" for report in args.reports))
    for name in files:
        print(f"{name:34}" + "".join(f"{seconds.get(name, 0):15.1f}s" for seconds, _ in runs))
    print(f"{'sum of the files':34}" + "".join(f"{sum(s.values()):15.1f}s" for s, _ in runs))
    print(f"{'wall time':34}" + "".join(f"{wall:15.1f}s" for _, wall in runs))
    if args.write:
        seconds = {name: round(value) for name, value in sorted(runs[-1][0].items())}
        args.write.write_text(json.dumps(seconds, indent=1) + "\n")
        print(f"wrote {args.write}")


if __name__ == "__main__":
    main()
