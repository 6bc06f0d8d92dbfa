"""One student cannot starve another (issue 10, finding 3): a kernel holding 500
processes while two honest students are graded on the same machine. Each kernel runs as
a user id of its own (SandboxProvisioner.first_uid), so the 512-process limit counts
one student's processes only. With every kernel as one user (first_uid = 0, the old
behaviour), the honest kernels cannot start: the control case shows the test can fail."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from course_copy import BIN, CourseCopy, require_root, require_sandbox, with_answers_as_code

pytestmark = pytest.mark.pipeline

ASSIGNMENT = "01-model"
HELD = 500
MARK = "4242.5"  # sleep's argument: tells the hog's processes from anyone else's
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
PERFECT = {"cp-01-rds-engine": "AWS"}

HOG = f'''
import subprocess, time
held = []
for _ in range({HELD}):
    try:
        held.append(subprocess.Popen(["sleep", "{MARK}"]))
    except OSError as error:
        print("stopped at", len(held), error)
        break
deadline = time.monotonic() + 100  # held until the test ends them (or 100 s)
while any(process.poll() is None for process in held) and time.monotonic() < deadline:
    time.sleep(0.2)
'''


def hog_pids() -> list[int]:
    """Processes on this machine that the hog started."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if (entry / "cmdline").read_bytes() == f"sleep\0{MARK}\0".encode():
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def held() -> int:
    return len(hog_pids())


def release_hog() -> None:
    """End the hog's processes, so that its notebook ends now instead of after 100 s."""
    for pid in hog_pids():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def course_with(root: Path, submissions: dict, first_uid: int) -> CourseCopy:
    course = CourseCopy(root)
    with open(course.root / "nbgrader_config.py", "a") as file:
        file.write(f"\nc.SandboxProvisioner.first_uid = {first_uid}\n"
                   "c.Execute.timeout = 150\n")
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    release = course.notebook("release", ASSIGNMENT)
    for student, cells in submissions.items():
        notebook = with_answers_as_code(release, PERFECT)
        notebook["cells"][2:2] = [{"cell_type": "code", "execution_count": None,
                                   "metadata": {}, "outputs": [], "source": cell}
                                  for cell in cells]
        for cell in notebook["cells"]:
            cell.pop("id", None)
        notebook["nbformat_minor"] = 4
        course.submit(student, ASSIGNMENT, notebook)
    return course


def grade(course: CourseCopy, jobs: int) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "course-grade"), ASSIGNMENT, "--quiet", "--jobs",
                             str(jobs), "--always-run"], cwd=course.root, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize(("first_uid", "exact"), [(2_100_000_000, True), (0, False)],
                         ids=["a-uid-per-kernel", "control-one-shared-user"])
def test_a_process_hog_does_not_starve_honest_students(tmp_path: Path, first_uid: int,
                                                       exact: bool):
    """While a student's kernel holds 500 processes, do two honest students (graded by
    another process on the same machine) score exactly their answers?"""
    require_sandbox()
    require_root("kernel user ids need a grader running as root")
    hog = course_with(tmp_path / "hog", {"hog": [HOG]}, first_uid)
    honest = course_with(tmp_path / "honest", {"honest-1": [], "honest-2": []}, first_uid)
    hogging = grade(hog, 1)
    try:
        while held() < HELD - 20 and hogging.poll() is None:
            time.sleep(0.5)
        assert hogging.poll() is None, hogging.communicate()
        done = grade(honest, 2)
        out, err = done.communicate(timeout=600)
        assert held() >= HELD - 20  # the hog still held its processes throughout
    finally:
        release_hog()
        hogging.communicate(timeout=600)
    scores = honest.scores(ASSIGNMENT)
    expected = {"honest-1": 1.0, "honest-2": 1.0}
    if exact:
        assert scores == pytest.approx(expected), (out, err[-3000:])
        assert done.returncode == 0
    else:  # one shared process pool: the hog starves the honest kernels (exit 1), or
        # already the sandbox's start-up check, which then refuses to grade (exit 2)
        assert scores != pytest.approx(expected) and done.returncode in (1, 2), (
            out, err[-3000:])


FORK_AND_FILL = '''
import os
codes = []
for _ in range(6):
    if os.fork() == 0:
        try:
            block = bytearray(400 * 1024 * 1024)
            for i in range(0, len(block), 4096):
                block[i] = 1
            import time
            time.sleep(3)
        finally:
            os._exit(0)
for _ in range(6):
    codes.append(os.waitstatus_to_exitcode(os.wait()[1]))
print("finished", sum(code == 0 for code in codes))
'''


async def run_in_kernel(manager, code: str, cwd: Path) -> str:
    """What ``code`` prints in a kernel started by ``manager``."""
    await manager.start_kernel(cwd=str(cwd))
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        msg_id, said = client.execute(code), []
        while True:
            msg = await client.get_iopub_msg(timeout=120)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                said.append(msg["content"]["text"])
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return "".join(said)
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)


@pytest.mark.parametrize(("cgroups", "finished"), [(True, "finished [0-5]\n"),
                                                   (False, "finished 6\n")],
                         ids=["a-memory-cgroup-per-kernel", "control-without"])
def test_a_kernel_s_processes_share_one_memory_limit(tmp_path: Path, cgroups: bool,
                                                     finished: str):
    """Six processes of one kernel each filling 400 MB, under a 2 GiB limit: with the
    kernel's own memory cgroup some are killed (the tree shares the limit); without it,
    each process only has its own address-space limit and all six finish."""
    import asyncio
    import re

    from traitlets.config import Config

    from course.grading.sandbox import SandboxedKernelManager

    require_sandbox()
    require_root("kernel cgroups need a grader running as root")
    if not os.access("/sys/fs/cgroup/memory/cgroup.procs", os.W_OK):
        pytest.skip("needs a writable cgroup v1 memory controller (as on this "
                    "project's grading machine); cgroup v2 is not used")
    config = Config()
    config.SandboxProvisioner.memory_limit = 2 * 1024**3
    config.SandboxProvisioner.cgroups = cgroups
    manager = SandboxedKernelManager(config=config)
    said = asyncio.run(run_in_kernel(manager, FORK_AND_FILL, tmp_path))
    assert re.fullmatch(finished, said), said
