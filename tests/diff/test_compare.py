"""The comparison beyond each kind: values shown, settings (ignore, effect, threshold),
fingerprints, the order reviewers read, departments, and regions compared by baseline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from svccat.diff.compare import CatalogueDiff, Change, DiffSettings, diff_catalogues
from svccat.diff.kinds import Effect
from svccat.model import Catalogue, Item, item_from_data
from tests.diff.helpers import BASE_ID, item, load_valid, write_catalogue


def _diff(tmp_path: Path, old: list[dict[str, Any]], new: list[dict[str, Any]],
          settings: DiffSettings | None = None) -> CatalogueDiff:
    a = load_valid(write_catalogue(tmp_path / "old", old))
    b = load_valid(write_catalogue(tmp_path / "new", new))
    return diff_catalogues(a, b, old_label="v1", new_label="v2", settings=settings or DiffSettings())


def _one(diff: CatalogueDiff, kind: str) -> Change:
    found = [c for c in diff.changes if c.kind == kind]
    assert len(found) == 1, [(c.kind, c.field) for c in diff.changes]
    return found[0]


CHANGED = item({
    "committed_limit": {"days": 30, "unit": "工作日"},
    "materials/0/copies": 2,
    "fees/0/standard": "每证 40 元",
    "channels/online/depth": "II",
    "status": "published",
    "steps/2/limit/days": 10,
})


def test_before_and_after_are_shown_as_people_read_them(tmp_path: Path) -> None:
    diff = _diff(tmp_path, [item({})], [CHANGED])
    shown = {c.kind: (c.field, c.before, c.after) for c in diff.changes}
    assert shown == {
        "limit-longer": ("committed_limit", "20 工作日", "30 工作日"),
        "copies-increased": ("materials/居民户口簿/copies", "1+0", "1+2"),
        "fee-higher": ("fees/工本费", "每证 20 元", "每证 40 元"),
        "online-depth-lower": ("channels/online/depth", "III", "II"),
        "status-changed": ("status", "draft", "published"),
        "step-changed": ("steps", "受理（0 工作日）；审核签发（5 工作日）；制证（15 工作日）",
                         "受理（0 工作日）；审核签发（5 工作日）；制证（10 工作日）"),
    }
    for change in diff.changes:
        assert (change.subject, change.old_item, change.new_item) == (BASE_ID, BASE_ID, BASE_ID)


def test_a_similar_name_match_says_its_score(tmp_path: Path) -> None:
    renamed = item({"id": "370784-ga-sfz-bb", "name": "居民身份证补领申请"})
    diff = _diff(tmp_path, [item({})], [renamed])
    match = _one(diff, "item-probable-match")
    assert (match.before, match.after, match.note) == ("居民身份证补领", "居民身份证补领申请", "0.88")
    assert (match.old_item, match.new_item, match.subject) == (BASE_ID, "370784-ga-sfz-bb",
                                                               "370784-ga-sfz-bb")
    assert [(p.how, p.score) for p in diff.pairs] == [("similar", 0.875)]


def test_threshold_setting_turns_a_probable_match_into_added_and_removed(tmp_path: Path) -> None:
    renamed = item({"id": "370784-ga-sfz-bb", "name": "居民身份证补领申请"})
    diff = _diff(tmp_path, [item({})], [renamed], DiffSettings(threshold=0.9))
    assert sorted((c.kind, c.subject) for c in diff.changes) == [
        ("item-added", "370784-ga-sfz-bb"), ("item-removed", BASE_ID)]


def test_ignored_kinds_are_not_reported(tmp_path: Path) -> None:
    diff = _diff(tmp_path, [item({})], [CHANGED],
                 DiffSettings(ignore=frozenset({"status-changed", "step-changed"})))
    assert {c.kind for c in diff.changes} == {"limit-longer", "copies-increased", "fee-higher",
                                               "online-depth-lower"}


def test_an_effect_setting_reclassifies_a_kind_but_not_its_fingerprint(tmp_path: Path) -> None:
    plain = _diff(tmp_path, [item({})], [CHANGED])
    moved = _diff(tmp_path, [item({})], [CHANGED],
                  DiffSettings(effects={"status-changed": Effect.LEGAL}))
    assert _one(moved, "status-changed").effect is Effect.LEGAL
    assert _one(plain, "status-changed").effect is Effect.EDITORIAL
    assert _one(moved, "status-changed").fingerprint == _one(plain, "status-changed").fingerprint
    assert moved.by_effect()[Effect.LEGAL] == 1


def test_changes_are_ordered_burden_up_first_then_by_item(tmp_path: Path) -> None:
    other = item({"id": "370784-ga-aaa", "name": "出生登记", "status": "published",
                  "visits/count": 3})
    before = item({"id": "370784-ga-aaa", "name": "出生登记"})
    diff = _diff(tmp_path, [item({}), before], [CHANGED, other])
    ordered = diff.ordered()
    ranks = [c.effect.rank for c in ordered]
    assert ranks == sorted(ranks)
    # burden up, by item id, then by field
    assert [c.kind for c in ordered][:5] == ["visits-more", "online-depth-lower", "limit-longer",
                                             "fee-higher", "copies-increased"]
    assert [(c.kind, c.subject) for c in ordered[5:]] == [
        ("status-changed", "370784-ga-aaa"), ("status-changed", BASE_ID), ("step-changed", BASE_ID)]
    assert diff.by_effect() == {Effect.BURDEN_UP: 5, Effect.EDITORIAL: 3}


def test_departments_are_counted_by_their_system(tmp_path: Path) -> None:
    welfare = item({"id": "370784-mz-tkry", "name": "特困人员认定", "department": "370784-mzj"})
    unknown = item({"id": "370784-xx", "name": "未登记部门的事项", "department": "370784-nobody"})
    a = load_valid(write_catalogue(tmp_path / "old", []))
    b = write_catalogue(tmp_path / "new", [item({}), welfare])
    b_cat = load_valid(b)
    items = {**b_cat.items, unknown["id"]: _model(unknown)}
    b_cat = Catalogue(regions=b_cat.regions, departments=b_cat.departments,
                      legal_documents=b_cat.legal_documents, retained=b_cat.retained,
                      cancelled=b_cat.cancelled, items=items)
    diff = diff_catalogues(a, b_cat, old_label="v1", new_label="v2", settings=DiffSettings())
    assert {c.subject: c.department for c in diff.changes} == {
        BASE_ID: "公安", "370784-mz-tkry": "民政", "370784-xx": "370784-nobody"}
    assert {name: sum(c.values()) for name, c in diff.by_department().items()} == {
        "370784-nobody": 1, "公安": 1, "民政": 1}
    assert list(diff.by_department()) == sorted(diff.by_department())


def _model(document: dict[str, Any]) -> Item:
    return item_from_data(document, f"items/{document['id']}.yaml")


def test_regions_are_compared_through_the_baseline_items_they_implement(tmp_path: Path) -> None:
    county_a = item({"implements": "370000-ga-sfz-bl"})
    county_b = item({"id": "370785-ga-sfz-bl", "region": "370785", "department": "370785-gaj",
                     "implements": "370000-ga-sfz-bl", "codes/handling": "370785GA0103",
                     "committed_limit": {"days": 10, "unit": "工作日"}})
    local = item({"id": "370784-ga-local", "name": "安丘市户籍业务预约", "implements": None})
    cat = load_valid(write_catalogue(tmp_path / "c", [county_a, county_b, local]))
    regions = {code: [i for i in cat.items.values() if i.region == code]
               for code in ("370784", "370785")}
    diff = diff_catalogues(cat, cat, old_label="安丘市", new_label="高密市", settings=DiffSettings(),
                           old_items=regions["370784"], new_items=regions["370785"],
                           by_baseline=True)
    assert sorted((c.kind, c.subject) for c in diff.changes) == [
        ("code-changed", "370785-ga-sfz-bl"), ("item-removed", "370784-ga-local"),
        ("limit-shorter", "370785-ga-sfz-bl")]
    assert {(p.old.id if p.old else None, p.new.id if p.new else None, p.how)
            for p in diff.pairs} == {("370784-ga-sfz-bl", "370785-ga-sfz-bl", "key"),
                                     ("370784-ga-local", None, "")}


def test_nothing_changed_gives_no_changes_and_every_pair_by_key(tmp_path: Path) -> None:
    diff = _diff(tmp_path, [item({})], [item({})])
    assert diff.changes == ()
    assert [(p.how, p.subject) for p in diff.pairs] == [("key", BASE_ID)]


# --- fingerprints ------------------------------------------------------------------------

def _change(**overrides: Any) -> Change:
    fields: dict[str, Any] = {
        "kind": "material-added", "effect": Effect.BURDEN_UP, "subject": BASE_ID,
        "old_item": BASE_ID, "new_item": BASE_ID, "department": "公安",
        "field": "materials/居住证", "before": None, "after": "居住证"}
    return Change(**{**fields, **overrides})


def test_fingerprint_depends_on_what_changed_only() -> None:
    first = _change()
    assert len(first.fingerprint) == 24 and int(first.fingerprint, 16) >= 0
    # Neither the effect (settings), the department, the old id nor a note make it another change.
    for same in (_change(effect=Effect.LEGAL), _change(department="民政"),
                 _change(old_item="370784-ga-old"), _change(note="0.90")):
        assert same.fingerprint == first.fingerprint
    for other in (_change(kind="material-removed"), _change(subject="370784-ga-x"),
                  _change(field="materials/结婚证"), _change(after="居住证明"),
                  _change(before="居住证")):
        assert other.fingerprint != first.fingerprint


@pytest.mark.parametrize("labels", [("v1", "v2"), ("a1b2c3d", "HEAD"), ("origin/main", "工作区")])
def test_fingerprints_do_not_depend_on_the_labels(tmp_path: Path, labels: tuple[str, str]) -> None:
    a = load_valid(write_catalogue(tmp_path / "old", [item({})]))
    b = load_valid(write_catalogue(tmp_path / "new", [CHANGED]))
    diff = diff_catalogues(a, b, old_label=labels[0], new_label=labels[1], settings=DiffSettings())
    reference = diff_catalogues(a, b, old_label="x", new_label="y", settings=DiffSettings())
    assert [c.fingerprint for c in diff.ordered()] == [c.fingerprint for c in reference.ordered()]
    assert len({c.fingerprint for c in diff.changes}) == len(diff.changes)
