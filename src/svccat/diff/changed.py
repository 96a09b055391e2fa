"""Two revisions of one repository, or a revision and its working tree, read as far as a
diff needs: the item files whose content differs, the registries, and the few unchanged
items that decide whether an item gained or lost its children. The full reading
(svccat.diff.sources) stays the reference; this one must give the same diff, or give up and
say so (None)."""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from svccat.catalogue import (
    REGISTRIES,
    SourceFile,
    assemble,
    discover,
    display_path,
    kind_of,
)
from svccat.config import ConfigError
from svccat.diff import sources
from svccat.diff.align import align
from svccat.diff.sources import (
    Blob,
    catalogue_file,
    catalogue_prefix,
    check_revision,
    list_blobs,
    load_blobs,
    read_blobs,
    repository_of,
    resolve_revision,
)
from svccat.loader import load_file
from svccat.model import Catalogue, Item
from svccat.walk import YAML_SUFFIXES

# Unchanged files read at most, whether to find a child of an item or every file that
# names one: beyond this the full reading is hardly slower, and it is the reference.
MOST_UNCHANGED_READ = 2000
# Unchanged files tried per item when looking for a child by its file name.
NAMED_CHILDREN_TRIED = 8
_SEPARATORS = "-_."


@dataclass(frozen=True)
class ChangedSides:
    """Both sides, each holding its registries, its changed items and the same unchanged
    items read to settle children: enough for diff_catalogues to give the full diff."""

    old: Catalogue
    new: Catalogue
    changed_items: int  # items of the files that differ, both sides counted
    unchanged_read: int  # unchanged item files read to settle children and duplicates


def load_changed(folder: Path, first: str, second: str, *, max_file_size: int,
                 threshold: float) -> ChangedSides | None:
    """The two revisions, reading only what differs; None when the full reading is needed."""
    check_revision(first)
    check_revision(second)
    repo, inside = repository_of(folder)
    commits = resolve_revision(repo, first), resolve_revision(repo, second)
    old_changed, new_changed = _changed_items(repo, *commits, inside)
    registries = inside / REGISTRIES
    old_registries = list_blobs(repo, commits[0], registries, inside, revision=first)
    new_registries = list_blobs(repo, commits[1], registries, inside, revision=second)
    # One batch for everything known to be needed; unchanged files, if any, come later.
    contents = read_blobs(repo, [*old_registries, *new_registries, *old_changed, *new_changed],
                          max_file_size=max_file_size)

    def load(blobs: list[Blob], revision: str) -> Catalogue:
        return load_blobs(repo, blobs, inside, revision, max_file_size=max_file_size,
                          contents=contents).catalogue

    # Registries are small but read on both sides; unchanged ones only once.
    old_registry = load(old_registries, first)
    new_registry = old_registry if new_registries == old_registries else load(new_registries,
                                                                              second)
    old_items, new_items = load(old_changed, first).items, load(new_changed, second).items
    return _with_unchanged(repo, commits[1], inside, second, old_registry, old_items,
                           new_registry, new_items, {b.path for b in (*old_changed, *new_changed)},
                           max_file_size=max_file_size, threshold=threshold)


def load_changed_worktree(folder: Path, revision: str, *, max_file_size: int,
                          threshold: float) -> ChangedSides | None:
    """A revision and the working tree (with uncommitted and untracked files), reading only
    what differs; None when the full reading is needed."""
    check_revision(revision)
    repo, inside = repository_of(folder)
    commit = resolve_revision(repo, revision)
    found = _worktree_changes(repo, commit, inside)
    if found is None:
        return None
    old_changed, new_changed = found
    old_registries = list_blobs(repo, commit, inside / REGISTRIES, inside, revision=revision)
    contents = read_blobs(repo, [*old_registries, *old_changed], max_file_size=max_file_size)

    def load(blobs: list[Blob]) -> Catalogue:
        return load_blobs(repo, blobs, inside, revision, max_file_size=max_file_size,
                          contents=contents).catalogue

    # The working tree's side as load_catalogue reads it: its registries (found as on
    # every run) and the changed item files, each loaded from disk.
    root = folder.resolve()
    registries, _ = discover(root / REGISTRIES)
    files = [SourceFile(f.path, f.file, kind_of(f.path.relative_to(root))) for f in registries]
    files += [SourceFile(root / path, display_path(root / path), kind_of(PurePosixPath(path)))
              for path in new_changed if (root / path).is_file()]
    new = assemble(files, lambda source: load_file(source.path, source.file,
                                                   max_size=max_file_size), []).catalogue
    return _with_unchanged(repo, commit, inside, revision, load(old_registries),
                           load(old_changed).items, new, new.items,
                           {*new_changed, *(b.path for b in old_changed)},
                           max_file_size=max_file_size, threshold=threshold, worktree=True)


def _with_unchanged(repo: Path, commit: str, inside: PurePosixPath, revision: str,
                    old_registry: Catalogue, old_items: Mapping[str, Item],
                    new_registry: Catalogue, new_items: Mapping[str, Item],
                    changed: set[str], *, max_file_size: int, threshold: float,
                    worktree: bool = False) -> ChangedSides | None:
    """Both sides with the unchanged items that settle children added, or None; changed:
    the paths of the files that differ, on either side."""
    # Files unchanged between the sides (moved ones too) hold the same item on both: it
    # pairs with itself by id and has no change of its own. Only two things the diff
    # prints depend on them: whether an item has children (item-split, item-merged), and
    # which of two files with one id counts (the first, in the full reading).
    unchanged = _Listing.of(repo, commit, inside, revision, changed)
    if unchanged.links and worktree:
        return None  # the folder reading follows them; git's comparison does not
    settled = _settle_children(repo, commit, inside, revision, old_items, new_items,
                               unchanged, max_file_size=max_file_size, threshold=threshold)
    if settled is None:
        return None
    extra, read = settled
    return ChangedSides(replace(old_registry, items={**old_items, **extra}),
                        replace(new_registry, items={**new_items, **extra}),
                        len(old_items) + len(new_items), read)


def _worktree_changes(repo: Path, commit: str, inside: PurePosixPath
                      ) -> tuple[list[Blob], list[str]] | None:
    """The item files of the revision that differ from the working tree, and the paths
    inside the catalogue of the working tree's files that differ (untracked ones too); None
    when the working tree holds what git's comparison does not show: links and submodules
    (the folder reading follows links, and walks into submodules), nested repositories,
    files git is told to skip or assume unchanged; or when comparing could run a filter."""
    # Comparing with the working tree hashes files whose times changed, through the
    # filters .gitattributes names; a filter defined in the settings is a program, and
    # svccat runs none (docs/security.md): the full reading, which only reads files.
    settings = sources.run_git(repo, "config", "-z", "--list")
    if settings.returncode != 0 or any(entry.startswith(b"filter.")
                                       for entry in settings.stdout.split(b"\0")):
        return None
    prefix = catalogue_prefix(inside)
    registries = f"{REGISTRIES}/"
    flags = sources.run_git(repo, "--no-optional-locks", "ls-files", "-v", "-z", "--", str(inside))
    if flags.returncode != 0 or re.search(rb"(?:^|\0)(?:[a-z]|S) ", flags.stdout):
        return None
    # Stat information only, the index is not written: a file touched but not changed is
    # merely read for nothing.
    done = sources.run_git(repo, "--no-optional-locks", "diff-index", "-z", commit, "--", str(inside))
    untracked = sources.run_git(repo, "--no-optional-locks", "ls-files", "-z", "--others", "--",
                        str(inside))
    if done.returncode != 0 or untracked.returncode != 0:
        raise ConfigError("无法比较版本与工作区", "cannot compare the revision with the working "
                          f"tree: {(done.stderr or untracked.stderr).decode(errors='replace')}")
    old: list[Blob] = []
    new: list[str] = []
    fields = done.stdout.split(b"\0")
    for meta, raw_path in zip(fields[0:-1:2], fields[1::2], strict=True):
        old_mode, new_mode, old_sha, _new_sha, _status = meta.decode().lstrip(":").split()
        path = raw_path.decode("utf-8", "surrogateescape")
        if new_mode in ("120000", "160000"):
            return None
        relative = catalogue_file(old_mode, path, prefix)
        if relative is not None and not relative.startswith(registries):
            old.append(Blob(relative, old_sha))
        relative = catalogue_file(new_mode, path, prefix)
        if relative is not None and not relative.startswith(registries):
            new.append(relative)
    for raw in untracked.stdout.split(b"\0"):
        path = raw.decode("utf-8", "surrogateescape")
        if not path:
            continue
        if path.endswith("/") or (repo / path).is_symlink():
            return None
        relative = catalogue_file("100644", path, prefix)
        if relative is not None and not relative.startswith(registries):
            new.append(relative)
    return old, new


def _changed_items(repo: Path, old_commit: str, new_commit: str, inside: PurePosixPath
                   ) -> tuple[list[Blob], list[Blob]]:
    """The item files whose content differs, on each side, in git's order. A file that only
    moved (the same blob deleted at one path, added at another) holds the same item on
    both sides, since items are aligned by id, not path: it is left out."""
    done = sources.run_git(repo, "diff-tree", "-r", "-z", "--no-renames", old_commit, new_commit,
                   "--", str(inside))
    if done.returncode != 0:
        raise ConfigError("无法比较两个版本", "cannot compare the revisions: "
                          f"{done.stderr.decode(errors='replace').strip()}")
    prefix = catalogue_prefix(inside)
    fields = done.stdout.split(b"\0")
    old: list[Blob] = []
    new: list[Blob] = []
    for meta, raw_path in zip(fields[0:-1:2], fields[1::2], strict=True):
        old_mode, new_mode, old_sha, new_sha, _status = meta.decode().lstrip(":").split()
        path = raw_path.decode("utf-8", "surrogateescape")
        for mode, sha, side in ((old_mode, old_sha, old), (new_mode, new_sha, new)):
            relative = catalogue_file(mode, path, prefix)
            if relative is not None and not relative.startswith(f"{REGISTRIES}/"):
                side.append(Blob(relative, sha))
    moved = Counter(b.sha for b in old) & Counter(b.sha for b in new)
    return _without(old, moved.copy()), _without(new, moved)


def _without(blobs: list[Blob], shas: Counter[str]) -> list[Blob]:
    kept = []
    for blob in blobs:
        if shas[blob.sha] > 0:
            shas[blob.sha] -= 1
        else:
            kept.append(blob)
    return kept


def _parents(items: Iterable[Item]) -> set[str]:
    return {i.parent for i in items if i.parent}


def _settle_children(repo: Path, commit: str, inside: PurePosixPath, revision: str,
                     old_items: Mapping[str, Item], new_items: Mapping[str, Item],
                     unchanged: _Listing, *, max_file_size: int,
                     threshold: float) -> tuple[dict[str, Item], int] | None:
    """The unchanged items to add to both sides so that every item the diff compares has
    the same children as in the full reading, and how many unchanged files were read; None
    when an unchanged file shares an id with a changed one, or too much would be read."""
    changed_ids = set(old_items) | set(new_items)
    # An item has children on a side when a changed item there names it as parent, or an
    # unchanged one does (on both sides alike). Only where the changed items disagree, or
    # where an item is paired with another id, can the unchanged ones decide. Unchanged
    # items pair with themselves by id, so the other pairs are those of the changed items.
    renamed = [p for p in align(old_items.values(), new_items.values(), lambda i: i.id,
                                threshold=threshold) if p.how in ("renamed", "similar")]
    open_ids = (_parents(old_items.values()) ^ _parents(new_items.values())) \
        | {i.id for p in renamed for i in (p.old, p.new) if i is not None}
    # Files are usually named after their item's id, and children after their parent's id
    # with a suffix (370000-zr-020-01-02 under 370000-zr-020-01): try those files first.
    # What they prove is read from their content, never from their name.
    tried = unchanged.named(changed_ids | open_ids)
    for ident in sorted(open_ids):
        tried += unchanged.named_after(ident, NAMED_CHILDREN_TRIED)
    extra = _load_unchanged(repo, tried, inside, revision, max_file_size=max_file_size)
    if extra is None or changed_ids & set(extra):
        return None
    read = len({sha for _, sha in tried})
    # An item named as parent by no unchanged file read so far may still have unchanged
    # children, and an item some changed file names as parent may be unchanged itself:
    # read every unchanged file that mentions it. Ids are lower-case ASCII letters, digits
    # and - _ . (the schema), which YAML never needs to escape, so a file naming an id as
    # its parent contains that id as written.
    open_ids -= _parents(extra.values())
    if open_ids:
        mentioning = _mentioning(repo, commit, inside, sorted(open_ids))
        tried += unchanged.at(mentioning)
        read = len({sha for _, sha in tried})
        if read > MOST_UNCHANGED_READ:
            return None
        extra = _load_unchanged(repo, tried, inside, revision, max_file_size=max_file_size)
        if extra is None or changed_ids & set(extra):
            return None
    return extra, read


@dataclass(frozen=True)
class _Listing:
    """The unchanged item files of a revision, looked up by name as (path, object) pairs.
    A province has 100,000 files: git's listing is split once and searched, never parsed
    entry by entry, which would cost more than all the rest of a diff."""

    entries: list[str]  # "MODE TYPE OBJECT\tPATH", in git's order
    names: list[str]  # the file name of each entry
    prefix: str  # of the catalogue's paths
    changed: frozenset[str]  # paths inside the catalogue
    links: bool  # whether the catalogue holds links or submodules

    @classmethod
    def of(cls, repo: Path, commit: str, inside: PurePosixPath, revision: str,
           changed: Iterable[str]) -> _Listing:
        listing = sources.run_git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", str(inside))
        if listing.returncode != 0:
            raise ConfigError(f"无法读取版本 {revision}", f"cannot list revision {revision}: "
                              f"{listing.stderr.decode(errors='replace').strip()}")
        text = listing.stdout.decode("utf-8", "surrogateescape")
        entries = text.split("\0")
        links = text.startswith(("120000 ", "160000 ")) or "\x00120000 " in text \
            or "\x00160000 " in text
        return cls(entries, [e[max(e.rfind("/"), e.find("\t")) + 1:] for e in entries],
                   catalogue_prefix(inside), frozenset(changed), links)

    def _file(self, index: int) -> tuple[str, str] | None:
        entry = self.entries[index]
        tab = entry.find("\t")
        relative = catalogue_file(entry[:6], entry[tab + 1:], self.prefix) if tab > 0 else None
        if relative is None or relative in self.changed or relative.startswith(f"{REGISTRIES}/"):
            return None
        return relative, entry[:tab].rpartition(" ")[2]

    def named(self, stems: Iterable[str]) -> list[tuple[str, str]]:
        """The files named STEM.yaml or STEM.yml."""
        wanted = {f"{stem}{suffix}" for stem in stems for suffix in YAML_SUFFIXES}
        return [f for at, name in enumerate(self.names)
                if name in wanted and (f := self._file(at)) is not None]

    def named_after(self, ident: str, most: int) -> list[tuple[str, str]]:
        """At most `most` files whose name is ident, a separator, and more."""
        found: list[tuple[str, str]] = []
        names = self._sorted_names
        for at in range(bisect.bisect_right(names, (ident, -1)), len(names)):
            name, index = names[at]
            if not name.startswith(ident) or len(found) >= most:
                break
            if name[len(ident)] in _SEPARATORS and (f := self._file(index)) is not None:
                found.append(f)
        return found

    def at(self, paths: set[str]) -> list[tuple[str, str]]:
        """The files at these paths inside the catalogue."""
        full = {f"{self.prefix}{path}" for path in paths}
        return [f for at, entry in enumerate(self.entries)
                if entry[entry.find("\t") + 1:] in full and (f := self._file(at)) is not None]

    @functools.cached_property
    def _sorted_names(self) -> list[tuple[str, int]]:
        return sorted((name, at) for at, name in enumerate(self.names))


def _load_unchanged(repo: Path, blobs: list[tuple[str, str]], inside: PurePosixPath,
                    revision: str, *, max_file_size: int) -> dict[str, Item] | None:
    """The items of unchanged files by id; None when two of them share an id (the full
    reading decides by file order, which this one cannot see)."""
    unique = [Blob(path, sha) for path, sha in dict(blobs).items()]
    loaded = load_blobs(repo, unique, inside, revision, max_file_size=max_file_size)
    if any(p.code == "X001" for p in loaded.problems):
        return None
    return dict(loaded.catalogue.items)


def _mentioning(repo: Path, commit: str, inside: PurePosixPath, idents: list[str]) -> set[str]:
    """The paths inside the catalogue of the files of a revision that contain any of the ids."""
    patterns = [arg for ident in idents for arg in ("-e", ident)]
    done = sources.run_git(repo, "grep", "-l", "-z", "-F", "--full-name", *patterns, commit, "--",
                   str(inside))
    if done.returncode not in (0, 1):  # 1: nothing found
        raise ConfigError("无法搜索 git 版本", "cannot search the revision: "
                          f"{done.stderr.decode(errors='replace').strip()}")
    revision, catalogue = f"{commit}:", catalogue_prefix(inside)
    return {path.removeprefix(revision).removeprefix(catalogue)
            for path in done.stdout.decode("utf-8", "surrogateescape").split("\0") if path}

