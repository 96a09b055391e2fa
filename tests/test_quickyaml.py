"""svccat.quickyaml: where it parses a file, the loader's answer is libyaml's to the last
position and type; everywhere else it steps aside (Unusual) and libyaml answers."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from svccat import quickyaml
from svccat.loader import LoadResult, load_text, load_with_libyaml
from tests.benchmarks import benchmark_module
from tests.conftest import CASES, REPO, SHARED

CASE_LIST: list[dict[str, Any]] = json.loads((CASES / "quickyaml" / "cases.json").read_text())


def _typed(value: Any) -> Any:
    """The value with every type spelled out: 1, 1.0 and True compare equal, and must not."""
    if isinstance(value, dict):
        return ("dict", [(key, _typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(item) for item in value])
    return (type(value).__name__, value)


def _answer(result: LoadResult) -> Any:
    document = result.document
    problems = [(p.code, p.line, p.column, p.message.en) for p in result.problems]
    if document is None:
        return None, problems
    return (_typed(document.data), list(document.values.items()), list(document.keys.items()),
            document.plain_text, document.suppressions, problems)


def _quick(text: str) -> bool:
    try:
        quickyaml.parse(text)
    except quickyaml.Unusual:
        return False
    return True


def _assert_alike(text: str, name: str) -> None:
    expected = load_with_libyaml(text, name)
    assert expected.document is not None and not expected.problems, name
    assert _answer(load_text(text, name)) == _answer(expected), name


@pytest.mark.parametrize("case", CASE_LIST, ids=[c["name"] for c in CASE_LIST])
def test_cases_are_taken_or_refused_as_written(case: dict[str, Any]) -> None:
    assert _quick(case["text"]) is case["quick"]
    if case["quick"]:
        _assert_alike(case["text"], case["name"])


def test_refused_text_still_gets_libyaml_problems() -> None:
    # A duplicate key leaves the quick parser; the loader still reports it where it is.
    result = load_text("id: a\nname: x\nname: y\n", "d.yaml")
    assert [(p.code, p.line, p.column) for p in result.problems] == [("Y010", 3, 1)]
    assert result.document is not None and result.document.data == {"id": "a", "name": "x"}


def _suite() -> list[Path]:
    folder = SHARED / "vendor" / "yaml-test-suite"
    return sorted(folder.glob("*/*.yaml")) if folder.is_dir() else []


@pytest.mark.skipif(not _suite(), reason="../shared/vendor/yaml-test-suite not present")
def test_yaml_test_suite_is_refused_or_answered_alike() -> None:
    taken = 0
    for path in _suite():
        text = path.read_bytes().decode("utf-8", "replace")
        if _quick(text):
            assert path.parent.name == "valid", path.name  # never an error case
            _assert_alike(text, path.name)
            taken += 1
    assert taken >= 10  # plain mappings among them are taken


def _catalogue_texts(root: Path) -> list[tuple[str, str]]:
    return [(str(p.relative_to(root)), p.read_text(encoding="utf-8"))
            for p in sorted(root.rglob("*.yaml"))]


def test_every_sample_file_is_taken_and_answered_alike() -> None:
    texts = _catalogue_texts(REPO / "catalogue")
    assert len(texts) > 100
    for name, text in texts:
        assert _quick(text), name  # the speed of the loader depends on it
        _assert_alike(text, name)


def test_every_generated_file_is_taken_and_answered_alike(tmp_path: Path) -> None:
    benchmark_module("generate").generate(300, tmp_path / "catalogue")
    texts = _catalogue_texts(tmp_path / "catalogue")
    assert len(texts) > 300
    for name, text in texts:
        assert _quick(text), name
        _assert_alike(text, name)


# Pieces that matter to YAML, put into sample files at random places.
_PIECES = [" ", "  ", ":", ": ", "-", "- ", "#", " #", "'", '"', "[", "]", "{", "}", ",", ", ",
           "\n", "\n  ", "\n- ", "~", "null", "true", "1", "1.5", "-1", "&a ", "*a", "!x ", "|",
           ">", "?", "%", "@", "`", "a", "中", "：", "x: y", "''", "\u3000", "\xa0", "..."]


def test_mutated_files_are_refused_or_answered_alike() -> None:
    rng = random.Random(20261202)
    texts = [text for _, text in _catalogue_texts(REPO / "catalogue")]
    taken = refused = 0
    for _ in range(3000):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            action = rng.random()
            if action < 0.4:
                text = text[:at] + rng.choice(_PIECES) + text[at:]
            elif action < 0.7:
                text = text[:at] + text[at + rng.randint(1, 3):]
            else:
                text = text[:at] + rng.choice(_PIECES) + text[at + 1:]
        if _quick(text):
            _assert_alike(text, "mutated.yaml")
            taken += 1
        else:
            refused += 1
    assert taken > 500 and refused > 500  # both sides of the line are exercised


@pytest.mark.parametrize("text", [
    "a: " + "[" * 70 + "]" * 70 + "\n",
    "".join(f"{' ' * 2 * level}k{level}:\n" for level in range(70)) + " " * 140 + "x: 1\n",
    "a: " + "[" * 5000 + "]" * 5000 + "\n",  # far past Python's recursion limit
])
def test_deep_nesting_is_refused_and_reported_by_the_loader(text: str) -> None:
    assert not _quick(text)
    assert [p.code for p in load_text(text, "deep.yaml").problems] == ["Y011"]
