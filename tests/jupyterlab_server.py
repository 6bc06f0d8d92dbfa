"""A private JupyterLab server for browser tests: free port, token, its own Jupyter and
IPython directories, and helpers for its REST API (sessions, files)."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JupyterLab:
    """``jupyter lab`` serving ``root``, with every Jupyter directory under ``home``."""

    def __init__(self, root: Path, home: Path, *args: str):
        self.args = args
        """Further command-line options of ``jupyter lab``."""
        self.root = root
        self.home = home
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = home / "jupyterlab.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> JupyterLab:
        dirs = {name: self.home / name.lower() for name in
                ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR")}
        for path in dirs.values():
            path.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            **{name: str(path) for name, path in dirs.items()},
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "JUPYTER_PLATFORM_DIRS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "AWS_SRM_COURSE_PROGRESS": str(self.home / "progress" / "progress.json"),
        }
        env.pop("JPY_SESSION_NAME", None)
        self.log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(self.command(), cwd=self.root, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited:\n{self.log_path.read_text()}")
            try:
                self.api("GET", "/api/status")
                return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        raise RuntimeError(f"jupyter lab did not start in {timeout}s:\n"
                           f"{self.log_path.read_text()}")

    def command(self) -> list[str]:
        """The server's command line (a subclass may run it otherwise)."""
        return [
            str(BIN / "jupyter"), "lab", "--no-browser", "--allow-root",
            f"--ServerApp.root_dir={self.root}", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            "--ServerApp.open_browser=False",
            "--LabApp.news_url=", "--LabApp.check_for_updates_class="
            "jupyterlab.NeverCheckForUpdate",
            "--ServerApp.disable_check_xsrf=False",
            # Workspaces of its own too, left empty (JupyterLab's own layout, whatever the
            # course seeds; tests/test_hub_workspaces.py starts a server as a hub does, and a
            # test of the course's first layout passes its own copy of it).
            f"--LabApp.workspaces_dir={self.home / 'workspaces'}", *self.args,
        ]

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(Exception):  # a server that stopped answering is still stopped
            self.delete_sessions()
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        self.log.close()
        self.process = None

    def api(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}{path}", data=data, method=method,
            headers={"Authorization": f"token {self.token}",
                     "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
        return json.loads(text) if text else None

    def sessions(self) -> list[dict[str, Any]]:
        return self.api("GET", "/api/sessions")

    def delete_sessions(self) -> int:
        """Delete every session (and so shut down its kernel); return how many there were."""
        found = self.sessions()
        for session in found:
            self.api("DELETE", f"/api/sessions/{session['id']}")
        return len(found)

    def lab_url(self, path: str, workspace: str | None = None) -> str:
        """The page that opens ``path``; in its own workspace, if named, so no tab is restored."""
        where = f"workspaces/{workspace}/" if workspace else ""
        return f"{self.url}/lab/{where}tree/{path}?token={self.token}"
