"""docs/diff.md stays true to the code: its table of change kinds is generated from KINDS
(regenerate with SVCCAT_REGENERATE_GOLDEN=1), and settings, formats and effects it names
exist."""

from __future__ import annotations

import os
import re

from svccat.diff.kinds import EFFECT_LABELS, KINDS, Effect
from svccat.diff.report import DIFF_REPORTERS, GITHUB_COMMENT_LIMIT, SHOWN_FIRST
from svccat.diff.settings import _KEYS
from tests.conftest import REPO

DOC = REPO / "docs" / "diff.md"
BLOCK = re.compile(r"(<!-- kinds:begin[^\n]*-->\n)(.*?)(<!-- kinds:end -->)", re.S)


def kinds_table() -> str:
    lines = ["| 类型 / kind | 类别 / effect | 说明 | Description |", "|---|---|---|---|"]
    lines += [f"| `{k.name}` | {EFFECT_LABELS[k.effect].zh} `{k.effect.value}` | {k.title.zh} | "
              f"{k.title.en} |" for k in KINDS.values()]
    return "\n".join(lines) + "\n"


def test_the_kinds_table_is_generated_from_the_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    found = BLOCK.search(text)
    assert found, "docs/diff.md lost its <!-- kinds:begin --> … <!-- kinds:end --> block"
    if os.environ.get("SVCCAT_REGENERATE_GOLDEN"):
        text = text[:found.start(2)] + kinds_table() + text[found.end(2):]
        DOC.write_text(text, encoding="utf-8")
        found = BLOCK.search(text)
        assert found
    assert found.group(2) == kinds_table(), (
        "the kinds table of docs/diff.md differs from svccat.diff.kinds.KINDS; regenerate it "
        "with SVCCAT_REGENERATE_GOLDEN=1 python -m pytest tests/diff/test_docs.py")


def test_every_kind_effect_format_and_setting_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in KINDS:
        assert f"`{name}`" in text, name
    for effect in Effect:
        assert f"`{effect.value}`" in text and EFFECT_LABELS[effect].zh in text
    for name in DIFF_REPORTERS:
        assert f"`{name}`" in text or f"`--format {name}`" in text, name
    for key in _KEYS:
        assert f"{key} =" in text or f"`{key}`" in text, key
    assert f"{GITHUB_COMMENT_LIMIT:,}" in text and f"前 {SHOWN_FIRST} 处" in text
    assert "svccat diff --base origin/main --format markdown --output comment.md" in text
    assert "git fetch --no-tags --depth=1" in text


def test_chinese_comes_first_then_english() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text.index("## 中文") < text.index("## English")
    assert text.startswith("# 清单对比 / Comparing catalogues")
