"""The bundled schemas: valid, documented in both languages, and their errors well placed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from svccat.loader import load_text
from svccat.schema import Kind, load_schemas, validate
from tests.conftest import CASES

SCHEMA_CASES = sorted((CASES / "schema").glob("*.yaml"))
_CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_kind_has_a_schema_with_a_stable_id() -> None:
    schemas = load_schemas()
    for kind in Kind:
        schema = schemas[kind.schema_file]
        assert schema["$id"] == f"https://schemas.svccat.org/v1/{kind.schema_file}"
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", sorted(load_schemas()))
def test_schema_is_valid_against_the_meta_schema(name: str) -> None:
    Draft202012Validator.check_schema(load_schemas()[name])


def _properties(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for key, sub in node.get("properties", {}).items():
            yield f"{where}/{key}", sub
        for key, sub in node.items():
            if key not in ("if", "then", "else"):  # conditions restate, they do not define
                yield from _properties(sub, f"{where}/{key}")
    elif isinstance(node, list):
        for i, sub in enumerate(node):
            yield from _properties(sub, f"{where}/{i}")


@pytest.mark.parametrize("name", sorted(load_schemas()))
def test_every_property_has_a_chinese_title_and_a_bilingual_description(name: str) -> None:
    found = list(_properties(load_schemas()[name], name))
    assert found
    for where, prop in found:
        assert _CJK.search(prop.get("title", "")), f"{where}: title must be Chinese"
        zh, sep, en = prop.get("description", "").partition(" / ")
        assert sep and _CJK.search(zh) and en.strip(), f"{where}: description must be 'zh / en'"


def _expectation(text: str) -> tuple[str, int, int, str] | None:
    header = text.splitlines()[0]
    assert header.startswith("# expect: ")
    words = header.removeprefix("# expect: ").split()
    if words == ["nothing"]:
        return None
    code, line, column, path = words
    return code, int(line), int(column), path.strip('"')


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=lambda p: p.stem)
def test_schema_case(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    loaded = load_text(text, case.name)
    assert loaded.document is not None and not loaded.problems
    problems = validate(loaded.document, Kind.ITEM, item="370000-a")
    expected = _expectation(text)
    got = [(p.code, p.line, p.column, p.path) for p in problems]
    assert got == ([expected] if expected else [])
    for p in problems:
        assert p.file == case.name and p.message.zh and p.message.en


def test_unquoted_number_in_a_text_field_keeps_what_was_typed() -> None:
    text = "id: 370000-a\nname: 1.10\ntype: 公共服务\nregion: 370000\ndepartment: d\n" \
           "tier: main\nstatus: draft\ncontacts: {consultation: [12345]}\n"
    doc = load_text(text, "t.yaml").document
    assert doc is not None
    assert validate(doc, Kind.ITEM) == []
    assert doc.data["name"] == "1.10" and doc.data["region"] == "370000"
    assert doc.data["contacts"]["consultation"] == ["12345"]


def test_typed_text_still_meets_its_pattern() -> None:
    text = "id: 370000-a\nname: x\ntype: 公共服务\nregion: 3700\ndepartment: d\n" \
           "tier: main\nstatus: draft\n"
    doc = load_text(text, "t.yaml").document
    assert doc is not None
    assert [(p.code, p.path) for p in validate(doc, Kind.ITEM)] == [("S005", "/region")]


def test_messages_follow_the_language() -> None:
    text = "id: 370000-a\nname: x\ntype: 其它\nregion: '370000'\ndepartment: d\n" \
           "tier: main\nstatus: draft\n"
    doc = load_text(text, "t.yaml").document
    assert doc is not None
    (problem,) = validate(doc, Kind.ITEM)
    assert "不允许" in problem.message.get("zh")
    assert "not allowed" in problem.message.get("en")


def _documents() -> list[tuple[str, Kind, Any]]:
    from svccat.catalogue import discover
    from svccat.loader import load_file
    from tests.conftest import REPO

    found = []
    for root in (REPO / "catalogue", REPO / "examples" / "flawed"):
        files, _ = discover(root)
        for source in files:
            loaded = load_file(source.path, source.file)
            if loaded.document is not None and source.kind is not None:
                found.append((source.file, source.kind, loaded.document.data))
    for case in SCHEMA_CASES:
        loaded = load_text(case.read_text(encoding="utf-8"), case.name)
        assert loaded.document is not None
        found.append((case.name, Kind.ITEM, loaded.document.data))
    return found


def test_fast_path_agrees_with_the_full_validator() -> None:
    """jsonschema-rs only answers "valid?"; it must agree with jsonschema on every file we have."""
    from svccat.schema import _fast_check, validator

    documents = _documents()
    assert len(documents) > 300
    for name, kind, data in documents:
        fast = _fast_check(kind)
        assert fast is not None
        assert fast(data) == validator(kind).is_valid(data), name
