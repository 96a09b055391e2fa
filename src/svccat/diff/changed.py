"""Two revisions of one repository, read as far as a diff needs: the item files whose
content differs, the registries, and the few unchanged items that decide whether an item
gained or lost its children. The full reading (svccat.diff.sources.load_revision) stays
the reference; this one must give the same diff, or give up and say so (None)."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from svccat.catalogue import REGISTRIES
from svccat.config import ConfigError
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
    run_git,
)
from svccat.model import Catalogue, Item

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
    changed_files: int  # item files that differ, both sides counted
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
    # Files unchanged between the revisions (moved ones too) hold the same item on both
    # sides: it pairs with itself by id and has no change of its own. Only two things the
    # diff prints depend on them: whether an item has children (item-split, item-merged),
    # and which of two files with one id counts (the first, in the full reading).
    unchanged = _unchanged_by_stem(repo, commits[1], inside, second,
                                   {b.path for b in new_changed})
    settled = _settle_children(repo, commits[1], inside, second, old_items, new_items,
                               unchanged, max_file_size=max_file_size, threshold=threshold)
    if settled is None:
        return None
    extra, read = settled
    return ChangedSides(replace(old_registry, items={**old_items, **extra}),
                        replace(new_registry, items={**new_items, **extra}),
                        len(old_changed) + len(new_changed), read)


def _changed_items(repo: Path, old_commit: str, new_commit: str, inside: PurePosixPath
                   ) -> tuple[list[Blob], list[Blob]]:
    """The item files whose content differs, on each side, in git's order. A file that only
    moved (the same blob deleted at one path, added at another) holds the same item on
    both sides, since items are aligned by id, not path: it is left out."""
    done = run_git(repo, "diff-tree", "-r", "-z", "--no-renames", old_commit, new_commit, "--",
                str(inside))
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
                     by_stem: Mapping[str, list[tuple[str, str]]], *, max_file_size: int,
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
    tried = [b for ident in changed_ids | open_ids for b in by_stem.get(ident, [])]
    stems = sorted(by_stem) if open_ids else []
    for ident in sorted(open_ids):
        named = [b for stem in _stems_after(stems, ident) for b in by_stem[stem]]
        tried += named[:NAMED_CHILDREN_TRIED]
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
        tried += [b for blobs in by_stem.values() for b in blobs if b[0] in mentioning]
        read = len({sha for _, sha in tried})
        if read > MOST_UNCHANGED_READ:
            return None
        extra = _load_unchanged(repo, tried, inside, revision, max_file_size=max_file_size)
        if extra is None or changed_ids & set(extra):
            return None
    return extra, read


def _unchanged_by_stem(repo: Path, commit: str, inside: PurePosixPath, revision: str,
                       changed: set[str]) -> dict[str, list[tuple[str, str]]]:
    """The unchanged item files of a revision by file name without its suffix. Plain string
    work on git's listing: this runs for every file of a province's catalogue."""
    listing = run_git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", str(inside))
    if listing.returncode != 0:
        raise ConfigError(f"无法读取版本 {revision}", f"cannot list revision {revision}: "
                          f"{listing.stderr.decode(errors='replace').strip()}")
    prefix = catalogue_prefix(inside)
    registries = f"{REGISTRIES}/"
    found: dict[str, list[tuple[str, str]]] = {}
    for entry in listing.stdout.decode("utf-8", "surrogateescape").split("\0"):
        tab = entry.find("\t")  # "MODE TYPE SHA\tPATH"
        relative = catalogue_file(entry[:6], entry[tab + 1:], prefix) if tab > 0 else None
        if relative is None or relative in changed or relative.startswith(registries):
            continue
        stem = relative[relative.rfind("/") + 1:relative.rfind(".")]
        # (path, object) pairs: a Blob each would cost as much as all the rest of the loop.
        found.setdefault(stem, []).append((relative, entry[:tab].rpartition(" ")[2]))
    return found


def _stems_after(stems: list[str], ident: str) -> list[str]:
    """The stems (sorted) that are ident followed by a separator and more."""
    found = []
    for at in range(bisect.bisect_right(stems, ident), len(stems)):
        stem = stems[at]
        if not stem.startswith(ident):
            break
        if stem[len(ident)] in _SEPARATORS:
            found.append(stem)
    return found


def _load_unchanged(repo: Path, blobs: list[tuple[str, str]], inside: PurePosixPath, revision: str, *,
                    max_file_size: int) -> dict[str, Item] | None:
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
    done = run_git(repo, "grep", "-l", "-z", "-F", "--full-name", *patterns, commit, "--",
                str(inside))
    if done.returncode not in (0, 1):  # 1: nothing found
        raise ConfigError("无法搜索 git 版本", "cannot search the revision: "
                          f"{done.stderr.decode(errors='replace').strip()}")
    prefix = f"{commit}:"
    found = set()
    for entry in done.stdout.split(b"\0"):
        path = entry.decode("utf-8", "surrogateescape").removeprefix(prefix)
        if entry:
            found.add(PurePosixPath(path).relative_to(inside).as_posix())
    return found

