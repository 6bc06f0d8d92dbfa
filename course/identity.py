"""Who the student is, and so which version (variant) of each graded item they get.

The identity is nbgrader's student id: ``JUPYTERHUB_USER`` on a class's hub (in the grader's
kernel, the submitter's id, which the grader sets), otherwise (Binder too) the class id the
student types once in ``00-start-here``, kept beside their progress. The grader derives the
same variant from the id a submission is filed under, so the choice needs nothing from the
kernel."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

HUB = "JUPYTERHUB_USER"
GRADED = "AWS_SRM_COURSE_STUDENT"
"""Set by the grader in the kernel it runs a submission in: the submitter's id."""
VALID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,63}")
"""A class id: what nbgrader and every LMS export keep intact (no spaces, slashes, glob or
control characters, no leading dot)."""
RULE = ("1 to 64 letters, digits or . _ @ + -, starting with a letter or digit, "
        "exactly as your instructor gave it")


def _path() -> Path:
    from . import progress

    return progress.path().parent / "identity.json"


def student() -> str | None:
    """The student's id: the submitter's in the grader's kernel, the hub's user name, else
    the class id typed in 00-start-here. In the grader's kernel only the grader says
    (empty: nobody, version a), never the grader's own hub user or class id."""
    from . import edition

    if GRADED in os.environ:
        return os.environ[GRADED] or None
    if edition.hub_user():  # not Binder's: its hub names each session, not the student
        return edition.hub_user()
    try:
        saved = json.loads(_path().read_text(encoding="utf-8")).get("student")
    except (OSError, ValueError, AttributeError):
        return None
    return saved if isinstance(saved, str) and VALID.fullmatch(saved) else None


def set_class_id(text: str) -> str:
    """Keep ``text`` (stripped) as this student's class id, or ValueError saying why."""
    value = text.strip()
    if not VALID.fullmatch(value):
        raise ValueError(f"{value!r} is not a class id: {RULE}.")
    target = _path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"student": value}), encoding="utf-8")
    return value


def variant(item: str, who: str | None) -> str:
    """The version of graded ``item`` that student ``who`` gets: the same for the same id,
    spread evenly over the versions; ``a`` when nobody is known (or the item is not one)."""
    from . import content

    versions = list(content.checkpoints().get(item, {}).get("variants", "a"))
    if not who:
        return versions[0]
    digest = hashlib.sha256(f"{who}\0{item}".encode()).digest()
    return versions[int.from_bytes(digest[:8], "big") % len(versions)]


def current(item: str) -> str:
    """The version of ``item`` this kernel's student gets."""
    return variant(item, student())
