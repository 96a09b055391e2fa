"""Inline suppressions: reasons required, scopes by line and by item, unused ones reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from svccat.suppress import WHOLE_FILE, parse
from tests.conftest import CASES, lint_json

REGISTRIES = {f"catalogue/registries/{p.name}": p.read_text(encoding="utf-8")
              for p in (CASES / "rules" / "_registries").glob("*.yaml")}
SETTINGS = '[lint]\nselect = ["G001", "Q005", "N"]\n'


def _item(ident: str, name: str, head: str = "", tail: str = "") -> str:
    return (f"{head}id: {ident}\nname: {name}{tail}\ntype: 行政确认\nregion: \"370000\"\n"
            "department: 370000-gat\ntier: main\nstatus: draft\n")


def _problems(write: Any, items: dict[str, str]) -> list[tuple[str, str, int | None]]:
    root: Path = write({**REGISTRIES, "svccat.toml": SETTINGS,
                        **{f"catalogue/items/{k}.yaml": v for k, v in items.items()}})
    _, report = lint_json(cwd=root)
    return [(p["code"], p["file"].rsplit("/", 1)[-1], p["line"]) for p in report["problems"]]


def test_parse_scopes() -> None:
    text = ("# svccat: disable=Q005 -- 主项不写条件\nid: a\n"
            "name: x  # svccat: disable=G001 -- 一项服务\n"
            "# svccat: disable=G001,Q005 -- 说明\n\ntype: y\n")
    found = parse(text)
    assert [(s.line, s.codes, s.reason, s.target) for s in found] == [
        (1, ("Q005",), "主项不写条件", WHOLE_FILE), (3, ("G001",), "一项服务", 3),
        (4, ("G001", "Q005"), "说明", 6)]


def test_line_suppression_with_reason(write: Any) -> None:
    items = {"a": _item("a", "居民身份证补领、换领", tail="  # svccat: disable=G001 -- 省定一项")}
    assert _problems(write, items) == [("Q005", "a.yaml", 1)]


def test_item_suppression_covers_the_whole_file(write: Any) -> None:
    head = "# yaml-language-server: $schema=x.json\n# svccat: disable=G001,Q005 -- 历史事项，待拆分\n"
    assert _problems(write, {"a": _item("a", "居民身份证补领、换领", head=head)}) == []


def test_next_line_suppression(write: Any) -> None:
    text = _item("a", "居民身份证补领、换领").replace(
        "name:", "# svccat: disable=G001 -- 一项服务\nname:")
    assert _problems(write, {"a": text}) == [("Q005", "a.yaml", 1)]


def test_reason_is_required_and_without_it_nothing_is_suppressed(write: Any) -> None:
    items = {"a": _item("a", "居民身份证补领、换领", tail="  # svccat: disable=G001")}
    assert sorted(_problems(write, items)) == [("G001", "a.yaml", 2), ("N001", "a.yaml", 2),
                                               ("Q005", "a.yaml", 1)]


def test_unused_and_unknown_codes_are_reported(write: Any) -> None:
    items = {"a": _item("a", "居民身份证补领", tail="  # svccat: disable=G001,ZZ99 -- 旧注释")}
    assert sorted(_problems(write, items)) == [("N002", "a.yaml", 2), ("N003", "a.yaml", 2),
                                               ("Q005", "a.yaml", 1)]


@pytest.mark.parametrize("comment", ["# svccat: disable=G001 --", "#svccat:disable=G001--  "])
def test_empty_reasons_count_as_none(comment: str) -> None:
    (found,) = parse(f"name: x  {comment}\n")
    assert found.reason is None
