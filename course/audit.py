"""Build the audit page: every responsibility cell of every service, with its owner, reason
code, the deciding quote and source, and when it was last reviewed, so that anyone can review
the whole matrix in one sitting; facts that depend on a date are listed first.

Usage: python -m course.audit -o docs/audit.html"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

from . import content, pages


def cells() -> list[dict[str, Any]]:
    """One row per (service, item), services by name and items bottom of the stack first."""
    items, services = content.items(), content.services()
    return [{"service": service, "item": items[item_id], **service["responsibilities"][item_id]}
            for service in sorted(services.values(), key=lambda s: s["name"].lower())
            for item_id in items]


def render() -> str:
    """The page as HTML; the same data always gives the same bytes (no timestamps)."""
    rows = cells()
    services = sorted(content.services().values(), key=lambda s: s["name"].lower())
    return pages.render(
        "audit.html.j2",
        rows=rows, services=services, items=content.items(), parties=content.parties(),
        reasons=content.reasons(), volatile=content.volatile_facts(),
        volatile_checks=[check for check in content.questions().values() if "volatile" in check],
        owners=Counter(row["owner"] for row in rows),
        by_reason=Counter(row["reason"] for row in rows),
        quoted=sum("quote" in row for row in rows),
        contested=sum("contested" in row for row in rows),
        oldest=min(row["reviewed"] for row in rows),
        newest=max(row["reviewed"] for row in rows))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=Path("audit.html"),
                        help="where to write the page (default: audit.html)")
    args = parser.parse_args(argv)
    args.output.write_text(render(), encoding="utf-8")
    print(f"{args.output}: {len(cells())} cells")


if __name__ == "__main__":
    main()
