"""Which item on one side is which on the other: by key (id, or the baseline item both
implement), then `renamed_from`, then similar names, each match saying how it was made."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from svccat.diff.settings import DEFAULT_THRESHOLD
from svccat.model import Item


@dataclass(frozen=True)
class Pair:
    old: Item | None
    new: Item | None
    how: str  # "key", "renamed", "similar" or "" when one side is missing
    score: float | None = None

    @property
    def subject(self) -> str:
        """The stable name of the pair: the new item's id, else the old one's."""
        item = self.new or self.old
        assert item is not None
        return item.id


def align(old: Iterable[Item], new: Iterable[Item], key: Callable[[Item], str], *,
          threshold: float = DEFAULT_THRESHOLD) -> list[Pair]:
    """Pairs in a stable order (by the new side's id, removed items after)."""
    old_by_key: dict[str, Item] = {}
    for each in sorted(old, key=lambda i: i.id):
        # Two items with one key (two items of a region implementing one baseline item): the
        # first pairs by key, the others stay under their own id, never dropped.
        old_by_key[key(each) if key(each) not in old_by_key else f"{key(each)}\0{each.id}"] = each
    new_list = sorted(new, key=lambda i: i.id)
    pairs: list[Pair] = []
    unmatched_new: list[Item] = []
    for item in new_list:
        match = old_by_key.pop(key(item), None)
        if match is not None:
            pairs.append(Pair(match, item, "key"))
        else:
            unmatched_new.append(item)
    old_by_id = {i.id: k for k, i in old_by_key.items()}
    still_new: list[Item] = []
    for item in unmatched_new:
        found = next((old_by_id[r] for r in item.renamed_from if r in old_by_id), None)
        if found is not None and found in old_by_key:
            pairs.append(Pair(old_by_key.pop(found), item, "renamed"))
        else:
            still_new.append(item)
    # Similar names last, best scores first, and never silently: the pair says its score.
    candidates = sorted(
        ((score, o.id, n.id, k, n) for n in still_new for k, o in old_by_key.items()
         if (score := _similarity(o.name, n.name, threshold)) >= threshold),
        key=lambda c: (-c[0], c[1], c[2]))
    taken_new: set[str] = set()
    for score, _, new_id, old_key, item in candidates:
        if new_id in taken_new or old_key not in old_by_key:
            continue
        pairs.append(Pair(old_by_key.pop(old_key), item, "similar", round(score, 3)))
        taken_new.add(new_id)
    pairs += [Pair(None, item, "") for item in still_new if item.id not in taken_new]
    pairs += [Pair(item, None, "") for _, item in sorted(old_by_key.items(), key=lambda kv: kv[1].id)]
    return pairs


def _similarity(a: str, b: str, threshold: float) -> float:
    """difflib's ratio, skipped (as 0) when its cheap upper bounds already fall short."""
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return 0.0
    return matcher.ratio()
