"""The glossary files a service under its own name (walk finding 11): "AWS Lambda" under L,
where the A-Z index's L leads, not under A with every other "AWS …" and "Amazon …"."""

from __future__ import annotations

import re

from course import glossary


def letter_of(shown: str, term: str) -> str:
    """The A-Z index letter whose section holds ``term``'s entry."""
    before = shown[:shown.index(f"<strong>{term}</strong>")]
    return re.findall(r'id="course-term-([A-Z])"', before)[-1]


def test_services_are_filed_under_their_own_name_and_shown_in_full():
    shown = glossary().look_up("")
    for term, letter in {"AWS Lambda": "L", "AWS KMS": "K", "AWS Fargate": "F",
                         "AWS Elastic Beanstalk": "E", "Amazon S3": "S", "Amazon EC2": "E",
                         "AWS managed key": "A", "Abstracted service": "A"}.items():
        assert letter_of(shown, term) == letter, term
    letters = re.findall(r'href="#course-term-([A-Z])"', shown)
    assert {"K", "L", "F"} <= set(letters)
    terms = re.findall(r"<dt[^>]*><strong>([^<]+)</strong>", shown)
    filed = [re.sub(r"^(AWS|Amazon) (?=[A-Z])", "", term).lower() for term in terms]
    assert filed == sorted(filed)


def test_the_copy_shown_without_widgets_has_anchors_of_its_own():
    """Both copies are in the page; a letter of the widget's index must lead to the widget's
    terms, not to the hidden copy's (the first element of an id wins)."""
    terms = glossary()
    copy = terms._repr_mimebundle_()["text/html"]
    shown = terms.result.value
    assert 'id="course-term-L"' in shown and 'id="course-term-L"' not in copy
    assert 'href="#course-text-term-L"' in copy and 'id="course-text-term-L"' in copy
