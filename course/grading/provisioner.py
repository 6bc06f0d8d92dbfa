"""Start grading kernels in a sandbox: bubblewrap, an unprivileged user, resource limits.

A submission's code runs in the kernel. :class:`SandboxProvisioner`, the jupyter_client
kernel provisioner ``course-sandbox`` (an entry point of this package), starts that kernel
through ``bwrap`` with an empty filesystem into which only the system, Python, the
``course`` package (all read-only) and a throw-away copy of the submission's folder are
mounted: the course root (gradebook, ``source/``, other students' folders) is not there.
No network, no other processes, no capabilities. Run as root, the kernel also drops to
an unprivileged user; ``prlimit`` caps memory, processes and file size. The kernel talks
to the grader over Unix sockets in a private folder (ipc transport).
:class:`~course.grading.sandbox.SandboxedKernelManager` starts its kernels through it.
"""

from __future__ import annotations

import fcntl
import os
import pwd
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import KernelProvisionerFactory, LocalProvisioner
from traitlets import Bool, Dict, Integer, List, Unicode

import course

from .untrusted import copy_tree

PROVISIONER = "course-sandbox"
"""The provisioner's name, registered in pyproject.toml (``jupyter_client.kernel_provisioners``)."""

# Environment variables a kernel may keep; everything else (tokens, AWS keys) is dropped.
KEPT_ENVIRONMENT = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "JPY_PARENT_PID", "JPY_SESSION_NAME",
                    "NBGRADER_EXECUTION", "PYDEVD_DISABLE_FILE_VALIDATION",
                    "AWS_SRM_COURSE_STUDENT")


NO_SANDBOX = (
    "The kernel sandbox cannot run on this machine ({why}). Install bubblewrap "
    "(Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) on a Linux "
    "host that allows user namespaces, or grade inside a Linux VM or container. "
    "--no-sandbox (SandboxProvisioner.sandbox = False) runs student code as you, "
    "outside any sandbox: a submission can then read the gradebook and the keys in source/, "
    "change any score, read other students' files and use the network. Use it only for "
    "notebooks you trust.{engines}")
ENGINES = ("podman", "docker")


class SandboxError(RuntimeError):
    """The sandbox is on but cannot be built on this machine."""


class SandboxProvisioner(LocalProvisioner):
    """Start a local kernel inside bubblewrap, as an unprivileged user, with limits.

    Configured like any traitlets class (``c.SandboxProvisioner.memory_limit``): its parent
    is the kernel manager, whose config it reads. Usable alone for :meth:`check`."""

    sandbox = Bool(
        True, help="Run kernels in the sandbox. Turn off only for trusted notebooks."
    ).tag(config=True)
    bwrap = Unicode("bwrap", help="The bubblewrap executable.").tag(config=True)
    user = Unicode(
        "course-sandbox",
        help="When the grader runs as root and first_uid is 0, every kernel runs as this "
             "user ('nobody' if the user does not exist).",
    ).tag(config=True)
    first_uid = Integer(
        2_100_000_000,
        help="When the grader runs as root, each running kernel gets a user id of its own "
             "from first_uid to first_uid + uid_count - 1 (no account needed), so the "
             "process limit counts one student's processes, never another's. 0: all "
             "kernels run as `user`.",
    ).tag(config=True)
    uid_count = Integer(
        1024, help="How many user ids kernels may take (kernels running at once, on "
                   "this machine, across every grading process)."
    ).tag(config=True)
    system_paths = List(
        Unicode(), ["/usr", "/etc", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/opt"],
        help="Host paths mounted read-only in the sandbox (besides Python and the course "
             "package, which are always mounted).",
    ).tag(config=True)
    extra_paths = List(
        Unicode(), [], help="More host paths the kernel may read (read-only)."
    ).tag(config=True)
    share_network = Bool(False, help="Let the kernel use the network.").tag(config=True)
    memory_limit = Integer(
        4 * 1024**3, help="Address-space limit of the kernel, in bytes (RLIMIT_AS)."
    ).tag(config=True)
    process_limit = Integer(
        512, help="Process limit of the sandbox user (RLIMIT_NPROC)."
    ).tag(config=True)
    file_size_limit = Integer(
        64 * 1024**2, help="Largest file the kernel may write, in bytes (RLIMIT_FSIZE)."
    ).tag(config=True)
    cgroups = Bool(
        True, help="As root, also give each kernel memory and pids cgroups of its own "
                   "(cgroup v1 controllers under cgroup_v1_root, where writable), so its "
                   "whole process tree shares memory_limit and process_limit.",
    ).tag(config=True)
    cgroup_v1_root = Unicode("/sys/fs/cgroup", help="Where cgroup v1 controllers are "
                                                    "mounted.").tag(config=True)
    environment = Dict(
        Unicode(), {}, help="Variables set in the kernel's environment (the grader's own "
                            "are dropped but for a few, such as LANG and TZ)."
    ).tag(config=True)
    extensions = List(
        Unicode(), [], help="IPython extensions the kernel loads before any cell; one that "
                            "fails to load stops the kernel (course-grade: "
                            "course.widgets.plain, widgets without front-end traffic).",
    ).tag(config=True)

    _folder: Path | None = None
    _uid: tuple[int, int] | None = None
    _uid_lock: int | None = None

    def check(self) -> None:
        """Raise :class:`SandboxError`, saying what to install and what ``--no-sandbox``
        trades away, unless a sandboxed Python can start here (a missing bwrap, or a host
        that refuses its namespaces, would otherwise fail every student)."""
        self.refuse_old_names()
        if not entry_points(group=KernelProvisionerFactory.GROUP_NAME, name=PROVISIONER):
            raise SandboxError(f"the kernel provisioner {PROVISIONER!r} is not registered: "
                               "install the course package (pip install -e .), as ./run does")
        if not self.sandbox:
            return
        if shutil.which(self.bwrap) is None:
            raise SandboxError(_no_sandbox(f"{self.bwrap!r} is not installed"))
        folder = Path(tempfile.mkdtemp(prefix="course-kernel-check-"))
        try:
            (folder / "work").mkdir()
            self._hand_over(folder)
            cmd = self.wrap([sys.executable, "-c", "import course"], folder,
                            str(folder / "work"), self.kernel_environment(os.environ))
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.SubprocessError) as error:
            raise SandboxError(_no_sandbox(repr(error))) from None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            self._release_uid()
        if done.returncode != 0:
            detail = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
            raise SandboxError(_no_sandbox(f"{self.bwrap} failed: {detail}"))

    def refuse_old_names(self) -> None:
        """Raise :class:`SandboxError` for limits still set under their old section,
        ``SandboxedKernelManager``: traitlets would only warn, and the kernels would run
        without the memory or process limit the instructor set."""
        old = self.config.get("SandboxedKernelManager", {})
        moved = sorted(set(old) & set(self.trait_names(config=True)))
        if moved:
            raise SandboxError(
                "these settings moved from SandboxedKernelManager to SandboxProvisioner; "
                "rename them in nbgrader_config.py: "
                + ", ".join(f"c.SandboxProvisioner.{name}" for name in moved))

    def kernel_arguments(self) -> list[str]:
        """What the kernel's command line gains: ``extensions``, loaded or the kernel stops."""
        if not self.extensions:
            return []
        return [*(f"--ext={name}" for name in self.extensions),
                "--InteractiveShellApp.reraise_ipython_extension_failures=True"]

    def kernel_environment(self, env: Mapping[str, str]) -> dict[str, str]:
        """The variables of ``env`` that a sandboxed kernel keeps, and ``environment``."""
        return {**{name: value for name, value in env.items() if name in KEPT_ENVIRONMENT},
                **self.environment}

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        """Put the kernel's connection in a private folder, copy its working folder, and
        return its command wrapped in the sandbox."""
        self.refuse_old_names()
        kwargs["extra_arguments"] = [*kwargs.get("extra_arguments", []),
                                     *self.kernel_arguments()]
        env = kwargs.get("env") or os.environ
        if not self.sandbox:
            return await super().pre_launch(**{**kwargs, "env": {**env, **self.environment}})
        if shutil.which(self.bwrap) is None:
            raise SandboxError(_no_sandbox(f"{self.bwrap!r} is not installed"))
        self._folder = Path(tempfile.mkdtemp(prefix="course-kernel-"))
        # The manager writes the connection file and binds the grader's sockets: ipc
        # sockets in the folder that alone is shared with the sandbox.
        manager = self.parent
        manager.transport = "ipc"
        manager.connection_file = str(self._folder / "kernel.json")
        manager.ip = str(self._folder / "kernel-ipc")
        cwd = Path(kwargs.get("cwd") or os.getcwd()).resolve()
        self._copy_workdir(cwd, self._folder / "work")
        kwargs.update(cwd=str(cwd), env=self.kernel_environment(env))
        kwargs.setdefault("stdout", subprocess.DEVNULL)  # ipykernel's banner; errors stay on stderr
        kwargs = await super().pre_launch(**kwargs)
        # A signal would reach bwrap, not the kernel: interrupt by message instead.
        self.kernel_spec.interrupt_mode = "message"
        self._hand_over(self._folder)
        kwargs["cmd"] = self.wrap(kwargs["cmd"], self._folder, str(cwd), kwargs["env"])
        return kwargs

    def wrap(self, cmd: list[str], folder: Path, cwd: str, env: Mapping[str, str]
             ) -> list[str]:
        """``cmd`` run by bwrap, prlimit and (as root) setpriv, in ``cwd`` (the copy in
        ``folder / "work"``), with ``env`` as its only environment variables."""
        args = [self.bwrap, "--die-with-parent", "--unshare-pid", "--unshare-ipc",
                "--unshare-uts", "--unshare-cgroup-try", "--proc", "/proc", "--dev", "/dev",
                "--perms", "1777", "--tmpfs", "/tmp"]
        if not self.share_network:
            args.append("--unshare-net")
        if os.geteuid() != 0:  # as root, setpriv below drops the user and every capability
            args += ["--unshare-user", "--cap-drop", "ALL"]
        made: set[str] = {"/", "/tmp"}
        for path in [*self.system_paths, *readable_paths(), *self.extra_paths]:
            if os.path.islink(path):
                args += ["--symlink", os.readlink(path), path]
            elif os.path.exists(path):
                args += [*parents(path, made), "--ro-bind", path, path]
        args += [*parents(str(folder), made), "--bind", str(folder), str(folder),
                 *parents(cwd, made), "--bind", str(folder / "work"), cwd, "--chdir", cwd,
                 "--clearenv", "--setenv", "HOME", "/tmp",
                 "--setenv", "PATH", f"{Path(sys.executable).parent}:/usr/bin:/bin"]
        for name, value in env.items():
            args += ["--setenv", name, value]
        args += ["--", "prlimit", f"--as={self.memory_limit}", f"--nproc={self.process_limit}",
                 f"--fsize={self.file_size_limit}", "--core=0"]
        if os.geteuid() != 0:
            return args + cmd
        uid, gid = self._ids()
        args += ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups",
                 "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all"]
        procs = self._cgroups(uid)
        if not procs:
            return args + cmd
        enter = " && ".join(f"echo $$ > {shlex.quote(str(path))}" for path in procs)
        return ["sh", "-c", f'{enter} && exec "$@"', "sh", *args, *cmd]

    def _cgroups(self, uid: int) -> list[Path]:
        """The ``cgroup.procs`` files of this kernel's own memory and pids cgroups (cgroup
        v1, where mounted and writable), limited to ``memory_limit`` and ``process_limit``
        for the kernel's whole process tree; none where the host offers no such cgroups."""
        controllers = [(Path(self.cgroup_v1_root) / "memory", "memory.limit_in_bytes",
                        self.memory_limit),
                       (Path(self.cgroup_v1_root) / "pids", "pids.max", self.process_limit)]
        if not self.cgroups or not all(os.access(base / "cgroup.procs", os.W_OK)
                                       for base, _, _ in controllers):
            return []
        procs = []
        for base, limit, value in controllers:
            folder = base / "course-kernels" / str(uid)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / limit).write_text(str(value))
            procs.append(folder / "cgroup.procs")
        return procs

    def _ids(self) -> tuple[int, int]:
        """The kernel's user and group ids: its own from the pool, or ``user``'s."""
        if self._uid is None:
            self._uid = self._take_uid() if self.first_uid > 0 else self._user_ids()
        return self._uid

    def _take_uid(self) -> tuple[int, int]:
        """The first id of the pool that no running kernel on this machine holds (an
        exclusive lock on a file per id, held until the kernel is cleaned up)."""
        folder = Path(tempfile.gettempdir()) / "course-sandbox-uids"
        folder.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
            raise SandboxError(f"{folder} is not a folder of this user's")
        for uid in range(self.first_uid, self.first_uid + self.uid_count):
            fd = os.open(folder / str(uid), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            self._uid_lock = fd
            return uid, uid
        raise SandboxError(f"all {self.uid_count} kernel user ids are in use "
                           "(SandboxProvisioner.uid_count)")

    def _release_uid(self) -> None:
        if self._uid_lock is not None:
            os.close(self._uid_lock)
        self._uid = self._uid_lock = None

    def _user_ids(self) -> tuple[int, int]:
        for name in (self.user, "nobody"):
            try:
                entry = pwd.getpwnam(name)
            except KeyError:
                continue
            if name != self.user:
                self.log.warning("Sandbox user %r does not exist: using %r", self.user, name)
            return entry.pw_uid, entry.pw_gid
        raise SandboxError(f"neither {self.user!r} nor 'nobody' exists")

    def _copy_workdir(self, cwd: Path, work: Path) -> None:
        """The kernel's working folder: a copy of the submission's other plain files (never
        its notebooks, which hold the restored hidden tests, nor anything a link names),
        thrown away after the kernel."""
        for name, why in copy_tree(cwd, work, lambda folder, name: name.endswith(".ipynb")
                                   or name == ".ipynb_checkpoints"):
            self.log.error("Not given to the kernel: %s is %s", name, why)

    def _hand_over(self, folder: Path) -> None:
        """Give the sandbox user the socket folder, connection file and working copy."""
        if os.geteuid() != 0:
            return
        uid, gid = self._ids()
        for root, dirs, files in os.walk(folder):
            for name in [root, *(os.path.join(root, entry) for entry in dirs + files)]:
                os.chown(name, uid, gid, follow_symlinks=False)

    async def cleanup(self, restart: bool = False) -> None:
        """Remove the kernel's folder and give back its user id."""
        await super().cleanup(restart=restart)
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
        self._release_uid()


def _no_sandbox(why: str) -> str:
    """What to do where bubblewrap cannot run, with what each container engine on PATH
    says: there is no container backend, so a running engine is only a place to run
    course-grade in (a Linux container that allows bubblewrap's namespaces)."""
    states = []
    for engine in ENGINES:
        if shutil.which(engine) is None:
            continue
        try:
            done = subprocess.run([engine, "info", "--format", "{{.ServerVersion}}"],
                                  capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError) as error:
            states.append(f"{engine} is installed but does not answer ({error!r})")
            continue
        if done.returncode == 0:
            states.append(f"{engine} {done.stdout.strip()} runs here, but course-grade has "
                          "no container backend: run course-grade inside a Linux container "
                          "or VM in which bubblewrap can create namespaces")
        else:
            detail = (done.stderr.strip().splitlines() or ["no engine"])[-1]
            states.append(f"{engine} is installed but its engine does not run ({detail})")
    return NO_SANDBOX.format(why=why, engines="".join(f" {state}." for state in states))


def readable_paths() -> list[str]:
    """What the kernel needs to read: the Python installation, the environment, and the
    ``course`` package (which holds no keys)."""
    paths = {sys.base_prefix, sys.prefix, str(Path(course.__file__).resolve().parent)}
    executable = Path(sys.executable)
    if executable.is_symlink():
        paths.add(str(executable.resolve().parent.parent))
    return sorted(paths)


def parents(path: str, made: set[str]) -> list[str]:
    """bwrap options that make the missing parent folders of ``path`` traversable (bwrap
    itself would make them private to root)."""
    args: list[str] = []
    for parent in reversed(Path(path).parents):
        if str(parent) not in made:
            made.add(str(parent))
            args += ["--perms", "0755", "--dir", str(parent)]
    return args
