"""Which item is which: by key, then renamed_from, then similar names (never silently: a
similar-name match carries its score), and no item ever lost."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import pytest

from svccat.diff.align import DEFAULT_THRESHOLD, Pair, align
from svccat.model import Item


def _item(ident: str, name: str, *, renamed_from: Sequence[str] = (),
          implements: str | None = None) -> Item:
    return Item(id=ident, file=f"items/{ident}.yaml", name=name, type="行政确认", region="370784",
                department="370784-gaj", tier="main", status="draft",
                renamed_from=tuple(renamed_from), implements=implements)


def _by_id(item: Item) -> str:
    return item.id


def _by_baseline(item: Item) -> str:
    return item.implements or item.id


def _shape(pairs: list[Pair]) -> set[tuple[str | None, str | None, str, float | None]]:
    return {(p.old.id if p.old else None, p.new.id if p.new else None, p.how, p.score)
            for p in pairs}


def _assert_nothing_lost(pairs: list[Pair], old: Sequence[Item], new: Sequence[Item]) -> None:
    """Every item is in exactly one pair; a pair without both sides says nothing of how."""
    olds = [p.old.id for p in pairs if p.old]
    news = [p.new.id for p in pairs if p.new]
    assert sorted(olds) == sorted(i.id for i in old)
    assert sorted(news) == sorted(i.id for i in new)
    for p in pairs:
        if p.old is None or p.new is None:
            assert p.how == "" and p.score is None
        elif p.how == "similar":
            assert p.score is not None and 0 < p.score <= 1
        else:
            assert p.how in ("key", "renamed") and p.score is None


def test_same_id_is_matched_by_key_whatever_the_name() -> None:
    old = [_item("a", "出生登记")]
    new = [_item("a", "完全不同的名称")]
    pairs = align(old, new, _by_id)
    assert _shape(pairs) == {("a", "a", "key", None)}
    _assert_nothing_lost(pairs, old, new)


def test_renamed_from_matches_a_new_id_to_its_old_one() -> None:
    old = [_item("ga-sfz-bl", "居民身份证补领"), _item("other", "户口迁移")]
    new = [_item("ga-sfzbl", "身份证件补办", renamed_from=["nothing-like-it", "ga-sfz-bl"]),
           _item("other", "户口迁移")]
    pairs = align(old, new, _by_id)
    assert _shape(pairs) == {("ga-sfz-bl", "ga-sfzbl", "renamed", None),
                             ("other", "other", "key", None)}
    _assert_nothing_lost(pairs, old, new)


def test_renamed_from_does_not_take_an_item_already_matched_by_key() -> None:
    old = [_item("a", "出生登记")]
    new = [_item("a", "出生登记"), _item("b", "死亡登记", renamed_from=["a"])]
    pairs = align(old, new, _by_id)
    assert _shape(pairs) == {("a", "a", "key", None), (None, "b", "", None)}
    _assert_nothing_lost(pairs, old, new)


def test_renamed_from_comes_before_similar_names() -> None:
    old = [_item("x", "居民身份证补领"), _item("y", "居民身份证换领")]
    # By name, "z" is nearest to x; renamed_from says it is y.
    new = [_item("z", "居民身份证补领", renamed_from=["y"])]
    pairs = align(old, new, _by_id)
    assert _shape(pairs) == {("y", "z", "renamed", None), ("x", None, "", None)}


def test_similar_names_match_with_their_score() -> None:
    old = [_item("old-id", "居民身份证补领")]
    new = [_item("new-id", "居民身份证补领申请")]
    pairs = align(old, new, _by_id)
    expected = round(difflib.SequenceMatcher(None, "居民身份证补领", "居民身份证补领申请").ratio(), 3)
    assert expected == 0.875
    assert _shape(pairs) == {("old-id", "new-id", "similar", 0.875)}
    _assert_nothing_lost(pairs, old, new)


def test_the_threshold_is_inclusive_and_below_it_nothing_matches() -> None:
    # "出生登记" → "出生证登记": 2·4/9 ≈ 0.889; "出生登记" → "出生医学证明": 2·2/10 = 0.4
    old = [_item("a", "出生登记")]
    new = [_item("b", "出生证登记")]
    score = difflib.SequenceMatcher(None, "出生登记", "出生证登记").ratio()
    assert _shape(align(old, new, _by_id, threshold=score)) == {("a", "b", "similar", 0.889)}
    assert _shape(align(old, new, _by_id, threshold=min(1.0, score + 0.001))) == {
        ("a", None, "", None), (None, "b", "", None)}
    far = [_item("c", "出生医学证明")]
    assert _shape(align(old, far, _by_id)) == {("a", None, "", None), (None, "c", "", None)}
    assert DEFAULT_THRESHOLD == 0.8


def test_best_scores_are_matched_first_and_each_item_once() -> None:
    old = [_item("o1", "居民身份证补领"), _item("o2", "居民身份证换领")]
    new = [_item("n1", "居民身份证换领申请"), _item("n2", "居民身份证补领申请"),
           _item("n3", "居民身份证补领申请表")]
    pairs = align(old, new, _by_id)
    matched = {(p.old.id, p.new.id) for p in pairs if p.old and p.new}
    assert matched == {("o1", "n2"), ("o2", "n1")}
    assert (None, "n3", "", None) in _shape(pairs)
    _assert_nothing_lost(pairs, old, new)


def test_equal_scores_are_broken_by_id_so_the_result_is_stable() -> None:
    old = [_item("o2", "出生登记"), _item("o1", "出生登记")]
    new = [_item("n1", "出生登记")]
    for ordering in (old, list(reversed(old))):
        assert ("o1", "n1", "similar", 1.0) in _shape(align(ordering, new, _by_id))


def test_added_and_removed_items_come_after_the_matches_in_id_order() -> None:
    old = [_item("k", "甲事项"), _item("r2", "乙事项"), _item("r1", "丙事项")]
    new = [_item("k", "甲事项"), _item("a2", "丁事项甲"), _item("a1", "戊")]
    pairs = align(old, new, _by_id)
    assert [(p.old.id if p.old else None, p.new.id if p.new else None) for p in pairs] == [
        ("k", "k"), (None, "a1"), (None, "a2"), ("r1", None), ("r2", None)]
    assert [p.subject for p in pairs] == ["k", "a1", "a2", "r1", "r2"]


def test_regions_match_through_the_baseline_item_they_implement() -> None:
    old = [_item("370784-ga-csdj", "出生登记", implements="370000-ga-csdj"),
           _item("370784-mz-local", "农村特困人员集中供养入住申请")]
    new = [_item("370785-ga-csdj", "出生户口登记", implements="370000-ga-csdj")]
    pairs = align(old, new, _by_baseline)
    assert _shape(pairs) == {("370784-ga-csdj", "370785-ga-csdj", "key", None),
                             ("370784-mz-local", None, "", None)}


@pytest.mark.parametrize("side", ["old", "new"])
def test_two_items_with_one_key_are_both_kept(side: str) -> None:
    """Two items of one region implementing the same baseline item: one pairs by key, the
    other still takes part (here it is left over), never dropped without a word."""
    twins = [_item("370784-ga-csdj", "出生登记", implements="370000-ga-csdj"),
             _item("370784-ga-csdj-2", "出生登记（补录）", implements="370000-ga-csdj")]
    single = [_item("370785-ga-csdj", "出生登记", implements="370000-ga-csdj")]
    old, new = (twins, single) if side == "old" else (single, twins)
    pairs = align(old, new, _by_baseline)
    _assert_nothing_lost(pairs, old, new)
    assert sum(1 for p in pairs if p.how == "key") == 1
