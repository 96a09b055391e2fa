"""Walk a catalogue's folders: each one's YAML files with their stat stamps, on two processes
where that is quicker.

`svccat lint FILE` in a province's catalogue lists and stats 100,000 files to know that no
other file changed (svccat.incremental): most of its time, much of it in system calls. So
this process lists the first folders until there are some subtrees to share, then a forked
child walks every other subtree while this process walks the rest. Each process stats a
folder's files through the folder's descriptor and makes the folder's signature where it
listed it, and the child sends its folders back marshalled: nothing per file is left to do
here afterwards. A child that fails costs time, not the result: this process then walks
its share too.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

Stamp = tuple[int, int, int, int]  # size, modification time (ns), inode, change time (ns)
Files = list[tuple[str, Stamp | None]]  # a folder's YAML files by name, with their stamps
# A folder found: its parts inside the catalogue (() for the catalogue itself), its YAML
# files (and links to files) sorted by name, each with its stamp when asked for (None: not
# taken, or the link is broken), its links leading outside the catalogue or looping, and
# its signature (None without stamps).
Listed = tuple[tuple[str, ...], Files, list[str], bytes | None]

YAML_SUFFIXES = (".yaml", ".yml")
# Subtrees found before the rest is shared out: enough that every other one makes halves
# of about the same size when the subtrees are alike (a province's counties). Folders are
# listed breadth first until there are this many; a tree that never has them is walked here.
SHARE_FROM = 4
# fork is safe here only on Linux (macOS's system libraries may not survive it) and while
# this process runs one thread.
_CAN_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")
_DIR_FD = os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")

_Pending = tuple[str, tuple[str, ...]]  # a folder's path, and its parts inside the catalogue


def signature(files: Files, outside: Sequence[str]) -> bytes:
    """Changes when a file of the folder is added, removed, changed (by its stamp) or
    replaced, or a link changes its target: svccat.incremental compares folders by it."""
    # marshal's format 0: the later ones mark objects by their reference counts and
    # interning, which differ from run to run for equal values.
    return hashlib.blake2b(marshal.dumps((files, list(outside)), 0), digest_size=16).digest()


def walk(root: Path, *, stamps: bool, jobs: int) -> list[Listed]:
    """Every folder under `root` (resolved), itself included, in walk order: a folder's
    files before its subfolders, names sorted. `jobs`: the processes that may share the
    work (at most two are used, and only to take stamps)."""
    found: list[Listed] = []
    pending: list[_Pending] = [(str(root), ())]
    if stamps and jobs >= 2 and _CAN_FORK and threading.active_count() == 1:
        while pending and len(pending) < SHARE_FROM:  # breadth first: subtrees to share
            folder, parts = pending.pop(0)
            pending += _list(folder, parts, root, stamps, found)
        if len(pending) >= 2:
            found += _shared(pending[0::2], pending[1::2], root)
            pending = []
    found += _walk_all(pending, root, stamps)
    # Sorting folders by their parts puts each before its subfolders, names in order.
    found.sort(key=lambda listed: listed[0])
    return found


def _walk_all(start: Iterable[_Pending], root: Path, stamps: bool) -> list[Listed]:
    found: list[Listed] = []
    stack = list(start)
    while stack:
        folder, parts = stack.pop()
        stack += _list(folder, parts, root, stamps, found)
    return found


def _list(folder: str, parts: tuple[str, ...], root: Path, stamps: bool,
          found: list[Listed]) -> list[_Pending]:
    """List one folder into `found`, and give its subfolders."""
    plain: list[str] = []  # YAML files, not links: nearly all, so kept to their names
    others: Files = []  # links to YAML files, and the like
    outside: list[str] = []
    subfolders: list[_Pending] = []
    try:
        with os.scandir(folder) as listing:
            for entry in listing:
                name = entry.name
                if name[0] == ".":
                    continue
                try:
                    if entry.is_file(follow_symlinks=False):  # the common case, made short
                        if name.endswith(YAML_SUFFIXES):
                            plain.append(name)
                        continue
                    is_folder = entry.is_dir(follow_symlinks=False)
                    link = entry.is_symlink()
                    # A link to a folder is not followed; a loop or a broken link is no
                    # folder.
                    to_folder = link and _is_dir(entry)
                except OSError:  # gone meanwhile: as if it had never been there
                    continue
                if is_folder:
                    subfolders.append((entry.path, (*parts, name)))
                elif to_folder:
                    if not _inside(entry.path, root):
                        outside.append(name)
                elif name.endswith(YAML_SUFFIXES):  # a link to a file, or something odd
                    if link and not _inside(entry.path, root):
                        outside.append(name)
                        continue
                    stamp: Stamp | None = None
                    if stamps:
                        try:
                            status = entry.stat()
                        except OSError:  # a broken link: reading it will say
                            pass
                        else:
                            stamp = (status.st_size, status.st_mtime_ns, status.st_ino,
                                     status.st_ctime_ns)
                    others.append((name, stamp))
    except OSError:
        return []  # as os.walk: a folder that cannot be listed is passed over
    plain.sort()  # names, not entries: sorted in C
    files: Files = _stamped(folder, plain) if stamps else [(name, None) for name in plain]
    if others:
        files = sorted(files + others)  # names are unique: sorted by name
    outside.sort()
    found.append((parts, files, outside, signature(files, outside) if stamps else None))
    return subfolders


def _stamped(folder: str, names: list[str]) -> Files:
    """The files with their stamps; one gone meanwhile is dropped, as if it had never been
    there."""
    stamped: Files = []
    stat = os.stat
    descriptor = None
    if _DIR_FD:
        with contextlib.suppress(OSError):  # each stat then looks up one name only
            descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for name in names:
            try:
                status = (stat(name, dir_fd=descriptor, follow_symlinks=False)
                          if descriptor is not None
                          else stat(os.path.join(folder, name), follow_symlinks=False))
            except OSError:
                continue
            stamped.append((name, (status.st_size, status.st_mtime_ns, status.st_ino,
                                   status.st_ctime_ns)))
    finally:
        if descriptor is not None:
            os.close(descriptor)
    return stamped


def _shared(mine: list[_Pending], theirs: list[_Pending], root: Path) -> list[Listed]:
    """Walk `mine` here and `theirs` on a forked child."""
    try:
        readable, writable = os.pipe()
    except OSError:
        return _walk_all(mine + theirs, root, True)
    try:
        child = os.fork()
    except OSError:
        os.close(readable)
        os.close(writable)
        return _walk_all(mine + theirs, root, True)
    if child == 0:  # the child: walk, write, and leave without running the parent's code
        code = 1
        try:
            os.close(readable)
            out = memoryview(marshal.dumps(_walk_all(theirs, root, True)))
            while out:
                out = out[os.write(writable, out):]
            code = 0
        finally:
            os._exit(code)
    os.close(writable)
    try:
        found = _walk_all(mine, root, True)
        chunks = []
        while chunk := os.read(readable, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(readable)  # a child still writing (Ctrl+C here) then stops on a broken pipe
        _, status = os.waitpid(child, 0)
    walked: Any = None
    if status == 0:
        with contextlib.suppress(EOFError, ValueError, TypeError):
            walked = marshal.loads(b"".join(chunks))
    if not isinstance(walked, list):
        walked = _walk_all(theirs, root, True)  # the child failed: walk its share here
    return [*found, *walked]


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop
        return False


def _inside(path: str, root: Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False
