"""The sandbox's command line: what ``SandboxProvisioner`` makes of a kernel's command for a
given configuration, found through jupyter_client's provisioner entry point. No kernel runs
(the real ones run in test_safe_grading.py, test_student_limits.py, test_bounded_grader.py)."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import pytest
from traitlets.config import Config

from course.grading import provisioner
from course.grading.provisioner import SandboxError, SandboxProvisioner
from course.grading.sandbox import SandboxedKernelManager

KERNEL = [sys.executable, "-m", "ipykernel_launcher", "-f", "kernel.json"]
FIRST_UID = 2_000_000_000  # a pool of its own, apart from real grading runs'
STAND_IN = shutil.which("true")
PLAIN = "course.widgets.plain"
LOADED = [f"--ext={PLAIN}", "--InteractiveShellApp.reraise_ipython_extension_failures=True"]


def config(**traits) -> Config:
    settings = Config()
    settings.SandboxProvisioner.first_uid = FIRST_UID
    for name, value in traits.items():
        settings.SandboxProvisioner[name] = value
    return settings


def options(args: list[str], flag: str) -> list[list[str]]:
    """The operands of every ``flag`` in ``args`` (bwrap options take one to three)."""
    width = {"--ro-bind": 2, "--bind": 2, "--setenv": 2, "--symlink": 2, "--chdir": 1}[flag]
    return [args[at + 1:at + 1 + width] for at, arg in enumerate(args) if arg == flag]


def wrapped(tmp_path: Path, monkeypatch, euid: int, **traits) -> list[str]:
    monkeypatch.setattr(provisioner.os, "geteuid", lambda: euid)
    sandbox = SandboxProvisioner(config=config(cgroups=False, **traits))
    try:
        return sandbox.wrap(KERNEL, tmp_path, "/course/submitted/s1/01-model",
                            {"LANG": "C.UTF-8", "A": "1"})
    finally:
        sandbox._release_uid()


def test_as_a_user_the_kernel_gets_a_user_namespace_no_network_and_the_limits(
        tmp_path: Path, monkeypatch):
    extra = tmp_path / "datasets"
    extra.mkdir()
    args = wrapped(tmp_path, monkeypatch, 1000, memory_limit=2**30, process_limit=64,
                   file_size_limit=2**20, extra_paths=[str(extra)])
    bwrap, limits = args[:args.index("--")], args[args.index("--") + 1:]
    assert bwrap[0] == "bwrap" and "--die-with-parent" in bwrap and "--clearenv" in bwrap
    assert {"--unshare-net", "--unshare-user", "--unshare-pid"} <= set(bwrap)
    assert bwrap[bwrap.index("--cap-drop") + 1] == "ALL"
    assert [str(extra), str(extra)] in options(bwrap, "--ro-bind")
    assert [sys.base_prefix, sys.base_prefix] in options(bwrap, "--ro-bind")
    assert [str(tmp_path / "work"), "/course/submitted/s1/01-model"] in options(bwrap, "--bind")
    assert options(bwrap, "--chdir") == [["/course/submitted/s1/01-model"]]
    assert options(bwrap, "--setenv") == [
        ["HOME", "/tmp"], ["PATH", f"{Path(sys.executable).parent}:/usr/bin:/bin"],
        ["LANG", "C.UTF-8"], ["A", "1"]]
    assert limits == ["prlimit", f"--as={2**30}", "--nproc=64", f"--fsize={2**20}",
                      "--core=0", *KERNEL]


def test_the_course_root_is_not_mounted_and_the_network_only_when_asked(
        tmp_path: Path, monkeypatch):
    args = wrapped(tmp_path, monkeypatch, 1000, share_network=True)
    mounted = [target for _, target in options(args, "--ro-bind") + options(args, "--bind")]
    assert "/course" not in mounted and "/" not in mounted
    assert "--unshare-net" not in args


def test_as_root_each_kernel_drops_to_a_user_id_of_its_own(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(provisioner.os, "geteuid", lambda: 0)
    first, second = (SandboxProvisioner(config=config(cgroups=False)) for _ in range(2))
    try:
        one = first.wrap(KERNEL, tmp_path, str(tmp_path), {})
        two = second.wrap(KERNEL, tmp_path, str(tmp_path), {})
    finally:
        first._release_uid()
        second._release_uid()
    assert "--unshare-user" not in one  # setpriv drops every capability instead
    uids = [args[args.index("setpriv") + 1] for args in (one, two)]
    assert uids[0] != uids[1] and {uid.split("=")[0] for uid in uids} == {"--reuid"}
    assert int(uids[0].split("=")[1]) in range(FIRST_UID, FIRST_UID + 1024)
    assert {"--no-new-privs", "--clear-groups", "--inh-caps=-all"} <= set(one)
    assert one[-len(KERNEL):] == KERNEL


def test_as_root_with_first_uid_0_every_kernel_runs_as_the_sandbox_user(
        tmp_path: Path, monkeypatch):
    args = wrapped(tmp_path, monkeypatch, 0, first_uid=0, user="nobody")
    assert args[args.index("setpriv") + 1] == "--reuid=65534"


def test_as_root_the_kernel_enters_its_own_memory_and_pids_cgroups(tmp_path: Path,
                                                                    monkeypatch):
    root = tmp_path / "cgroup"
    for controller in ("memory", "pids"):
        (root / controller).mkdir(parents=True)
        (root / controller / "cgroup.procs").touch()
    monkeypatch.setattr(provisioner.os, "geteuid", lambda: 0)
    sandbox = SandboxProvisioner(config=config(cgroup_v1_root=str(root), memory_limit=2**31,
                                               process_limit=99))
    try:
        args = sandbox.wrap(KERNEL, tmp_path, str(tmp_path), {})
        uid = sandbox._ids()[0]
    finally:
        sandbox._release_uid()
    mine = {name: root / name / "course-kernels" / str(uid) for name in ("memory", "pids")}
    assert (mine["memory"] / "memory.limit_in_bytes").read_text() == str(2**31)
    assert (mine["pids"] / "pids.max").read_text() == "99"
    assert args[:2] == ["sh", "-c"]
    assert args[2] == (f"echo $$ > {mine['memory'] / 'cgroup.procs'} && "
                       f"echo $$ > {mine['pids'] / 'cgroup.procs'} && exec \"$@\"")
    assert args[4] == "bwrap" and args[-len(KERNEL):] == KERNEL


def start_command(tmp_path: Path, settings: Config, kernel_spec_provisioner: str = ""):
    """The command and launch options the manager gets from its provisioner, and what the
    provisioner left behind; the kernel is never launched (so any executable stands in for
    bwrap, and no cgroup is made)."""
    settings.SandboxProvisioner.bwrap = STAND_IN
    settings.SandboxProvisioner.cgroups = False
    (tmp_path / "submission").mkdir(exist_ok=True)
    (tmp_path / "submission" / "data.csv").write_text("a,b\n")
    (tmp_path / "submission" / "01-model.ipynb").write_text("{}")

    async def prepare():
        manager = SandboxedKernelManager(config=settings, kernel_name="python3")
        if kernel_spec_provisioner:
            manager.kernel_spec.metadata["kernel_provisioner"] = {
                "provisioner_name": kernel_spec_provisioner}
        os.environ["COURSE_TEST_SECRET"] = "token"
        try:
            cmd, launch = await manager.pre_start_kernel(
                cwd=str(tmp_path / "submission"), extra_arguments=["--HistoryManager.x=1"])
        finally:
            del os.environ["COURSE_TEST_SECRET"]
        seen = {"provisioner": manager.provisioner, "transport": manager.transport,
                "connection_file": Path(manager.connection_file),
                "interrupt_mode": manager.kernel_spec.interrupt_mode}
        folder = manager.provisioner._folder
        seen["work"] = sorted(path.name for path in (folder / "work").iterdir()) if folder else []
        await manager.cleanup_resources()
        seen["folder_after"] = folder and folder.exists()
        return cmd, launch, seen

    return asyncio.run(prepare())


def test_the_manager_starts_its_kernel_through_the_sandbox_provisioner(tmp_path: Path):
    """Through the entry point, even when the kernel spec names another provisioner."""
    cmd, launch, seen = start_command(tmp_path, config(environment={"A": "1"},
                                                       extensions=[PLAIN]),
                                      kernel_spec_provisioner="local-provisioner")
    assert type(seen["provisioner"]) is SandboxProvisioner
    assert cmd[0] == STAND_IN
    kernel = cmd[cmd.index("prlimit") + 5:]
    setpriv = "setpriv" in kernel
    if setpriv:
        kernel = kernel[kernel.index("--bounding-set=-all") + 1:]
    assert kernel[1:4] == ["-m", "ipykernel_launcher", "-f"]
    assert Path(kernel[4]) == seen["connection_file"]
    assert kernel[5:] == ["--HistoryManager.x=1", *LOADED]
    assert seen["transport"] == "ipc" and seen["interrupt_mode"] == "message"
    assert seen["connection_file"].parent.name.startswith("course-kernel-")
    assert seen["work"] == ["data.csv"]  # never the notebook, which holds the hidden tests
    assert not seen["folder_after"]
    assert "COURSE_TEST_SECRET" not in launch["env"] and launch["env"]["A"] == "1"
    assert "COURSE_TEST_SECRET" not in cmd and ["A", "1"] in options(cmd, "--setenv")
    assert launch["cwd"] == str((tmp_path / "submission").resolve())


def test_without_the_sandbox_the_command_is_the_kernel_s_own(tmp_path: Path):
    cmd, launch, seen = start_command(tmp_path, config(sandbox=False, environment={"A": "1"},
                                                       extensions=[PLAIN]))
    assert cmd[1:4] == ["-m", "ipykernel_launcher", "-f"]
    assert cmd[5:] == ["--HistoryManager.x=1", *LOADED]
    assert seen["transport"] == "tcp" and seen["work"] == []
    assert launch["env"]["A"] == "1" and launch["env"]["COURSE_TEST_SECRET"] == "token"


def test_the_check_refuses_a_missing_bubblewrap():
    with pytest.raises(SandboxError, match="'/nonexistent/bwrap' is not installed"):
        SandboxProvisioner(bwrap="/nonexistent/bwrap").check()


def test_course_grade_loads_the_plain_widgets_extension_in_its_kernels(tmp_path: Path):
    from course.grading.batch import course_config

    (tmp_path / "nbgrader_config.py").write_text("")
    sandbox = SandboxProvisioner(config=course_config(tmp_path))
    assert sandbox.kernel_arguments() == LOADED
    assert SandboxProvisioner().kernel_arguments() == []


def test_limits_under_their_old_section_stop_grading_instead_of_being_dropped():
    """``c.SandboxedKernelManager.memory_limit`` (the name before the provisioner) would be
    only a traitlets warning, and the kernels would run without that limit."""
    settings = Config()
    settings.SandboxedKernelManager.memory_limit = 1024**3
    settings.SandboxedKernelManager.max_message_bytes = 1024**2  # still the manager's
    with pytest.raises(SandboxError, match=r"c\.SandboxProvisioner\.memory_limit$"):
        SandboxProvisioner(config=settings).check()
