"""Widgets, driven from Python as a click would drive them (the browser test drives them in
JupyterLab); each also carries a fallback for where widgets do not render."""

from __future__ import annotations

import json
from pathlib import Path

from course import glossary, matrix, quiz, stack, tutor
from course.widgets import saved
from course.widgets.quiz import MISSING_HINT, VERDICT


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def with_misconceptions(check, table: dict[str, str]):
    check.question = {**check.question, "misconceptions": table}
    return check


def test_a_wrong_try_hints_at_the_option_chosen_and_keeps_the_answer():
    check = with_misconceptions(quiz("q-ec2-guest-os"), {
        "AWS": "Picked because AWS runs the hardware; the guest OS is inside your instance."})
    check.choice.value = "AWS"
    assert not check.check()
    shown = check.feedback.value + check.explanation.value
    assert "✘ Not quite" in shown and "course-wrong" in shown
    assert "the guest OS is inside your instance" in shown
    assert check.question["explanation"] not in shown and "https://" not in shown
    assert ">Customer<" not in shown  # the right option is not named


def test_without_misconceptions_a_wrong_try_gets_a_generic_hint():
    check = quiz("q-ec2-guest-os")
    check.question = {k: v for k, v in check.question.items() if k != "misconceptions"}
    check.choice.value = "AWS"
    assert not check.check()
    assert "try again" in check.feedback.value and check.explanation.value == ""


def test_a_right_answer_shows_the_explanation_and_source():
    check = quiz("q-ec2-guest-os")
    check.choice.value = "Customer"
    assert check.check() and check.solved
    assert "✔ Correct" in check.feedback.value and "course-right" in check.feedback.value
    assert check.question["explanation"] in check.explanation.value
    assert "https://" in check.explanation.value


def test_show_explanation_reveals_it_without_solving():
    check = quiz("q-ec2-guest-os")
    check.explain_button.click()
    assert check.question["explanation"] in check.explanation.value and not check.solved


def test_verdict_colours_have_text_contrast():
    for symbol, words, colour, background, _border in VERDICT.values():
        assert contrast(colour, background) >= 4.5, (symbol, words)
        assert symbol and words  # never colour alone


def test_multiple_answer_quiz_needs_the_exact_set():
    check = quiz("q-of-the-cloud")
    answer = check.question["answer"]
    check.choice.value = answer[:1]
    assert not check.check()
    assert MISSING_HINT in check.feedback.value
    check.choice.value = answer
    assert check.check()


def test_quiz_without_a_choice_asks_for_one():
    check = quiz("q-ec2-guest-os")
    assert not check.check() and "Choose an answer" in check.feedback.value


def test_matrix_marks_each_row_and_scores():
    exercise = matrix("ec2")
    key = {item: cell["owner"] for item, cell in exercise.key.items()}
    exercise.rows.value = {**key, "guest-os-patching": "AWS"}
    assert exercise.check() == len(key) - 1
    assert "✘ Not AWS: the owner is Customer." in exercise.rows.notes["guest-os-patching"].value
    assert f"Score: {len(key) - 1} / {len(key)}" in exercise.score.value


def test_tutor_steps_and_clamps():
    steps = tutor("01-model")
    assert steps.position.value == f"1 / {len(steps.steps)}" and steps.previous.disabled
    steps.next.click()
    steps.next.click()
    assert steps.position.value == f"3 / {len(steps.steps)}"
    steps.go(99)
    assert steps.index == len(steps.steps) - 1 and steps.next.disabled


def test_glossary_finds_terms_by_alias():
    terms = glossary()
    assert terms.result.value.count("<dt>") == len(terms.entries)
    assert "Guest operating system" in terms.look_up("guest os")
    assert "Hypervisor" not in terms.look_up("guest os")
    assert "No term matches" in terms.look_up("zzz")


def test_stack_picture_names_owners_in_words_not_colour_only():
    picture = stack("ec2")
    svg = picture._repr_svg_()
    assert svg.startswith("<svg") and "Customer" in svg and "AWS" in svg and "<title>" in svg
    assert "Guest operating system patching | Customer" in repr(picture)


def test_widgets_carry_html_and_text_fallbacks():
    for widget in (quiz("q-ec2-guest-os"), matrix("ec2"), tutor("01-model"), glossary()):
        bundle = widget._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle
        assert bundle["text/html"].strip() and bundle["text/plain"].strip()


def test_grading_kernels_build_widgets_without_front_end_traffic():
    """With AWS_SRM_COURSE_PLAIN_WIDGETS=1 (course-grade's kernels) nothing goes to a front
    end and every widget displays as its fallback; answers still record the same way."""
    import os
    import subprocess
    import sys

    probe = (
        "import comm\n"
        "from course import quiz, matrix\n"
        "from course.widgets import _fallback\n"
        "bundle = quiz('q-ec2-guest-os')._repr_mimebundle_()\n"
        "assert comm.create_comm is comm.DummyComm\n"
        "assert set(bundle) == {'text/html', 'text/plain'}, set(bundle)\n"
        "assert 'Rows:' in matrix('ec2')._repr_mimebundle_()['text/plain']\n"
    )
    env = {**os.environ, "AWS_SRM_COURSE_PLAIN_WIDGETS": "1"}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def saved_notebook(*outputs: dict) -> dict:
    return {"type": "notebook", "content": {"metadata": {}, "cells": [
        {"cell_type": "code", "outputs": [{"output_type": "display_data", "data": data}
                                          for data in outputs]}]}}


def test_saving_keeps_the_fallback_instead_of_the_widget_view():
    """What JupyterLab saves: a course widget becomes its fallback and a line saying to run
    it; widgets without a fallback, and those whose model the notebook stores, stay."""
    course_widget = quiz("q-ec2-guest-os")._repr_mimebundle_()
    bare = {saved.WIDGET_VIEW: {"model_id": "b"}, "text/plain": "VBox()"}
    stored = {saved.WIDGET_VIEW: {"model_id": "s"}, "text/html": "<p>s</p>"}
    model = saved_notebook(course_widget, bare, stored)
    model["content"]["metadata"]["widgets"] = {saved.WIDGET_STATE: {"state": {"s": {}}}}
    saved.keep_fallbacks(model=model, path="x.ipynb")
    first, second, third = (o["data"] for o in model["content"]["cells"][0]["outputs"])
    assert saved.WIDGET_VIEW not in first and "course-fallback" in first["text/html"]
    assert first["text/html"].endswith(saved.RUN_AGAIN) and first["text/plain"]
    assert second == bare and saved.WIDGET_VIEW in third
    files = {"type": "file", "content": "text"}
    saved.keep_fallbacks(model=files, path="x.txt")
    assert files == {"type": "file", "content": "text"}


def test_install_sets_the_hook_and_keeps_other_settings(tmp_path: Path):
    config = tmp_path / "etc" / "jupyter" / "jupyter_server_config.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"ServerApp": {"port": 9999}}))
    assert saved.install(str(tmp_path)) == config
    assert json.loads(config.read_text()) == {
        "ServerApp": {"port": 9999}, "ContentsManager": {"pre_save_hook": saved.HOOK}}
