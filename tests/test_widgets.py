"""Widgets, driven from Python as a click would drive them (the browser test drives them in
JupyterLab); each also carries a fallback for where widgets do not render."""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from xml.etree import ElementTree

from IPython.core.interactiveshell import InteractiveShell

from course import content, glossary, matrix, quiz, responsibility_model, stack, tutor
from course.widgets import saved
from course.widgets._style import css
from course.widgets.mastery import MasteryMap
from course.widgets.quiz import MISSING_HINT, VERDICT

REPO = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"


def get_ipython_formatter():
    return InteractiveShell.instance().display_formatter


def with_misconceptions(check, table: dict[str, str]):
    check.question = {**check.question, "misconceptions": table}
    return check


def test_a_wrong_try_hints_at_the_option_chosen_and_keeps_the_answer():
    check = with_misconceptions(quiz("q-ec2-guest-os"), {
        "AWS": "You may have picked this because AWS runs the hardware; the guest OS is "
               "inside your instance."})
    check.choice.value = "AWS"
    assert not check.check()
    shown = check.feedback.value + check.explanation.value
    assert "✘ Not quite" in shown and "course-wrong" in shown
    assert "You may have picked this because AWS runs the hardware" in shown
    assert check.question["explanation"] not in shown
    assert f'href="{check.question["source"]}"' in shown  # where AWS says more
    assert ">Customer<" not in shown  # the right option is not named


def test_text_from_the_data_reaches_the_widget_as_text(monkeypatch):
    """Widgets' HTML comes from autoescaped templates: markup in course data is shown, not run."""
    question = {**content.questions()["q-ec2-guest-os"], "prompt": "A & B <b>?",
                "misconceptions": {"AWS": "<img src=x onerror=alert(1)>"}}
    monkeypatch.setattr(content, "questions", lambda: {question["id"]: question})
    check = quiz(question["id"])
    check.choice.value = "AWS"
    check.check()
    assert "&lt;img src=x onerror=alert(1)&gt;" in check.feedback.value
    assert "<img" not in check.feedback.value
    assert "A &amp; B &lt;b&gt;?" in check.children[0].value
    assert "<b>" not in check._repr_mimebundle_()["text/html"]


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


def test_callout_colours_have_text_contrast():
    """Each callout of the course's one stylesheet (right, wrong, why, notice) keeps its
    text readable on its background; verdicts say right or wrong in a symbol and words."""
    tokens = dict(re.findall(r"--course-([a-z-]+):\s*(#[0-9a-f]{6})", css()))
    kinds = [name.removesuffix("-ink") for name in tokens if name.endswith("-ink")
             and f"{name.removesuffix('-ink')}-bg" in tokens]
    assert {"right", "wrong", "info", "notice"} <= set(kinds)
    for kind in kinds:
        assert contrast(tokens[f"{kind}-ink"], tokens[f"{kind}-bg"]) >= 4.5, kind
    for symbol, words in VERDICT.values():
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
    assert len(re.findall(r"<dt[ >]", terms.result.value)) == len(terms.entries)
    assert "Guest operating system" in terms.look_up("guest os")
    assert "Hypervisor" not in terms.look_up("guest os")
    assert "No term matches" in terms.look_up("zzz")


def test_a_long_glossary_opens_with_an_a_to_z_index_that_links_each_letter():
    shown = glossary().look_up("")
    letters = re.findall(r'href="#course-term-([A-Z])"', shown)
    assert len(letters) > 10 and letters == sorted(letters)
    assert all(f'id="course-term-{letter}"' in shown for letter in letters)
    assert 'class="course-index"' not in glossary(concept="01-model").result.value  # short
    named = re.findall(r'aria-label="AWS source for ([^"]+)"', shown)
    assert len(named) == len(set(named)) == len(glossary().entries)


STACKS = [("ec2",), ("ec2", "rds", "lambda", "s3"),  # as the notebooks draw them, widest last
          ("lambda", "s3", "dynamodb", "sqs", "kms", "iam"),
          ("s3", "iam", "ec2", "rds", "lambda", "cloudfront")]


def svg_roots(picture) -> list[ElementTree.Element]:
    return list(ElementTree.fromstring(picture._repr_html_()).iter(f"{SVG}svg"))


def svg_root(picture) -> ElementTree.Element:
    return svg_roots(picture)[0]


def drawn_text(root: ElementTree.Element) -> str:
    return " ".join(" ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text")).split())


def test_stack_picture_scales_to_its_cell_and_keeps_every_word():
    """Issue 9.1: no fixed pixel width (a viewBox, 100% of the cell); every word of every
    service name is drawn (long names wrap between words, none is cut)."""
    for services in STACKS:
        picture = stack(*services)
        roots = svg_roots(picture)
        for root in roots:
            assert root.get("width") == "100%" and root.get("viewBox", "").startswith("0 0 ")
            assert "height" not in root.attrib
        drawn = " ".join(drawn_text(root) for root in roots).split()
        for service in picture.services:
            for word in service["name"].split():
                assert word in drawn, (services, word)


def test_wide_stacks_are_split_so_no_text_is_drawn_under_12_px_at_1024():
    """Issue 16.5: a picture is at most 615 units wide, so its 13-unit text is drawn at 12 px
    or more in the 571-px output of a 1024-px window (file browser open); six services become
    two pictures of three, every row of a picture is as high as the others."""
    for services in [*STACKS, ("ec2", "ecs-ec2", "ecs-fargate", "rds")]:
        for root in svg_roots(stack(*services)):
            width = float(root.get("viewBox").split()[2])
            smallest = min(float(t.get("font-size")) for t in root.iter(f"{SVG}text"))
            assert smallest * 571 / width >= 12, (services, width)
            heights = {round(float(r.get("height")), 3) for g in root.iter(f"{SVG}g")
                       if g.get("class") == "course-stack-cell" for r in g.iter(f"{SVG}rect")}
            assert len(heights) == 1, (services, heights)
    assert len(svg_roots(stack(*STACKS[-1]))) == 2


def test_a_band_is_highlighted_and_named():
    """Issue 16.5: 02 highlights AWS's band, 03 the customer's: the pictures differ, and each
    names its band and makes its rows' names bold."""
    aws, customer = stack("ec2", "s3", band="AWS"), stack("ec2", "s3", band="Customer")
    assert aws._repr_html_() != customer._repr_html_() != stack("ec2", "s3")._repr_html_()
    for picture, words, rows in ((aws, "security OF the cloud", {"Hardware"}),
                                 (customer, "security IN the cloud", {"Data classification"})):
        root = svg_root(picture)
        assert words in drawn_text(root) and words in root.find(f"{SVG}desc").text
        bold = {" ".join(t.itertext()) for t in root.iter(f"{SVG}text")
                if t.get("font-weight") == "bold"}
        assert rows <= bold and "Layer" in bold
    assert "Hardware" not in {" ".join(t.itertext()) for t in svg_root(customer).iter(
        f"{SVG}text") if t.get("font-weight") == "bold"}


def test_the_controls_column_names_awss_kinds_of_control():
    """Issue 16.5 (08): inherited where AWS owns a layer on every service shown, shared where
    the owners differ, customer-specific where the customer owns it everywhere."""
    picture = stack("ec2", "rds", "s3", controls=True)
    kinds = {item["id"]: picture.control(item) for item in picture.items}
    assert kinds["physical-security"] == "Inherited"
    assert kinds["guest-os-patching"] == "Shared"  # EC2: customer; RDS, S3: AWS
    assert kinds["iam"] == "Customer-specific"
    text = drawn_text(svg_root(picture))
    assert "Kind of control" in text and "Customer-specific" in text
    assert "Kind of control" in repr(picture)


def test_stack_picture_has_a_text_alternative_listing_every_cell():
    picture = stack("s3", "iam", "ec2", "rds", "lambda", "cloudfront")
    root = svg_root(picture)
    assert root.get("role") == "img" and root.get("aria-label").startswith("Responsibility stack")
    assert "AWS Identity and Access Management (IAM)" in root.find(f"{SVG}title").text
    description = root.find(f"{SVG}desc").text
    for service in picture.services:
        start = description.index(service["name"])
        for item in picture.items:
            cell = f"{item['name']}: {picture.owner(service, item['id'])}"
            assert cell in description[start:], cell


def test_stack_headers_use_awss_categories_not_the_courses_labels():
    """Issue 16 (review 29): "IaaS · abstracted" over S3 contradicted 04, which calls that
    label misleading; headers name AWS's category only, and no footer explains jargon."""
    for services in STACKS:
        for root in svg_roots(stack(*services)):
            text = drawn_text(root) + root.find(f"{SVG}desc").text
            assert not {"IaaS", "PaaS", "SaaS", "FaaS"} & set(text.replace("/", " ").split())
    assert "abstracted" in drawn_text(svg_root(stack("s3")))


def test_stack_picture_names_every_owner_in_words_and_a_symbol():
    """Every owner of content.parties(), the new N/A included, is written in the cell and
    explained in the legend; colour is never the only cue."""
    picture = stack("ec2")
    ec2 = picture.services[0]
    owners = list(content.parties())
    changed = dict(zip([i["id"] for i in picture.items], owners * 8, strict=False))
    picture.services = [{**ec2, "responsibilities": {
        item: {**cell, "owner": changed[item]} for item, cell in ec2["responsibilities"].items()}}]
    html = picture._repr_html_()
    for party in content.parties().values():
        assert f">{party['symbol']} {party['id']}" in html.replace("*<", "<")
        assert escape(party["label"]) in html
    assert "N/A means Not applicable" in svg_root(picture).find(f"{SVG}desc").text
    assert "Guest operating system patching | " in repr(picture)


def contrast(colour: str, other: str = "#ffffff") -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(colour), luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_owner_colours_carry_white_text_at_aa_contrast():
    """White text on each owner's colour reaches WCAG AA (4.5:1)."""
    for party in content.parties().values():
        assert contrast(party["colour"]) >= 4.5, party


def test_no_output_needs_an_emoji_font():
    """Emoji (🔒, 🛡️) show as empty boxes where no emoji font is installed."""
    outputs = [stack(*STACKS[-1])._repr_html_(), MasteryMap()._repr_html_(),
               repr(MasteryMap()), tutor("01-model").message.value, glossary().result.value]
    for output in outputs:
        emoji = [c for c in output if ord(c) >= 0x1F000 or c == "\ufe0f"]
        assert not emoji, emoji


def test_responsibility_model_shows_as_json():
    """Issue 9.8: the file's own text, highlighted as JSON, not a Python dict."""
    model = responsibility_model()
    bundle, _metadata = get_ipython_formatter().format(model)
    text = (REPO / "course" / "data" / "responsibility-model.json").read_text().strip()
    assert bundle["text/markdown"] == f"```json\n{text}\n```"
    assert bundle["text/plain"] == text and json.loads(text) == model


def test_a_re_run_ask_or_builder_cell_leaves_one_live_widget_and_listener(monkeypatch):
    """Issue 13: each re-run of an ``ask`` cell used to add a listener and keep the widget it
    replaced alive (ipywidgets keeps every widget until it is closed). Now the item keeps one
    listener, the replaced widget is closed with all it holds, and the newest follows code."""
    from ipywidgets.widgets.widget import _instances

    from course import answers, capstone, checkpoint, kinds
    from course.widgets.capstone_builder import CapstoneBuilder

    monkeypatch.setattr(answers, "_answers", {})
    monkeypatch.setattr(answers, "_listeners", {})
    item = "cp-01-webshop-matrix"
    checkpoint.ask(item)
    first = answers._listeners[item][1]
    live = len(_instances)
    checkpoint.ask(item)
    checkpoint.ask(item)
    newest = answers._listeners[item][1]
    assert len(answers._listeners) == 1 and newest is not first
    assert first.comm is None and all(child.comm is None for child in first.children)
    assert len(_instances) == live and newest.comm is not None
    example = kinds.of(item).example()
    checkpoint.answer(item, example)
    assert newest.children[1].value == example

    builders = [CapstoneBuilder(), CapstoneBuilder()]
    assert builders[0].comm is None and builders[1].comm is not None
    assert answers._listeners[capstone.ITEM][1] is builders[1]
    form = builders[1]
    service = next(iter(form.service_boxes))
    form.service_boxes[service].value = True
    section = form.services[service]
    form.service_boxes[service].value = False  # a service unticked: its rows are closed
    assert service not in form.services and section.comm is None and section.rows[0][0].comm is None


def test_re_running_a_cell_closes_the_widgets_its_last_run_made():
    """A cell run again (JupyterLab names it by its cellId, which IPython passes on) closes
    the widgets of its last run, with all they hold; other cells' widgets stay, and without
    a cell id (nbclient, a terminal) nothing is closed."""
    from ipywidgets.widgets.widget import _instances

    shell = InteractiveShell.instance()
    code = "from course import quiz, tutor\nq = quiz('q-ec2-guest-os')\nt = tutor('01-model')"
    shell.run_cell(code, cell_id="cell-a")
    first = [shell.user_ns["q"], shell.user_ns["t"]]
    shell.run_cell(code, cell_id="cell-b")
    other = [shell.user_ns["q"], shell.user_ns["t"]]
    live = len(_instances)
    shell.run_cell(code, cell_id="cell-a")
    assert all(w.comm is None for w in [*first, first[0].choice, first[1].next])
    assert all(w.comm is not None for w in other) and len(_instances) == live
    newest = [shell.user_ns["q"], shell.user_ns["t"]]
    shell.run_cell(code)
    assert all(w.comm is not None for w in newest) and len(_instances) > live


def test_widgets_carry_html_and_text_fallbacks():
    for widget in (quiz("q-ec2-guest-os"), matrix("ec2"), tutor("01-model"), glossary()):
        bundle = widget._repr_mimebundle_()
        assert "application/vnd.jupyter.widget-view+json" in bundle
        assert bundle["text/html"].strip() and bundle["text/plain"].strip()


def shown_in_kernel(*extra_arguments: str) -> tuple[list[str], list[set[str]]]:
    """The message types and display bundles a real kernel sends while a cell shows a quiz
    and a matrix."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(extra_arguments=list(extra_arguments))
    try:
        sent: list[dict] = []
        reply = client.execute_interactive(
            "from course import quiz, matrix\ndisplay(quiz('q-ec2-guest-os'), matrix('ec2'))",
            output_hook=sent.append, timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return ([msg["msg_type"] for msg in sent],
            [set(msg["content"]["data"]) for msg in sent if msg["msg_type"] == "display_data"])


def test_grading_kernels_build_widgets_without_front_end_traffic():
    """A kernel started with the course.widgets.plain extension (course-grade's kernels)
    sends no widget message and displays every widget as its fallback; the control, a
    kernel without it, opens comms and sends widget views."""
    fallback = {"text/html", "text/plain"}
    sent, bundles = shown_in_kernel("--ext=course.widgets.plain")
    assert "comm_open" not in sent and "comm_msg" not in sent
    assert bundles == [fallback, fallback]
    sent, bundles = shown_in_kernel()
    assert "comm_open" in sent
    # each widget view comes after its companion, the fallback for a reopened notebook
    # (course.widgets.saved)
    assert [("application/vnd.jupyter.widget-view+json" in bundle) for bundle in bundles] == [
        False, True, False, True]


def test_the_plain_extension_replaces_the_comm_hook_until_unloaded():
    import comm

    from course.widgets import plain

    own = comm.create_comm
    plain.load_ipython_extension(None)
    assert comm.create_comm is comm.DummyComm and plain.active()
    assert set(quiz("q-ec2-guest-os")._repr_mimebundle_()) == {"text/html", "text/plain"}
    plain.unload_ipython_extension(None)
    assert comm.create_comm is own and not plain.active()


def test_a_widget_s_companion_keeps_its_fallback_hidden_with_the_line_to_run_it():
    """What a reopened notebook shows where the widget's model is gone (saved.js swaps it in):
    the widget's own fallback, then how to bring the widget back; hidden while it is live."""
    bundle = quiz("q-ec2-guest-os")._repr_mimebundle_()
    shown = saved.companion(bundle["text/html"])
    hidden, script = shown["text/html"].split("<script>")
    fallback = bundle["text/html"]
    assert hidden == f'<div class="course-saved" hidden>{fallback}{saved.RUN_AGAIN}</div>'
    assert script == f"{saved.SCRIPT.read_text(encoding='utf-8')}</script>"
    assert shown["text/plain"] == ""
