"""Generated documentation stays in sync with the code it is generated from."""

from __future__ import annotations

from svccat.docgen import problems_markdown
from svccat.problems import CODES
from tests.conftest import REPO


def test_problems_md_is_generated_from_the_codes() -> None:
    on_disk = (REPO / "docs" / "problems.md").read_text(encoding="utf-8")
    assert on_disk == problems_markdown(), "run `make docs` to regenerate docs/problems.md"


def test_every_code_is_documented_with_both_languages() -> None:
    text = problems_markdown()
    for info in CODES.values():
        assert f"`{info.code}`" in text and info.title.zh in text and info.title.en in text
