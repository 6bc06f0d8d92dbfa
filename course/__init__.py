"""AWS Shared Responsibility Model: a Jupyter course.

``import course`` is kept light: each name below is imported on first use."""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "quiz": "course.widgets.quiz",
    "practice": "course.widgets.practice_set",
    "matrix": "course.widgets.matrix",
    "tutor": "course.widgets.tutor",
    "stack": "course.widgets.stack",
    "glossary": "course.widgets.glossary",
    "ask": "course.checkpoint",
    "answer": "course.checkpoint",
    "expect": "course.checkpoint",
    "require_answer": "course.checkpoint",
    "answer_in_code": "course.checkpoint",
    "still_to_do": "course.checkpoint",
    "responsibility_model": "course.content",
    "mastery_map": "course.widgets.mastery",
    "class_id": "course.widgets.class_id",
    "keeping_your_work": "course.edition",
    "go_deeper": "course.deeper",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'course' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
