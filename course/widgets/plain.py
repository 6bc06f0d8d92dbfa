"""Plain widgets, an IPython extension for kernels no browser will ever show (grading kernels:
course-grade starts them with ``--ext=course.widgets.plain``).

Loaded, widgets are built on the comm package's stand-in comm, which sends nothing (the
package documents ``comm.create_comm`` as the hook to replace, as ipykernel does), and
display as their HTML/text fallback. What a notebook records and how it scores do not change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import comm

_replaced: Callable[..., comm.base_comm.BaseComm] | None = None
"""The ``comm.create_comm`` the extension replaced, while it is loaded."""


def load_ipython_extension(ipython: Any) -> None:
    """Build this kernel's widgets on stand-in comms from now on."""
    global _replaced
    if _replaced is None:
        _replaced, comm.create_comm = comm.create_comm, comm.DummyComm


def unload_ipython_extension(ipython: Any) -> None:
    """Give widgets the kernel's own comms again."""
    global _replaced
    if _replaced is not None:
        comm.create_comm, _replaced = _replaced, None


def active() -> bool:
    """Whether widgets here reach no front end and show only their fallback."""
    return _replaced is not None
