"""The label table: every label in both languages, with the same placeholders."""

from __future__ import annotations

import string

from svccat.site.labels import LABELS, Labels


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_label_has_both_languages_and_the_same_placeholders() -> None:
    for key, (zh, en) in LABELS.items():
        assert zh.strip() and en.strip(), key
        assert _fields(zh) == _fields(en), key


def test_english_labels_are_marked_as_english_and_values_escaped() -> None:
    assert str(Labels("zh").html("guide_materials")) == "申请材料"
    assert str(Labels("en").html("guide_materials")) == '<span lang="en">Materials</span>'
    assert str(Labels("zh").html("theme_title", theme="<b>")) == "主题：&lt;b&gt;"
    assert Labels("en").text("visits_value", count=2) == "2 visit(s)"
