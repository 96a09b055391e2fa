"""The consistency matrix: the sample's four pilot counties and their real differences, and
each state of a cell on a small catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from svccat.catalogue import load_catalogue
from svccat.diff.matrix import Matrix, State, consistency_matrix
from svccat.model import Catalogue
from tests.conftest import REPO
from tests.diff.helpers import BASE, item, load_valid, write_catalogue

PILOTS = {"370705": "奎文区", "370725": "昌乐县", "370784": "安丘市", "370785": "高密市"}


@pytest.fixture(scope="module")
def sample() -> Catalogue:
    return load_catalogue(REPO / "catalogue").catalogue


@pytest.fixture(scope="module")
def matrix(sample: Catalogue) -> Matrix:
    return consistency_matrix(sample, list(PILOTS))


def _row(matrix: Matrix, baseline: str | None, name: str | None = None) -> dict[str, State]:
    found = [r for r in matrix.rows if r.baseline == baseline and (name is None or r.name == name)]
    assert len(found) == 1, (baseline, name)
    return {code: cell.state for code, cell in zip(PILOTS, found[0].cells, strict=True)}


def test_the_four_pilot_counties_are_the_columns(matrix: Matrix) -> None:
    assert [(r.code, r.name) for r in matrix.regions] == list(PILOTS.items())
    assert all(len(row.cells) == len(PILOTS) for row in matrix.rows)


def test_changle_lacks_the_business_licence_replacement(matrix: Matrix, sample: Catalogue) -> None:
    assert sample.items["370000-sj-yyzzbl"].name == "个体工商户营业执照补领"
    assert _row(matrix, "370000-sj-yyzzbl") == {
        "370705": State.IMPLEMENTED, "370725": State.MISSING, "370784": State.IMPLEMENTED,
        "370785": State.IMPLEMENTED}
    # … and it is the only baseline item any pilot county lacks.
    missing = [(row.baseline, code) for row in matrix.rows
               for code, cell in zip(PILOTS, row.cells, strict=True) if cell.state is State.MISSING]
    assert missing == [("370000-sj-yyzzbl", "370725")]
    assert matrix.count("370725", State.MISSING) == 1


def test_anqiu_has_its_own_local_item(matrix: Matrix, sample: Catalogue) -> None:
    local = sample.items["370784-mz-nctkjzgy"]
    assert local.implements is None and local.region == "370784"
    assert _row(matrix, None, local.name) == {
        "370705": State.ABSENT, "370725": State.ABSENT, "370784": State.EXTRA,
        "370785": State.ABSENT}
    row = next(r for r in matrix.rows if r.baseline is None and r.name == local.name)
    assert row.cells[2].item == "370784-mz-nctkjzgy"
    # local items come after the baseline rows
    assert all(r.baseline is None for r in matrix.rows[matrix.rows.index(row):])
    assert matrix.count("370784", State.EXTRA) >= 1


def test_gaomi_compresses_committed_limits_and_the_cells_say_so(matrix: Matrix,
                                                                sample: Catalogue) -> None:
    gaomi = list(PILOTS).index("370785")
    compressed = {row.baseline: row.cells[gaomi] for row in matrix.rows
                  if any(n.startswith("承诺时限") and " < " in n for n in row.cells[gaomi].notes)}
    assert len(compressed) >= 10
    cell = compressed["370000-mz-tkry"]
    assert cell.item == "370785-mz-tkry"
    limit = sample.items["370785-mz-tkry"].committed_limit
    base = sample.items["370000-mz-tkry"].committed_limit
    assert limit is not None and base is not None and limit.days < base.days
    assert cell.notes == (f"承诺时限 {limit.days} 个{limit.unit} < {base.days} 个{base.unit}",)
    # A shorter limit is allowed: the item implements the baseline, the note shows how.
    assert cell.state is State.IMPLEMENTED
    # Every note matches the sample's own figures.
    for baseline, each in compressed.items():
        assert baseline is not None and each.item is not None
        mine, theirs = sample.items[each.item].committed_limit, sample.items[baseline].committed_limit
        assert mine is not None and theirs is not None and mine.days < theirs.days


def test_changle_follows_the_baseline_limits(matrix: Matrix) -> None:
    changle = list(PILOTS).index("370725")
    assert not [row.name for row in matrix.rows if row.cells[changle].notes]


def test_every_other_baseline_item_is_implemented_by_every_pilot(matrix: Matrix) -> None:
    for row in matrix.rows:
        if row.baseline is None or row.baseline == "370000-sj-yyzzbl":
            continue
        states = {cell.state for cell in row.cells}
        assert states <= {State.IMPLEMENTED, State.DEVIATING}, row.name
        for code, cell in zip(PILOTS, row.cells, strict=True):
            assert cell.item is not None and cell.item.startswith(code), (row.name, code)


# --- each state on a small catalogue -------------------------------------------------------

def _county(code: str, department: str, overrides: dict[str, object] | None = None
            ) -> dict[str, object]:
    return item({"id": f"{code}-ga-sfz-bl", "region": code, "department": department,
                 "implements": "370000-ga-sfz-bl", "codes": None, **(overrides or {})})


def test_every_state_of_a_cell(tmp_path: Path) -> None:
    baseline = item({"id": "370000-ga-sfz-bl", "region": "370000", "department": "370000-gat",
                     "codes": None, "implementing_levels": ["county"]})
    nobody = item({"id": "370000-ga-csdj", "name": "出生登记", "region": "370000",
                   "department": "370000-gat", "codes": None, "implementing_levels": ["county"]})
    city_only = item({"id": "370000-ga-hkqy", "name": "户口迁移", "region": "370000",
                      "department": "370000-gat", "codes": None, "implementing_levels": ["city"]})
    same = _county("370725", "370725-gaj")
    slower = _county("370784", "370784-gaj", {
        "name": "身份证补领", "committed_limit": {"days": 30, "unit": "工作日"},
        "materials/-": {"name": "单位介绍信", "necessity": "必要"}})
    faster = _county("370785", "370785-gaj", {"committed_limit": {"days": 20, "unit": "自然日"}})
    local = item({"id": "370785-ga-yy", "name": "户籍业务预约", "region": "370785",
                  "department": "370785-gaj", "codes": None})
    cat = load_valid(write_catalogue(tmp_path / "c", [baseline, nobody, city_only, same, slower,
                                                      faster, local]))
    found = consistency_matrix(cat, ["370725", "370784", "370785"])
    rows = {(r.baseline, r.name): r.cells for r in found.rows}
    assert list(rows) == [("370000-ga-csdj", "出生登记"), ("370000-ga-sfz-bl", BASE["name"]),
                          (None, "户籍业务预约")]
    assert [c.state for c in rows[("370000-ga-csdj", "出生登记")]] == [State.MISSING] * 3
    same_cell, slower_cell, faster_cell = rows[("370000-ga-sfz-bl", BASE["name"])]
    assert (same_cell.state, same_cell.notes) == (State.IMPLEMENTED, ())
    assert slower_cell.state is State.DEVIATING
    assert slower_cell.notes == ("名称：身份证补领", "承诺时限 30 个工作日 > 20 个工作日",
                                 "多出材料：单位介绍信")
    # 20 calendar days are shorter than 20 working days (28 calendar days).
    assert (faster_cell.state, faster_cell.notes) == (
        State.IMPLEMENTED, ("承诺时限 20 个自然日 < 20 个工作日",))
    assert [c.state for c in rows[(None, "户籍业务预约")]] == [State.ABSENT, State.ABSENT,
                                                               State.EXTRA]
    assert found.count("370784", State.DEVIATING) == 1
    assert found.count("370725", State.MISSING) == 1
