"""Property-based tests (Hypothesis): generated YAML and generated items thrown at the loader,
lint, build and diff. Whatever comes in, the answer is problems or output, never a traceback;
the exit code is 0, 1 or 2; the site is whole or absent.

Everything runs in this process (svccat's real entry point, `tests.security.conftest.svccat`),
on a budget: the whole file takes well under 30 seconds on two cores.
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from svccat.loader import load_bytes, load_text
from svccat.schema import Kind, bundled
from svccat.site.output import MARKER
from tests.security.conftest import Outcome, svccat
from tests.site.small import ITEMS, write_small


def budget(examples: int) -> settings:
    """A bounded number of examples (times SVCCAT_PROPERTY_SCALE, for a longer hunt), no
    deadline (a build takes half a second), no example database written into the tree."""
    scale = int(os.environ.get("SVCCAT_PROPERTY_SCALE", "1"))
    return settings(max_examples=examples * scale, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
FULL_NAME = "370784/370784-sfz-sl.yaml"
FULL_ITEM: dict[str, Any] = yaml.safe_load(ITEMS[FULL_NAME])
EVERY_RULE = "[lint]\n"  # no select: every rule runs on what the schema lets through

# YAML's own punctuation, indentation, quotes, escapes, Chinese, and characters that are
# not allowed at all: what an editor's typo or a hostile file is made of.
_YAML_PIECES = [":", ": ", "-", "- ", "[", "]", "{", "}", ",", "&a", "*a", "!", "!!str", "|",
                ">", "'", '"', "#", "%YAML 1.2", "---", "...", "@", "`", "?", "\n", "\n  ",
                "\n    ", "\t", "id", "id: ", "370784-x", "名称", "1", "0x1F", "~", "null",
                "yes", "\\", "\\u0000", "\x07", "\x1b", "\x85", "\u2028", "\ufeff", "\r\n", " "]
yaml_like = st.lists(st.sampled_from(_YAML_PIECES) | st.text(max_size=3), max_size=60).map("".join)


@contextmanager
def _project(files: dict[str, str] | None = None) -> Iterator[Path]:
    """A fresh copy of the small catalogue, with these files added or replaced."""
    folder = Path(tempfile.mkdtemp(prefix="svccat-property-"))
    try:
        write_small(folder, extra=files)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# The loader ------------------------------------------------------------------------------

@budget(400)
@given(st.one_of(yaml_like, st.text(max_size=200)))
def test_any_text_loads_as_data_or_as_problems(text: str) -> None:
    """Protects: the loader turns every parser, reader and composer error into problems with
    the file and a line inside the file, and never raises."""
    result = load_text(text, "t.yaml")
    assert result.document is not None or result.problems
    lines = text.count("\n") + text.count("\r") + text.count("\x85") + text.count("\u2028") + 2
    for problem in result.problems:
        assert problem.file == "t.yaml"
        assert problem.line is None or 1 <= problem.line <= lines, (problem, text)
        assert problem.message.zh and problem.message.en


@budget(300)
@given(st.one_of(st.binary(max_size=300), yaml_like.map(lambda t: t.encode("utf-8")),
                 yaml_like.map(lambda t: t.encode("utf-16")),
                 yaml_like.map(lambda t: t.encode("gb18030", "replace"))))
def test_any_bytes_load_as_data_or_as_problems(raw: bytes) -> None:
    """Protects: any bytes (binary, NUL, UTF-16, GB 18030, broken UTF-8) are decoded strictly
    and answered with problems, never an exception."""
    result = load_bytes(raw, "b.yaml")
    assert result.document is not None or result.problems
    assert all(p.file == "b.yaml" for p in result.problems)


# Lint on broken items --------------------------------------------------------------------

json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12)


def _leaves(node: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _leaves(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _leaves(value, (*here, index))
    return found


POINTERS = _leaves(FULL_ITEM)


def _set(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return document


@st.composite
def broken_items(draw: st.DrawFn) -> Any:
    """The full guide item with one to three values replaced by anything JSON can hold."""
    document: Any = copy.deepcopy(FULL_ITEM)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(POINTERS))
        value = draw(json_value)
        with suppress(KeyError, IndexError, TypeError):  # an earlier change removed the place
            document = _set(document, path, value)
    return document


@budget(30)
@given(broken_items())
def test_lint_answers_any_item(document: Any) -> None:
    """Protects: lint reports any item (wrong types, unknown keys, huge numbers, odd text) as
    problems at a line of its file, exit 0 or 1, never a traceback: schema errors are mapped
    whatever value caused them, and the rules only see what the schema let through."""
    text = yaml.safe_dump(document, allow_unicode=True)
    with _project({"svccat.toml": EVERY_RULE, f"catalogue/items/{FULL_NAME}": text}) as project:
        done = svccat("lint", "--format", "json", cwd=project)
        done.assert_answered()
        assert done.code in (0, 1), done.stderr
        problems = done.json()["problems"]
        for p in problems:
            if p["file"] == f"catalogue/items/{FULL_NAME}" and p["code"][0] in "YS":
                assert p["line"], p


# Build and diff on valid but unusual items -----------------------------------------------

def _schema_at(path: tuple[Any, ...]) -> dict[str, Any]:
    node: dict[str, Any] = bundled(Kind.ITEM)
    for step in path:
        node = node.get("items", {}) if isinstance(step, int) else \
            node.get("properties", {}).get(step, {})
    return node


free_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1,
                    max_size=40).filter(lambda s: s.strip() != "")


def _valid_value(draw: st.DrawFn, schema: dict[str, Any], current: Any) -> Any:
    """A value the schema accepts in place of current, or current itself."""
    if "enum" in schema:
        return draw(st.sampled_from(schema["enum"]))
    kind = schema.get("type")
    if kind == "string" and "pattern" not in schema and "format" not in schema:
        text = draw(free_text)
        return text[: schema.get("maxLength", len(text))]
    if kind == "integer":
        return draw(st.integers(schema.get("minimum", 0), schema.get("maximum", 10_000)))
    if kind == "boolean":
        return draw(st.booleans())
    if kind == "array" and isinstance(current, list) and current:
        count = draw(st.integers(schema.get("minItems", 0), 3))
        if schema.get("uniqueItems"):
            count = min(count, 1)
        return [copy.deepcopy(current[0]) for _ in range(count)] if count else []
    return current


@st.composite
def unusual_items(draw: st.DrawFn) -> Any:
    """The full guide item with up to twelve values changed within what the schema allows:
    any Unicode in free text, any enum value, any number in range, lists emptied or grown."""
    document: Any = copy.deepcopy(FULL_ITEM)
    for _ in range(draw(st.integers(1, 12))):
        path = draw(st.sampled_from(POINTERS))
        if path[:1] in (("id",), ("parent",), ("implements",), ("region",), ("department",)):
            continue
        try:
            current = document
            for step in path:
                current = current[step]
        except (KeyError, IndexError, TypeError):
            continue
        _set(document, path, _valid_value(draw, _schema_at(path), current))
    return document


def _whole_or_absent(project: Path, outcome: Outcome) -> None:
    site = project / "site"
    leftovers = [p.name for p in project.iterdir() if p.name.startswith(".site.")]
    assert leftovers == []
    if outcome.code == 0:
        assert (site / MARKER).is_file() and (site / "index.html").is_file()
    else:
        assert not site.exists()


@budget(10)
@given(unusual_items())
def test_lint_build_and_diff_answer_any_valid_item(document: Any) -> None:
    """Protects: every rule, every page and every diff handles what the schema accepts
    (empty lists, any Unicode, any enum combination, limits of 0 or 3650 days): lint exits
    0 or 1, the build (forced past rule errors) writes a whole site, diff answers in every
    format."""
    text = yaml.safe_dump(document, allow_unicode=True)
    with _project({"svccat.toml": EVERY_RULE, f"catalogue/items/{FULL_NAME}": text}) as project:
        linted = svccat("lint", "--format", "json", cwd=project)
        linted.assert_answered()
        assert linted.code in (0, 1)
        built = svccat("build", "--force", "--out", "site", cwd=project)
        built.assert_answered()
        assert built.code == 0, built.stderr
        _whole_or_absent(project, built)
        write_small(project / "before")
        for fmt in ("json", "markdown"):
            diffed = svccat("diff", "before/catalogue", "catalogue", "--format", fmt, cwd=project)
            diffed.assert_answered()
            assert diffed.code == 0, diffed.stderr
            if fmt == "json":
                diffed.json()


@budget(8)
@given(broken_items())
def test_a_build_is_refused_or_whole(document: Any) -> None:
    """Protects: whatever the catalogue holds, `svccat build` either refuses (exit 1, no
    output folder) or writes a whole site, and leaves no temporary folder."""
    text = yaml.safe_dump(document, allow_unicode=True)
    with _project({f"catalogue/items/{FULL_NAME}": text}) as project:
        built = svccat("build", "--out", "site", cwd=project)
        built.assert_answered()
        _whole_or_absent(project, built)


@budget(10)
@given(st.lists(broken_items(), min_size=1, max_size=3))
def test_diff_answers_any_pair_of_catalogues(documents: list[Any]) -> None:
    """Protects: diff compares catalogues with broken files on either side (the broken files
    are left out, the rest compared) and answers in every format."""
    files = {f"catalogue/items/generated/g{i}.yaml": yaml.safe_dump(d, allow_unicode=True)
             for i, d in enumerate(documents)}
    with _project(files) as project:
        write_small(project / "before")
        for fmt in ("text", "json", "markdown", "html"):
            diffed = svccat("diff", "before/catalogue", "catalogue", "--format", fmt, cwd=project)
            diffed.assert_answered()
            assert diffed.code == 0, diffed.stderr
