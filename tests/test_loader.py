"""The loader: every way a file can be broken gives one problem with its code, line, column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from svccat.loader import Document, Layout, Marks, load_file, load_text
from tests.conftest import CASES, SHARED

LOADER_CASES = CASES / "loader"
EXPECTED: dict[str, list[object]] = json.loads((LOADER_CASES / "expected.json").read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_text_files(name: str) -> None:
    result = load_file(LOADER_CASES / name, name)
    code, line, column = EXPECTED[name]
    assert [(p.code, p.line, p.column) for p in result.problems] == [(code, line, column)]
    assert all(p.file == name for p in result.problems)
    assert result.problems[0].message.zh and result.problems[0].message.en


def test_case_files_all_have_expectations() -> None:
    on_disk = {p.name for p in LOADER_CASES.glob("*.yaml")}
    assert on_disk == set(EXPECTED)


BINARY_CASES = [
    ("utf16", "id: a\n".encode("utf-16"), "Y003", 1, 1),
    ("gbk", "id: a\nname: 身份证\n".encode("gbk"), "Y003", 2, 7),
    ("nul", b"id: a\nname: x\x00y\n", "Y012", 2, 8),
    ("latin1-late", b"id: a\nname: ok\nnote: caf\xe9\n", "Y003", 3, 10),
]


@pytest.mark.parametrize(("name", "raw", "code", "line", "column"), BINARY_CASES)
def test_broken_bytes(tmp_path: Path, name: str, raw: bytes, code: str, line: int,
                      column: int) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(raw)
    result = load_file(path, path.name)
    assert result.document is None
    assert [(p.code, p.line, p.column) for p in result.problems] == [(code, line, column)]


def test_bom_is_reported_and_the_rest_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: a\nname: x\n")
    result = load_file(path, "bom.yaml")
    assert [(p.code, p.line) for p in result.problems] == [("Y004", 1)]
    assert result.document is not None and result.document.data == {"id": "a", "name": "x"}


def test_file_too_large_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("id: a\nnote: " + "x" * 2000 + "\n")
    result = load_file(path, "big.yaml", max_size=1000)
    assert [p.code for p in result.problems] == ["Y009"]
    assert "1000" in result.problems[0].message.en


def test_unreadable_path_is_a_problem(tmp_path: Path) -> None:
    result = load_file(tmp_path / "missing.yaml", "missing.yaml")
    assert [p.code for p in result.problems] == ["Y013"]


@pytest.mark.parametrize("depth", [65, 30_000, 200_000])
def test_deep_nesting_is_refused_without_crashing(depth: int) -> None:
    # libyaml's composer overflows the C stack at ~20,000 levels: the loader must not get there.
    result = load_text("id: a\nx: " + "[" * depth + "]" * depth + "\n", "deep.yaml")
    assert [(p.code, p.line) for p in result.problems] == [("Y011", 2)]


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    result = load_text("\n".join(lines) + "\n", "bomb.yaml")
    assert [(p.code, p.line) for p in result.problems] == [("Y008", 2)]


def test_yaml_11_surprises_do_not_change_values() -> None:
    text = ("no: no\nyes_: yes\non: on\nd: 2024-01-01\nt: 12:30:00\nsexa: 1:30\noct: 0755\n"
            "hex: 0x1F\nver: 1.10\nint: 42\nneg: -3\nnil: ~\nempty:\nb: true\nq: '42'\n")
    result = load_text(text, "t.yaml")
    assert result.document is not None
    assert result.document.data == {
        "no": "no", "yes_": "yes", "on": "on", "d": "2024-01-01", "t": "12:30:00",
        "sexa": "1:30", "oct": "0755", "hex": "0x1F", "ver": 1.1, "int": 42, "neg": -3,
        "nil": None, "empty": None, "b": True, "q": "42"}
    # what the editor typed is kept, so the schema can give text back where it wants text
    assert result.document.plain_text["/ver"] == "1.10"


def test_every_number_shape_is_a_number_and_only_those() -> None:
    numbers = {"plus": ("+7", 7), "dot": (".5", 0.5), "neg_dot": ("-.5", -0.5),
               "exp": ("1e3", 1000.0), "plus_exp": ("+2.5E-1", 0.25), "zero": ("0", 0),
               "trailing_dot": ("3.", 3.0)}
    texts = {"fullwidth": "７", "unit": "3天", "phone": "0531-88423267", "dots": "1.2.3",
             "dash": "-x", "plus_text": "+x", "dot_text": ".net", "chinese": "十五", "spaced": "1 000"}
    text = "".join(f"{k}: {v}\n" for k, (v, _) in numbers.items())
    text += "".join(f"{k}: {v}\n" for k, v in texts.items())
    result = load_text(text, "n.yaml")
    assert result.document is not None
    assert result.document.data == {**{k: n for k, (_, n) in numbers.items()}, **texts}
    assert all(type(result.document.data[k]) is type(n) for k, (_, n) in numbers.items())


def test_positions_of_values_and_keys() -> None:
    text = "id: a\nmaterials:\n  - name: 身份证\n    copies: 1\n"
    doc = load_text(text, "t.yaml").document
    assert doc is not None
    assert doc.mark("/materials/0/name") == doc.values["/materials/0/name"]
    assert (doc.values["/materials/0/copies"].line, doc.values["/materials/0/copies"].column) \
        == (4, 13)
    assert (doc.keys["/materials/0/copies"].line, doc.keys["/materials/0/copies"].column) \
        == (4, 5)
    # a pointer with no node of its own falls back to the nearest enclosing value
    assert doc.mark("/materials/0/missing").line == 3


def _suite(kind: str) -> list[Path]:
    folder = SHARED / "vendor" / "yaml-test-suite" / kind
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def _round_trip(doc: Document) -> None:
    """Encoded as the cache stores them, the positions come back the same, for every value
    and every key: the layout names the nodes again."""
    values, keys = doc.values, doc.keys
    assert isinstance(values, Marks) and isinstance(keys, Marks)
    assert values.layout is not None and keys.layout is values.layout
    layout = Layout(encoded=values.layout.encode())
    for marks, again in ((values, Marks(encoded=values.encode(), layout=layout)),
                         (keys, Marks(encoded=keys.encode(), layout=layout, keys=True))):
        assert dict(again) == dict(marks)
        assert list(again) == list(marks)


def test_positions_survive_encoding_without_their_pointers() -> None:
    text = ("id: a\n'a/b': 1\n'c~d': {x: [1, {y: 2}], 'e/f~': z}\nid: duplicate\n"
            "materials:\n  - name: 身份证\n    copies: 1\n  - []\n  - {}\n  - [[a, b], [c]]\n"
            "empty: {}\nblock: |\n  text\nlast: 1\n")
    doc = load_text(text, "t.yaml").document
    assert doc is not None
    encoded = doc.values.encode()  # type: ignore[attr-defined]
    assert encoded[:1] == b"H" and len(encoded) == 1 + 2 * 2 * len(doc.values)
    assert doc.keys["/c~0d/e~1f~0"] == (3, 25)
    assert doc.values["/materials/3/0/1"] == (10, 10)
    assert doc.values["/last"].line == 14
    assert doc.keys["/id"].line == 1  # the duplicate is reported, not marked
    _round_trip(doc)
    # Once decoded, the positions encode the same again.
    assert doc.values.encode() == encoded  # type: ignore[attr-defined]


def test_positions_past_line_65535_survive_encoding() -> None:
    doc = load_text("a: 1\n" + "#\n" * 70_000 + "b: 2\n", "t.yaml").document
    assert doc is not None and doc.values["/b"].line == 70_002
    assert doc.values.encode()[:1] == b"I"  # type: ignore[attr-defined]
    _round_trip(doc)


@pytest.mark.skipif(not _suite("valid"), reason="../shared/vendor/yaml-test-suite not present")
def test_positions_of_every_yaml_test_suite_mapping_survive_encoding() -> None:
    for path in _suite("valid"):
        document = load_file(path, path.name).document
        if document is not None:
            _round_trip(document)


def test_marks_not_made_by_the_loader_keep_their_pointers() -> None:
    marks = Marks.of({"/b": (2, 1), "/a": (1, 1)})  # type: ignore[dict-item]
    assert marks.layout is None
    assert dict(Marks(encoded=marks.encode())) == {"/b": (2, 1), "/a": (1, 1)}


def test_id_of_a_broken_file_is_salvaged() -> None:
    result = load_text("id: 370000-x\nname: [\n", "t.yaml")
    assert result.document is None and result.salvaged_id == "370000-x"


@pytest.mark.skipif(not _suite("error"), reason="../shared/vendor/yaml-test-suite not present")
def test_yaml_test_suite_error_cases_are_problems_never_exceptions() -> None:
    for path in _suite("error"):
        result = load_file(path, path.name)
        assert result.document is None, path.name
        assert result.problems and all(p.code.startswith("Y") for p in result.problems), path.name
        assert all(p.file == path.name for p in result.problems)


@pytest.mark.skipif(not _suite("valid"), reason="../shared/vendor/yaml-test-suite not present")
def test_yaml_test_suite_valid_cases_never_raise() -> None:
    loaded = 0
    for path in _suite("valid"):
        result = load_file(path, path.name)  # must not raise, whatever the content
        assert result.document is not None or result.problems, path.name
        loaded += result.document is not None
    assert loaded > 50  # the mappings among them load as data


def test_libyaml_does_the_parsing_where_available() -> None:
    import yaml

    from svccat import loader

    if yaml.__with_libyaml__:
        assert loader._Parser.__module__ == "yaml._yaml"
