"""Two catalogues (or two regions of one) → a CatalogueDiff: aligned items and field-level
changes, each classified by its effect on citizens."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from svccat.diff.align import Pair, align
from svccat.diff.kinds import KINDS, Effect
from svccat.diff.settings import DiffSettings
from svccat.model import Catalogue, Item, LegalRef, Material, Question, Result, TimeLimit
from svccat.rules.handling import calendar_days


@dataclass(frozen=True, kw_only=True)
class Change:
    kind: str
    effect: Effect
    subject: str  # the aligned pair's name (new id, or old id when removed)
    old_item: str | None
    new_item: str | None
    department: str
    field: str  # where in the item, e.g. "materials/居民户口簿/copies"
    before: str | None = None
    after: str | None = None
    note: str | None = None

    @property
    def fingerprint(self) -> str:
        """The same logical change gives the same fingerprint in every commit that has it,
        so an approval can be carried forward; lines and files play no part."""
        raw = "\0".join((self.kind, self.subject, self.field, self.before or "", self.after or ""))
        return hashlib.sha256(raw.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class CatalogueDiff:
    old_label: str
    new_label: str
    pairs: tuple[Pair, ...]
    changes: tuple[Change, ...]
    departments: Mapping[str, str] = field(default_factory=dict)

    def by_effect(self) -> Counter[Effect]:
        return Counter(c.effect for c in self.changes)

    def by_department(self) -> dict[str, Counter[Effect]]:
        found: dict[str, Counter[Effect]] = {}
        for c in self.changes:
            found.setdefault(c.department, Counter())[c.effect] += 1
        return dict(sorted(found.items()))

    def changed_pairs(self) -> list[Pair]:
        """The pairs with at least one change. An item that did not change pairs with itself
        and says nothing; listing them all would make a diff of two revisions read every
        file, which svccat.diff.changed avoids."""
        changed = {(c.old_item, c.new_item) for c in self.changes}
        return [p for p in self.pairs
                if (p.old.id if p.old else None, p.new.id if p.new else None) in changed]

    def ordered(self) -> list[Change]:
        """Burden up first, then legal, structure, burden down, editorial."""
        return sorted(self.changes, key=lambda c: (c.effect.rank, c.subject, c.field, c.kind))


_NECESSITY = {"非必要": 0, "容缺后补": 1, "必要": 2}
_DEPTH = {"I": 1, "II": 2, "III": 3, "IV": 4}
_CHANNELS = ("online", "self_service", "halls", "appointment", "home_visit", "proxy", "express")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _key(name: str) -> str:
    return "".join(name.split())


def _limit(limit: TimeLimit | None) -> str | None:
    return f"{limit.days} {limit.unit}" if limit else None


class _Collector:
    def __init__(self, pair: Pair, department: str, settings: DiffSettings) -> None:
        self.pair = pair
        self.department = department
        self.settings = settings
        self.found: list[Change] = []

    def add(self, kind: str, where: str, before: object = None, after: object = None,
            note: str | None = None) -> None:
        if kind in self.settings.ignore:
            return
        effect = self.settings.effects.get(kind, KINDS[kind].effect)
        self.found.append(Change(
            kind=kind, effect=effect, subject=self.pair.subject,
            old_item=self.pair.old.id if self.pair.old else None,
            new_item=self.pair.new.id if self.pair.new else None, department=self.department,
            field=where, before=None if before is None else str(before),
            after=None if after is None else str(after), note=note))


def _refs(refs: Sequence[LegalRef]) -> dict[str, str]:
    return {r.document: r.article or "" for r in refs}


def _compare_basis(c: _Collector, where: str, old: Sequence[LegalRef], new: Sequence[LegalRef]
                   ) -> None:
    a, b = _refs(old), _refs(new)
    for doc in sorted(set(b) - set(a)):
        c.add("basis-added", f"{where}/{doc}", None, f"{doc} {b[doc]}".strip())
    for doc in sorted(set(a) - set(b)):
        c.add("basis-removed", f"{where}/{doc}", f"{doc} {a[doc]}".strip(), None)
    for doc in sorted(set(a) & set(b)):
        if a[doc] != b[doc]:
            c.add("basis-changed", f"{where}/{doc}", a[doc], b[doc])


def _compare_limit(c: _Collector, where: str, old: TimeLimit | None, new: TimeLimit | None
                   ) -> None:
    if old is None or new is None:
        if old != new:
            c.add("text-changed", where, _limit(old), _limit(new))
        return
    if calendar_days(new) > calendar_days(old):
        c.add("limit-longer", where, _limit(old), _limit(new))
    elif calendar_days(new) < calendar_days(old):
        c.add("limit-shorter", where, _limit(old), _limit(new))
    elif old != new:
        c.add("text-changed", where, _limit(old), _limit(new))


def _compare_material(c: _Collector, old: Material, new: Material) -> None:
    where = f"materials/{new.name}"
    a, b = _NECESSITY.get(old.necessity, 2), _NECESSITY.get(new.necessity, 2)
    if b > a:
        c.add("material-required", f"{where}/necessity", old.necessity, new.necessity)
    elif b < a:
        c.add("material-relaxed", f"{where}/necessity", old.necessity, new.necessity)
    count_a = (old.originals or 0) + (old.copies or 0)
    count_b = (new.originals or 0) + (new.copies or 0)
    shown_a, shown_b = f"{old.originals or 0}+{old.copies or 0}", f"{new.originals or 0}+{new.copies or 0}"
    if count_b > count_a:
        c.add("copies-increased", f"{where}/copies", shown_a, shown_b)
    elif count_b < count_a:
        c.add("copies-decreased", f"{where}/copies", shown_a, shown_b)
    if new.certificate and not old.certificate:
        c.add("certificate-added", f"{where}/certificate", None, new.certificate)
    elif old.certificate and not new.certificate:
        c.add("certificate-removed", f"{where}/certificate", old.certificate, None)
    elif old.certificate != new.certificate:
        c.add("material-changed", f"{where}/certificate", old.certificate, new.certificate)
    if old.commitment and not new.commitment:
        c.add("commitment-withdrawn", f"{where}/commitment", "true", "false")
    elif new.commitment and not old.commitment:
        c.add("commitment-offered", f"{where}/commitment", "false", "true")
    if old.data_sharing and not new.data_sharing:
        c.add("data-sharing-withdrawn", f"{where}/data_sharing", "true", "false")
    elif new.data_sharing and not old.data_sharing:
        c.add("data-sharing-offered", f"{where}/data_sharing", "false", "true")
    for name in ("form", "material_type", "source", "situation", "acceptance_standard", "note"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            c.add("material-changed", f"{where}/{name}", before, after)
    before_basis = old.basis.document if old.basis else None
    after_basis = new.basis.document if new.basis else None
    if before_basis != after_basis:
        c.add("basis-changed", f"{where}/basis", before_basis, after_basis)


def _fee_amount(text: str) -> float | None:
    found = _NUMBER.search(text)
    return float(found.group(0)) if found else None


def _channels_present(item: Item) -> set[str]:
    ch = item.channels
    present = {"online": ch.online is not None, "self_service": ch.self_service is not None,
               "halls": bool(ch.halls), "appointment": ch.appointment is not None,
               "home_visit": ch.home_visit is not None, "proxy": ch.proxy is not None,
               "express": ch.express is not None}
    return {name for name in _CHANNELS if present[name]}


@dataclass(frozen=True)
class Sides:
    """What a comparison needs to know of each side beyond the items themselves."""

    old: Catalogue
    new: Catalogue
    key: Callable[[Item], str]
    old_children: Mapping[str, list[Item]]
    new_children: Mapping[str, list[Item]]

    def parent_key(self, item: Item, catalogue: Catalogue) -> str | None:
        parent = catalogue.items.get(item.parent or "")
        return self.key(parent) if parent else item.parent


def compare_items(pair: Pair, department: str, settings: DiffSettings, sides: Sides
                  ) -> list[Change]:
    """Every change between the two sides of one aligned pair."""
    c = _Collector(pair, department, settings)
    old, new = pair.old, pair.new
    if old is None:
        assert new is not None
        c.add("item-added", "", None, new.name)
        return c.found
    if new is None:
        c.add("item-removed", "", old.name, None)
        return c.found
    if pair.how == "renamed":
        c.add("item-renamed-match", "id", old.id, new.id)
    elif pair.how == "similar":
        c.add("item-probable-match", "name", old.name, new.name, note=f"{pair.score:.2f}")
    if old.name != new.name:
        c.add("name-changed", "name", old.name, new.name)
    if old.type != new.type:
        c.add("type-changed", "type", old.type, new.type)
    for code in ("basic_code", "implementation_code", "handling_code"):
        if getattr(old, code) != getattr(new, code):
            c.add("code-changed", f"codes/{code.removesuffix('_code')}", getattr(old, code),
                  getattr(new, code))
    if sides.parent_key(old, sides.old) != sides.parent_key(new, sides.new):
        c.add("item-moved", "parent", old.parent, new.parent)
    split_before, split_after = old.id in sides.old_children, new.id in sides.new_children
    if split_after and not split_before:
        c.add("item-split", "children", None, new.name)
    elif split_before and not split_after:
        c.add("item-merged", "children", old.name, None)
    if old.handling_type != new.handling_type:
        kind = ("handling-slower" if new.handling_type == "承诺件" and old.handling_type == "即办件"
                else "handling-faster" if new.handling_type == "即办件" and old.handling_type == "承诺件"
                else "text-changed")
        c.add(kind, "handling_type", old.handling_type, new.handling_type)
    _compare_limit(c, "statutory_limit", old.statutory_limit, new.statutory_limit)
    _compare_limit(c, "committed_limit", old.committed_limit, new.committed_limit)
    _compare_basis(c, "legal_basis/setting", old.setting_basis, new.setting_basis)
    _compare_basis(c, "legal_basis/implementing", old.implementing_basis, new.implementing_basis)
    for text in sorted(set(new.conditions) - set(old.conditions)):
        c.add("condition-added", "conditions", None, text)
    for text in sorted(set(old.conditions) - set(new.conditions)):
        c.add("condition-removed", "conditions", text, None)
    old_materials = {_key(m.name): m for m in old.materials}
    new_materials = {_key(m.name): m for m in new.materials}
    for key in sorted(set(new_materials) - set(old_materials)):
        c.add("material-added", f"materials/{new_materials[key].name}", None, new_materials[key].name)
    for key in sorted(set(old_materials) - set(new_materials)):
        c.add("material-removed", f"materials/{old_materials[key].name}", old_materials[key].name,
              None)
    for key in sorted(set(old_materials) & set(new_materials)):
        _compare_material(c, old_materials[key], new_materials[key])
    steps_old = [(s.name, _limit(s.limit)) for s in old.steps]
    steps_new = [(s.name, _limit(s.limit)) for s in new.steps]
    if steps_old != steps_new:
        c.add("step-changed", "steps", _steps(steps_old), _steps(steps_new))
    if (old.visits or 0) < (new.visits or 0):
        c.add("visits-more", "visits", old.visits or 0, new.visits or 0)
    elif (old.visits or 0) > (new.visits or 0):
        c.add("visits-fewer", "visits", old.visits or 0, new.visits or 0)
    channels_old, channels_new = _channels_present(old), _channels_present(new)
    for name in _CHANNELS:
        if name in channels_old and name not in channels_new:
            c.add("channel-removed", f"channels/{name}", name, None)
        elif name in channels_new and name not in channels_old:
            c.add("channel-added", f"channels/{name}", None, name)
    if old.channels.online and new.channels.online:
        a, b = _DEPTH[old.channels.online.depth], _DEPTH[new.channels.online.depth]
        if b < a:
            c.add("online-depth-lower", "channels/online/depth", old.channels.online.depth,
                  new.channels.online.depth)
        elif b > a:
            c.add("online-depth-higher", "channels/online/depth", old.channels.online.depth,
                  new.channels.online.depth)
    halls_old = [(h.name, h.address, h.window, h.hours, h.phone) for h in old.channels.halls]
    halls_new = [(h.name, h.address, h.window, h.hours, h.phone) for h in new.channels.halls]
    if halls_old and halls_new and halls_old != halls_new:
        c.add("hall-changed", "channels/halls", _halls(halls_old), _halls(halls_new))
    fees_old = {f.name: f for f in old.fees}
    fees_new = {f.name: f for f in new.fees}
    for name in sorted(set(fees_new) - set(fees_old)):
        c.add("fee-added", f"fees/{name}", None, fees_new[name].standard)
    for name in sorted(set(fees_old) - set(fees_new)):
        c.add("fee-removed", f"fees/{name}", fees_old[name].standard, None)
    for name in sorted(set(fees_old) & set(fees_new)):
        a_text, b_text = fees_old[name].standard, fees_new[name].standard
        if a_text == b_text:
            continue
        a_amount, b_amount = _fee_amount(a_text), _fee_amount(b_text)
        kind = ("fee-higher" if a_amount is not None and b_amount is not None and b_amount > a_amount
                else "fee-lower" if a_amount is not None and b_amount is not None
                and b_amount < a_amount else "text-changed")
        c.add(kind, f"fees/{name}", a_text, b_text)
    for role in ("consultation", "complaint"):
        if getattr(old, role) != getattr(new, role):
            c.add("contact-changed", f"contacts/{role}", "、".join(getattr(old, role)),
                  "、".join(getattr(new, role)))
    if old.status != new.status:
        c.add("status-changed", "status", old.status, new.status)
    for name in ("situation", "scope", "service_object", "themes", "result", "faq"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            c.add("text-changed", name, _show(before), _show(after))
    return c.found


def _steps(steps: list[tuple[str, str | None]]) -> str:
    return "；".join(f"{name}（{limit}）" if limit else name for name, limit in steps)


def _halls(halls: Sequence[tuple[str | None, ...]]) -> str:
    return "；".join(" ".join(part for part in hall if part) for hall in halls)


def _show(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, tuple):
        return "、".join(_show(v) or "" for v in value)
    if isinstance(value, Question):
        return value.question
    if isinstance(value, Result):
        return " ".join(str(p) for p in (value.type, value.name, value.sample) if p)
    return str(value)


def _department(catalogue: Catalogue, item: Item) -> str:
    found = catalogue.departments.get(item.department)
    return found.system if found else item.department


def diff_catalogues(old: Catalogue, new: Catalogue, *, old_label: str, new_label: str,
                    settings: DiffSettings, old_items: Sequence[Item] | None = None,
                    new_items: Sequence[Item] | None = None, by_baseline: bool = False
                    ) -> CatalogueDiff:
    """Compare two catalogues (revisions, folders), or with by_baseline two sets of items
    matched through the baseline item they implement (regions of one catalogue)."""
    left = list(old.items.values()) if old_items is None else list(old_items)
    right = list(new.items.values()) if new_items is None else list(new_items)

    def key(item: Item) -> str:
        return (item.implements or item.id) if by_baseline else item.id

    sides = Sides(old, new, key, old.children(), new.children())
    pairs = align(left, right, key, threshold=settings.threshold)
    changes: list[Change] = []
    for pair in pairs:
        item, catalogue = (pair.new, new) if pair.new else (pair.old, old)
        assert item is not None
        changes += compare_items(pair, _department(catalogue, item), settings, sides)
    return CatalogueDiff(old_label, new_label, tuple(pairs), tuple(changes))

