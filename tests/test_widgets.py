"""Widgets, driven from Python as a click would drive them (the browser test drives them in
JupyterLab); each also carries a fallback for where widgets do not render."""

from __future__ import annotations

from course import glossary, matrix, quiz, stack, tutor


def test_quiz_gives_feedback_with_explanation_and_source():
    check = quiz("q-ec2-guest-os")
    check.choice.value = "AWS"
    assert not check.check()
    assert "Not quite" in check.feedback.value and "https://" in check.feedback.value
    check.choice.value = "Customer"
    assert check.check() and check.solved and "✔ Correct" in check.feedback.value


def test_multiple_answer_quiz_needs_the_exact_set():
    check = quiz("q-of-the-cloud")
    answer = check.question["answer"]
    check.choice.value = answer[:1]
    assert not check.check()
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
    assert "✘" in exercise.rows.notes["guest-os-patching"].value
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
