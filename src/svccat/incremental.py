"""Lint a few files of a large catalogue in about a second, cross-file rules included.

After a run over the whole catalogue, lint keeps a state in the cache (per settings and
working directory; svccat.cache): each file's stat stamp, content key and, for an item, its
place (id, parent, baseline), as rows of an indexed table; and a record with a signature
of each folder (its files' names and stamps). A later run

- walks the catalogue taking stamps, and compares folders by signature: only the files of
  a folder whose signature changed are compared with their rows. A file whose stamp is
  unchanged is taken to have its recorded key, as git's index does; a stamp taken too close
  to the state's own time is not trusted (the file may have changed again within the
  clock's resolution), and neither is a link whose target cannot be stat-ed;
- when nothing changed, replays the last full run's record;
- when asked about some files only (`svccat lint FILE`, the pre-commit case) and only item
  files changed, loads just the items the rules look at for them: the files asked about,
  their parents, siblings and children, the baseline items they implement with those
  items' other implementations and children, items implementing them, and items with the
  same id; the registries are loaded whole. Every other item id counts as known, so that
  references to it stand. Problems are then reported for the files asked about only. The
  neighbours are found by the table's indexes: nothing of the other 100,000 files is read.

A rule that looks further than this neighbourhood must widen it here: the tests compare
every file's problems this way with a full run, on the sample and the flawed catalogues.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from svccat.cache import StateRow
from svccat.catalogue import Scan, SourceFile, folder_parts, kind_of_parts, walk_order
from svccat.parallel import Keyed, Placement
from svccat.schema import Kind
from svccat.walk import Stamp

# A stamp within this much of the state's time is not trusted: clocks of file systems
# have a resolution (FAT: 2 s) and the file may have changed again within it.
_RACY_NS = 2_000_000_000
MAX_CHANGED = 256  # beyond this many changed files, a full run is as quick
_ITEM = Kind.ITEM.value


@dataclass(frozen=True)
class Header:
    """A family's state record; the files' rows are in the store's state table."""

    run: bytes  # the key of the run's record
    folders: dict[str, bytes]  # folder inside the catalogue → signature (catalogue.Folder)
    outside: dict[str, list[str]]  # folder → its links leading outside (the few there are)
    racy: tuple[str, ...]  # files whose stamp does not count (see _RACY_NS), by name shown
    others: tuple[StateRow, ...]  # the rows of the files that are no items: registries
    ids: str  # every item id, one per line: ids of items not loaded count as known

    def encode(self) -> tuple[Any, ...]:
        return (self.run, self.folders, self.outside, list(self.racy), list(self.others),
                self.ids)

    @classmethod
    def decode(cls, record: Any) -> Header:
        run, folders, outside, racy, others, ids = record
        if not isinstance(folders, dict) or not isinstance(outside, dict) \
                or not isinstance(ids, str):
            raise ValueError("not a state")
        return cls(bytes(run), folders, outside, tuple(racy),
                   tuple(tuple(row) for row in others), ids)


def state_of(scan: Scan, taken_ns: int, run: bytes, keys: Mapping[str, bytes],
             placements: Mapping[str, Placement]) -> tuple[Header, list[StateRow]]:
    """The state after a full run: `scan` taken (with stamps) before any file was read,
    `keys` and `placements` by the files' shown names."""
    rows: list[StateRow] = []
    others: list[StateRow] = []
    racy: list[str] = []
    ids: set[str] = set()
    for folder_key, folder in scan.folders.items():
        for name, stamp in folder.files:
            file = scan.file(folder.parts, name)
            kind = kind_of_parts((*folder.parts, name))
            place = placements.get(file, (None, None, None))
            if place[0]:
                ids.add(place[0])
            if stamp is None or stamp[1] >= taken_ns - _RACY_NS:
                racy.append(file)
            row: StateRow = (folder_key, name, file, kind.value if kind else "",
                             *(stamp or (None, None, None, None)), keys.get(file), *place)
            rows.append(row)
            if kind is not Kind.ITEM:
                others.append(row)
    header = Header(run, {k: f.signature() for k, f in scan.folders.items()},
                    {k: f.outside for k, f in scan.folders.items() if f.outside},
                    tuple(racy), tuple(others), "\n".join(sorted(ids)))
    return header, rows


@dataclass(frozen=True)
class Suspects:
    """Files that may differ from the state: new, gone, with another stamp or none, racy."""

    files: dict[str, SourceFile | None]  # by name shown; None: gone
    where: dict[str, tuple[str, str]]  # their folder (inside the catalogue) and name
    old: dict[str, StateRow]  # the state's rows of those that were there
    links_changed: bool  # a link leading outside appeared or went (Y016 changes)


def suspects(header: Header, scan: Scan, rows: Callable[[str, str], list[StateRow]]
             ) -> Suspects:
    """Compare folders by signature, and the files of those that differ by stamp. `rows`
    gives the state's rows by column and value (LoadCache.state_rows of the family)."""
    files: dict[str, SourceFile | None] = {}
    where: dict[str, tuple[str, str]] = {}
    old: dict[str, StateRow] = {}
    links_changed = False

    def suspect(folder: str, name: str, present: bool, row: StateRow | None) -> None:
        source = scan.source(folder_parts(folder), name)
        files[source.file] = source if present else None
        where[source.file] = folder, name
        if row is not None:
            old[source.file] = row

    for key in [*scan.folders, *(k for k in header.folders if k not in scan.folders)]:
        folder = scan.folders.get(key)
        if folder is not None and folder.signature() == header.folders.get(key):
            continue
        listed = folder.files if folder is not None else []
        links_changed |= (folder.outside if folder is not None else []) \
            != header.outside.get(key, [])
        recorded = {row[1]: row for row in rows("folder", key)}
        for name, stamp in listed:
            row = recorded.pop(name, None)
            if row is None or stamp is None or stamp != row[4:8]:
                suspect(key, name, True, row)
        for name, row in recorded.items():  # gone
            suspect(key, name, False, row)
    for file in header.racy:
        found = rows("file", file) if file not in files else []
        if found:
            key, name = found[0][:2]
            present = scan.folders.get(key)
            suspect(key, name, present is not None
                    and any(listed == name for listed, _ in present.files), found[0])
    return Suspects(files, where, old, links_changed)


def restamp(header: Header, scan: Scan, taken_ns: int, found: Suspects
            ) -> tuple[Header, list[tuple[str, str, Stamp]]]:
    """The state after suspects whose content has not changed (touched, or changed back):
    their new stamps by folder and name, and each folder's signature as it is now."""
    racy = [file for file in header.racy if file not in found.files]
    listed: dict[str, dict[str, Stamp | None]] = {}
    restamped = []
    for file in found.files:
        folder, name = found.where[file]
        if folder not in listed:
            listed[folder] = dict(scan.folders[folder].files)
        stamp = listed[folder][name]
        if stamp is None or stamp[1] >= taken_ns - _RACY_NS:
            racy.append(file)
        if stamp is not None:
            restamped.append((folder, name, stamp))
    return replace(header, folders={k: f.signature() for k, f in scan.folders.items()},
                   racy=tuple(racy)), restamped


def source_of(scan: Scan, row: StateRow) -> SourceFile:
    """The file of a state row, where the scan would find it."""
    return scan.source(folder_parts(row[0]), row[1])


def changed_files(keyed: Sequence[Keyed], found: Suspects) -> tuple[set[str], bool]:
    """Of the suspects, those whose content differs from the state's (new, changed or gone;
    `keyed` has the suspects present), and whether all of them are item files."""
    now = {k.source.file: k for k in keyed}
    changed = set()
    for file in found.files:
        k = now.get(file)
        row = found.old.get(file)
        if k is None or row is None:
            changed.add(file)  # gone, or new
        elif k.source.kind is None:
            if row[3] != "":
                changed.add(file)
        elif k.key is None or row[8] != k.key or row[3] != k.source.kind.value:
            changed.add(file)
    only_items = all(
        (now[f].source.kind is Kind.ITEM if f in now else found.old[f][3] == _ITEM)
        for f in changed)
    return changed, only_items


class Places:
    """Where items stand: the state's rows, with the changed files' new places over them."""

    _COLUMN = {"id": 9, "parent": 10, "implements": 11}

    def __init__(self, rows: Callable[[str, str], list[StateRow]], changed: Iterable[str],
                 fresh: Mapping[str, Placement], where: Mapping[str, tuple[str, str]]) -> None:
        """`fresh`: the changed files' places now; `where`: their folder and name."""
        self.rows = rows
        self.changed = set(changed)
        self.fresh = fresh
        self.where = where

    def of(self, file: str) -> Placement | None:
        if file in self.changed:
            return self.fresh.get(file)
        found = self.rows("file", file)
        if not found or found[0][3] != _ITEM:
            return None
        return found[0][9], found[0][10], found[0][11]

    def files(self, column: str, value: str) -> list[str]:
        """The item files whose id, parent or implements is this value, in walk order."""
        index = self._COLUMN[column]
        found = [(walk_order(row[0], row[1]), row[2]) for row in self.rows(column, value)
                 if row[2] not in self.changed]
        found += [(walk_order(*self.where[file]), file) for file, place in self.fresh.items()
                  if place[index - 9] == value]
        return [file for _, file in sorted(found)]


def neighbourhood(places: Places, chosen: Iterable[str]) -> set[str]:
    """The item files the rules read when they check the chosen item files."""

    def around(ident: str | None) -> set[str]:
        """An item's own files (one, or more for a duplicated id) and its children's."""
        if not ident:
            return set()
        return {*places.files("id", ident), *places.files("parent", ident)}

    wanted: set[str] = set()
    for file in chosen:
        place = places.of(file)
        if place is None:
            continue
        ident, parent, implements = place
        wanted.add(file)
        wanted |= around(ident)  # itself, same-id files, children
        wanted |= around(parent)  # parent and siblings
        wanted |= around(implements)  # baseline item and its children
        if implements:  # other implementations of the same baseline item
            wanted.update(places.files("implements", implements))
        for implementation in places.files("implements", ident) if ident else ():
            wanted.add(implementation)
            implementation_id = (places.of(implementation) or (None, None, None))[0]
            wanted |= set(places.files("parent", implementation_id)) \
                if implementation_id else set()
        if parent:  # the parent's baseline: rules compare a child with its parent's
            parent_base = next(((places.of(f) or (None, None, None))[2]
                                for f in places.files("id", parent)), None)
            wanted |= around(parent_base)
    return wanted
