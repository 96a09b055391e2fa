"""Lint a few files of a large catalogue in well under a second, cross-file rules included.

After a run over the whole catalogue, lint keeps a State (in the cache, per settings and
working directory): each file's stat stamp and content key, and where each item stands
(its id, parent and baseline). A later run

- takes a file whose stamp is unchanged to have its recorded key, as git's index does, and
  reads only the others; a stamp taken too close to the state's own time is not trusted
  (the file may have changed again within the clock's resolution);
- when asked about some files only (`svccat lint FILE`, the pre-commit case) and only item
  files changed, loads just the items the rules look at for them: the files asked about,
  their parents, siblings and children, the baseline items they implement with those
  items' other implementations and children, items implementing them, and items with the
  same id; the registries are loaded whole. Every other item id counts as known, so that
  references to it stand. Problems are then reported for the files asked about only.

A rule that looks further than this neighbourhood must widen it here: the tests compare
every file's problems this way with a full run, on the sample and the flawed catalogues.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from svccat.catalogue import SourceFile
from svccat.parallel import Keyed, Placement
from svccat.schema import Kind

Stamp = tuple[int, int, int, int]  # size, modification time (ns), inode, change time (ns)
# A stamp within this much of the state's time is not trusted: clocks of file systems
# have a resolution (FAT: 2 s) and the file may have changed again within it.
_RACY_NS = 2_000_000_000
MAX_CHANGED = 256  # beyond this many changed files, a full run is as quick


@dataclass(frozen=True)
class State:
    """What the catalogue's files were at the end of a full run."""

    taken_ns: int  # when the stamps were taken (before reading any file)
    run: bytes  # the key of the run's record
    stamps: dict[str, Stamp]
    keys: dict[str, bytes]  # file → content key
    kinds: dict[str, str]  # file → kind, for files that are no items ("": no known kind)
    placements: dict[str, Placement]  # item file → (id, parent, implements)
    racy: tuple[str, ...]  # files changed too close to taken_ns for their stamp to count

    def encode(self) -> tuple[Any, ...]:
        return (self.taken_ns, self.run, self.stamps, self.keys, self.kinds, self.placements,
                list(self.racy))

    @classmethod
    def decode(cls, record: Any) -> State:
        taken_ns, run, stamps, keys, kinds, placements, racy = record
        if not all(isinstance(x, dict) for x in (stamps, keys, kinds, placements)):
            raise ValueError("not a state")
        return cls(int(taken_ns), bytes(run), stamps, keys, kinds, placements, tuple(racy))

    @classmethod
    def of(cls, taken_ns: int, run: bytes, stamps: dict[str, Stamp], keyed: Sequence[Keyed],
           keys: dict[str, bytes], placements: dict[str, Placement]) -> State:
        return cls(taken_ns, run, stamps, keys,
                   {k.source.file: k.source.kind.value if k.source.kind else ""
                    for k in keyed if k.source.kind is not Kind.ITEM},
                   placements,
                   tuple(f for f, s in stamps.items() if s[1] >= taken_ns - _RACY_NS))

    def kind(self, file: str) -> str:
        return self.kinds.get(file, Kind.ITEM.value)


def suspects(files: Sequence[SourceFile], stamps: dict[str, Stamp], state: State) -> set[str]:
    """Files that may differ from the state: new, gone, with another stamp or none, or
    racy. Set operations on the stamps, not a loop in Python: 100,000 files."""
    differing = {file for file, _ in stamps.items() - state.stamps.items()}
    gone = state.stamps.keys() - stamps.keys()
    unstamped = {f.file for f in files if f.file not in stamps} if len(stamps) < len(files) \
        else set()
    return differing | gone | unstamped | (set(state.racy) & stamps.keys())


def trusted_keys(state: State, suspect: set[str]) -> dict[str, bytes]:
    """The state's keys of the files that are no suspects: what need not be read again."""
    if not suspect:
        return state.keys
    return {file: key for file, key in state.keys.items() if file not in suspect}


def changed_files(keyed: Sequence[Keyed], suspect: set[str], state: State
                  ) -> tuple[set[str], bool]:
    """Of the suspects, those whose content differs from the state's (new, changed or gone;
    `keyed` has the suspects present), and whether all of them are item files."""
    now = {k.source.file: k for k in keyed}
    changed = set()
    for file in suspect:
        k = now.get(file)
        if k is None:
            changed.add(file)  # gone
        elif k.source.kind is None:
            if state.kinds.get(file) != "":
                changed.add(file)
        elif k.key is None or state.keys.get(file) != k.key \
                or state.kind(file) != k.source.kind.value:
            changed.add(file)
    only_items = all(
        (now[f].source.kind is Kind.ITEM if f in now else state.kind(f) == Kind.ITEM.value)
        for f in changed)
    return changed, only_items


def neighbourhood(placements: dict[str, Placement], chosen: Iterable[str]) -> set[str]:
    """The item files the rules read when they check the chosen item files."""
    by_id: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    implementers: dict[str, list[str]] = {}
    for file, (ident, parent, implements) in placements.items():
        if ident:
            by_id.setdefault(ident, []).append(file)
        if parent:
            children.setdefault(parent, []).append(file)
        if implements:
            implementers.setdefault(implements, []).append(file)

    def around(ident: str | None) -> set[str]:
        """An item's own files (one, or more for a duplicated id) and its children's."""
        if not ident:
            return set()
        return {*by_id.get(ident, ()), *children.get(ident, ())}

    wanted: set[str] = set()
    for file in chosen:
        if file not in placements:
            continue
        ident, parent, implements = placements[file]
        wanted.add(file)
        wanted |= around(ident)  # itself, same-id files, children
        wanted |= around(parent)  # parent and siblings
        wanted |= around(implements)  # baseline item and its children
        for peer in implementers.get(implements or "", ()):
            wanted.add(peer)  # other implementations of the same baseline item
        for implementation in implementers.get(ident or "", ()):
            wanted |= {implementation, *children.get(placements[implementation][0] or "", ())}
        if parent:  # the parent's baseline: rules compare a child with its parent's
            parent_base = next((placements[f][2] for f in by_id.get(parent, ())), None)
            wanted |= around(parent_base)
    return wanted
