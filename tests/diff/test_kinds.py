"""Every change kind against tests/cases/diff/kinds.yaml: each case changes one leaf item
and expects exactly the changes found, with their kind, effect and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from svccat.diff.compare import DiffSettings, diff_catalogues
from svccat.diff.kinds import EFFECT_LABELS, KINDS, Effect
from tests.diff.helpers import BASE_ID, KIND_SPEC, item, load_valid, write_catalogue

CASES: list[dict[str, Any]] = KIND_SPEC["cases"]


def _side(case: dict[str, Any], side: str) -> list[dict[str, Any]]:
    spec = case.get(side, {})  # left out: the base item; null: no item
    found = [item(spec)] if spec is not None else []
    found += [item(s) for s in case.get("also", [])]
    found += [item(s) for s in case.get(f"also_{side}", [])]
    return found


def _expected(case: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return sorted((e["kind"], e["effect"], e["field"], e.get("item", BASE_ID))
                  for e in case["expect"])


def test_every_kind_has_a_case() -> None:
    covered = {e["kind"] for case in CASES for e in case["expect"]}
    assert covered <= set(KINDS), covered - set(KINDS)
    assert set(KINDS) == covered, f"kinds without a case: {sorted(set(KINDS) - covered)}"


def test_case_names_are_unique() -> None:
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names))


def test_expected_effects_are_the_kinds_own() -> None:
    """The case file states effects; they must agree with kinds.py, so a change of a kind's
    class is a deliberate edit of both."""
    for case in CASES:
        for e in case["expect"]:
            assert KINDS[e["kind"]].effect.value == e["effect"], (case["name"], e)


def test_every_kind_and_effect_has_both_titles() -> None:
    for kind in KINDS.values():
        assert kind.title.zh and kind.title.en and kind.name == kind.name.lower()
    assert set(EFFECT_LABELS) == set(Effect)
    assert [e.rank for e in Effect] == list(range(len(Effect)))


def _id(index: int, case: dict[str, Any]) -> str:
    kinds = sorted({e["kind"] for e in case["expect"]}) or ["none"]
    return f"{index:02d}-{'+'.join(kinds)}"


@pytest.mark.parametrize("case", CASES, ids=[_id(i, c) for i, c in enumerate(CASES)])
def test_kind_case(case: dict[str, Any], tmp_path: Path) -> None:
    old = load_valid(write_catalogue(tmp_path / "old", _side(case, "old")))
    new = load_valid(write_catalogue(tmp_path / "new", _side(case, "new")))
    diff = diff_catalogues(old, new, old_label="old", new_label="new", settings=DiffSettings())
    got = sorted((c.kind, c.effect.value, c.field, c.subject) for c in diff.changes)
    assert got == _expected(case), case["name"]
    for change in diff.changes:
        assert change.department == "公安"  # the system of 370784-gaj, for the summary
        if change.kind != "item-added":
            assert change.old_item is not None
        if change.kind != "item-removed":
            assert change.new_item is not None
