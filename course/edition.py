"""Where this kernel runs the course (the student's own computer, a class's JupyterHub,
Binder or JupyterLite), so that a notebook tells the student what keeps their work there
(course/data/editions.toml) and the class id is asked for wherever no hub names the student.

Binder runs on a JupyterHub of its own and sets ``JUPYTERHUB_USER`` to a name made up for the
session; its ``BINDER_*`` variables (set by BinderHub for every session) tell it apart."""

from __future__ import annotations

import os
from typing import Any

from . import storage
from .identity import HUB

BINDER = ("BINDER_LAUNCH_HOST", "BINDER_REPO_URL")


def current() -> str:
    """``lite``, ``binder``, ``hub`` or ``computer``: where this kernel runs."""
    if storage.in_lite():
        return "lite"
    if any(os.environ.get(name) for name in BINDER):
        return "binder"
    return "hub" if os.environ.get(HUB) else "computer"


def hub_user() -> str | None:
    """The student's user name on a class's JupyterHub (never Binder's made-up one)."""
    return os.environ.get(HUB) if current() == "hub" else None


class KeepingYourWork:
    """What keeps the student's work where this kernel runs, and what they do about it."""

    def __init__(self, where: str | None = None):
        from . import content

        self.edition = content.editions()[where or current()]

    def _repr_html_(self) -> str:
        from . import pages

        return pages.render("widgets/keeping.html.j2", edition=self.edition)

    def _repr_mimebundle_(self, **_kwargs: Any) -> dict[str, str]:
        steps = [f"{step['say']}" + (f"\n    {step['code']}" if "code" in step else "")
                 for step in self.edition.get("step", [])]
        text = "\n".join([f"You are running the course {self.edition['where']}. "
                          f"{self.edition['kept']}", *steps])
        return {"text/html": self._repr_html_(), "text/plain": text}


def keeping_your_work() -> KeepingYourWork:
    """00-start-here's "Keeping your work", for the place this notebook runs in."""
    return KeepingYourWork()
