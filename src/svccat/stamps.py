"""Take the stat stamps of many files at once, on two processes where that is quicker.

`svccat lint FILE` in a province's catalogue stats 100,000 files to know that no other file
changed (svccat.incremental); that is half its time, most of it in the system call. A
forked child takes the second half of the files while this process takes the first, and
sends its stamps back through a pipe, marshalled. A child that fails costs time,
not the result: this process then takes the rest itself.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import threading
from collections.abc import Sequence
from typing import Any

Stamp = tuple[int, int, int, int]  # size, modification time (ns), inode, change time (ns)
Batch = tuple[str, Sequence[str]]  # a folder and names of files in it

# Below this many files, starting a second process costs more than it saves.
FORK_MIN = 20_000
# fork is safe here only on Linux (macOS's system libraries may not survive it) and while
# this process runs one thread.
_CAN_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")
_DIR_FD = os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")


def take(batches: Sequence[Batch], *, jobs: int) -> list[Stamp | None]:
    """Each file's stamp, in the order of the batches (None: gone meanwhile); `jobs`: the
    processes that may share the work (at most two are used)."""
    total = sum(len(names) for _, names in batches)
    if jobs < 2 or total < FORK_MIN or not _CAN_FORK or threading.active_count() != 1:
        return _take(batches)
    first, second = _halves(batches, total // 2)
    return _forked(first, second)


def _halves(batches: Sequence[Batch], at: int) -> tuple[list[Batch], list[Batch]]:
    first: list[Batch] = []
    second: list[Batch] = []
    seen = 0
    for folder, names in batches:
        if seen >= at:
            second.append((folder, names))
        elif seen + len(names) <= at:
            first.append((folder, names))
        else:  # the folder is split between the two
            cut = at - seen
            first.append((folder, names[:cut]))
            second.append((folder, names[cut:]))
        seen += len(names)
    return first, second


def _take(batches: Sequence[Batch]) -> list[Stamp | None]:
    taken: list[Stamp | None] = []
    stat = os.stat
    for folder, names in batches:
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
                    taken.append(None)
                    continue
                taken.append((status.st_size, status.st_mtime_ns, status.st_ino,
                              status.st_ctime_ns))
        finally:
            if descriptor is not None:
                os.close(descriptor)
    return taken


def _forked(first: Sequence[Batch], second: Sequence[Batch]) -> list[Stamp | None]:
    expected = sum(len(names) for _, names in second)
    try:
        readable, writable = os.pipe()
    except OSError:
        return _take(first) + _take(second)
    try:
        child = os.fork()
    except OSError:
        os.close(readable)
        os.close(writable)
        return _take(first) + _take(second)
    if child == 0:  # the child: stat, write, and leave without running the parent's code
        code = 1
        try:
            os.close(readable)
            out = memoryview(marshal.dumps(_take(second)))
            while out:
                out = out[os.write(writable, out):]
            code = 0
        finally:
            os._exit(code)
    os.close(writable)
    try:
        mine = _take(first)
        chunks = []
        while chunk := os.read(readable, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(readable)  # a child still writing (Ctrl+C here) then stops on a broken pipe
        os.waitpid(child, 0)
    try:
        theirs: Any = marshal.loads(b"".join(chunks))
    except (EOFError, ValueError, TypeError):
        theirs = None
    if not isinstance(theirs, list) or len(theirs) != expected:
        theirs = _take(second)  # the child failed: take its half here
    return [*mine, *theirs]
