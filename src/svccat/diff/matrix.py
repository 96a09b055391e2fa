"""The consistency matrix of peer regions (上下、左右一致): baseline items × regions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from svccat.model import Catalogue, Item, Region
from svccat.rules.handling import exceeds, show


class State(StrEnum):
    IMPLEMENTED = "implemented"
    MISSING = "missing"
    DEVIATING = "deviating"
    EXTRA = "extra"
    ABSENT = ""  # a local item's row, in the other regions


@dataclass(frozen=True)
class Cell:
    state: State
    item: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    baseline: str | None  # the baseline item's id; None for a local item without one
    name: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Matrix:
    regions: tuple[Region, ...]
    rows: tuple[Row, ...]

    def count(self, region: str, state: State) -> int:
        index = [r.code for r in self.regions].index(region)
        return sum(1 for row in self.rows if row.cells[index].state is state)


def _deviations(item: Item, base: Item) -> tuple[str, ...]:
    notes = []
    if item.name != base.name:
        notes.append(f"名称：{item.name}")
    if item.committed_limit and base.committed_limit and exceeds(item.committed_limit,
                                                                 base.committed_limit):
        notes.append(f"承诺时限 {show(item.committed_limit)} > {show(base.committed_limit)}")
    known = {"".join(m.name.split()) for m in base.materials}
    extra = [m.name for m in item.materials if "".join(m.name.split()) not in known]
    if extra:
        notes.append("多出材料：" + "、".join(extra))
    return tuple(notes)


def _compressed(item: Item, base: Item) -> tuple[str, ...]:
    """A committed limit shorter than the baseline's: allowed, so not a deviation, but shown."""
    if item.committed_limit and base.committed_limit and exceeds(base.committed_limit,
                                                                 item.committed_limit):
        return (f"承诺时限 {show(item.committed_limit)} < {show(base.committed_limit)}",)
    return ()


def consistency_matrix(catalogue: Catalogue, regions: list[str]) -> Matrix:
    peers = tuple(catalogue.regions[code] for code in regions)
    by_region: dict[str, dict[str, Item]] = {code: {} for code in regions}
    local: list[Item] = []
    for each in catalogue.items.values():
        if each.region not in by_region:
            continue
        if each.implements:
            by_region[each.region][each.implements] = each
        else:
            local.append(each)
    levels = {r.level for r in peers}
    wanted = {base for found in by_region.values() for base in found}
    wanted |= {i.id for i in catalogue.items.values() if levels & set(i.implementing_levels)}
    rows: list[Row] = []
    for base_id in sorted(wanted):
        base = catalogue.items.get(base_id)
        cells = []
        for code in regions:
            item = by_region[code].get(base_id)
            if item is None:
                cells.append(Cell(State.MISSING))
                continue
            notes = _deviations(item, base) if base else ()
            shorter = _compressed(item, base) if base else ()
            cells.append(Cell(State.DEVIATING if notes else State.IMPLEMENTED, item.id,
                              notes + shorter))
        rows.append(Row(base_id, base.name if base else base_id, tuple(cells)))
    for item in sorted(local, key=lambda i: (i.region, i.id)):
        rows.append(Row(None, item.name, tuple(
            Cell(State.EXTRA, item.id) if code == item.region else Cell(State.ABSENT)
            for code in regions)))
    return Matrix(peers, tuple(rows))
