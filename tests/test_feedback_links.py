"""The feedback on a graded item links each AWS page once: a source the explanation already
links gets no second "AWS source" link under it (seen on 04's Elastic Beanstalk item)."""

from __future__ import annotations

import pytest

from course.grading.score import feedback

ITEM = "cp-04-beanstalk-instances"
KEY = "In the customer's own account, where it can see them"
SOURCE = "https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/platforms-shared-responsibility.html"
OTHER = "https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/using-features.managing.ec2.html"


@pytest.mark.parametrize(("why", "sources_line"), [
    (f"Ordinary EC2 instances in the customer's account ({SOURCE}). See {OTHER}", False),
    ("Ordinary EC2 instances in the customer's account.", True),
])
def test_each_aws_page_is_linked_once(why: str, sources_line: bool):
    shown = feedback({"item": ITEM, "key": KEY, "why": why, "source": SOURCE}, KEY, 1, 1)
    assert shown["text/html"].count(f'href="{SOURCE}"') == 1
    assert shown["text/html"].count(f'href="{OTHER}"') == (OTHER in why)
    assert ("Source: " in shown["text/plain"]) is sources_line


def test_without_the_why_the_source_stays():
    """Not revealed and not fully right: no explanation, so the source link is all there is."""
    why = f"Ordinary EC2 instances ({SOURCE})."
    shown = feedback({"item": ITEM, "key": KEY, "why": why, "source": SOURCE}, None, 0, 1,
                     reveal=False)
    assert "Why:" not in shown["text/plain"]
    assert shown["text/html"].count(f'href="{SOURCE}"') == 1
