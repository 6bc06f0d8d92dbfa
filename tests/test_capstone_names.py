"""The capstone's examples and card name services as a student reads them (walk finding 9),
and say an unknown (student-typed) service as it was typed."""

from __future__ import annotations

from course import capstone


def test_examples_and_card_show_service_names_not_ids():
    examples = capstone.examples()._repr_html_()
    assert "AWS Elastic Beanstalk" in examples and "elastic-beanstalk" not in examples
    assert "<th>id</th>" not in examples
    card = capstone.Card({"title": "T", "services": ["elastic-beanstalk", "my-own", ["x"]],
                          "matrix": [capstone.row("kms", "guest-os-patching", "AWS", "r")]})
    shown = card._repr_html_()
    assert "AWS Elastic Beanstalk, my-own, [&#39;x&#39;]" in shown
    assert "<td>AWS Key Management Service (KMS)</td>" in shown and "elastic-beanstalk" not in shown
