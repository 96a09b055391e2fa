"""Write the site whole or not at all: into a temporary folder beside the output, then swap.

A failed or interrupted build (an exception, a full disk, Ctrl+C, SIGTERM) leaves the
previous site as it was and no temporary folder behind; two builds into one folder each swap
in a whole site. Only a folder that svccat built (it carries MARKER) or an empty one is replaced, so
a mistyped `--out` never deletes someone's files.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType

from svccat.config import ConfigError
from svccat.site import paths

MARKER = ".svccat-site"
MARKER_TEXT = "This folder is a site built by svccat; `svccat build` replaces it whole.\n"


def check_output(out: Path, *, keep: Iterable[Path]) -> None:
    """Refuse (a usage error) an output folder whose replacement would destroy something else.

    `keep` are folders that must survive (the catalogue, the working directory).
    """
    try:
        target = out.resolve()
    except (OSError, RuntimeError):  # a link loop (RuntimeError before Python 3.13)
        raise ConfigError(f"{out} 是循环的符号链接", f"{out} is a symbolic link that loops") \
            from None
    for folder in keep:
        if folder.resolve().is_relative_to(target):
            raise ConfigError(f"输出文件夹 {out} 包含 {folder}，生成时会被整体替换；请换一个文件夹",
                              f"the output folder {out} contains {folder}, which a build would "
                              "replace; choose another folder")
    if out.exists() or out.is_symlink():
        if not out.is_dir() or out.is_symlink():
            raise ConfigError(f"{out} 已存在且不是文件夹", f"{out} exists and is not a folder")
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise ConfigError(f"输出文件夹 {out} 不是 svccat 生成的网站（没有 {MARKER}），为免误删不予替换；"
                              "请换一个文件夹或先清空它",
                              f"the output folder {out} is not a site built by svccat (no "
                              f"{MARKER}); it is not replaced, to avoid deleting files: choose "
                              "another folder or empty it")


class Terminated(KeyboardInterrupt):
    """SIGTERM during a write (a CI timeout, `kill`): unwinds like Ctrl+C, so that the
    temporary folder is removed and the previous site put back."""


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    # The default SIGTERM ends the process on the spot and skips every `finally` below.
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; signals are delivered there anyway
        return

    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if not stopping:  # a second SIGTERM must not cut the cleanup short
            stopping = True
            raise Terminated()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _swap_lock(folder: Path) -> Iterator[None]:
    """One swap at a time in a folder: two builds into one output each put a whole site in
    place (the later one wins) instead of one failing halfway between its two renames."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; the swap is not guarded there
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        with suppress(OSError):  # a file system without locks (some network mounts)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def write_site(out: Path, files: Iterable[tuple[str, bytes]]) -> int:
    """Write every (path, bytes) into a fresh folder, then swap it into `out`; the count."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    with _terminate_as_interrupt():
        return _write_and_swap(out, files)


def _write_and_swap(out: Path, files: Iterable[tuple[str, bytes]]) -> int:
    building = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    previous: Path | None = None
    count = 0
    try:
        for path, data in files:
            target = paths.inside(building, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as handle:  # "x": a path written twice is a bug, not a merge
                handle.write(data)
            count += 1
        (building / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        # Directories are created by mkdtemp with mode 0700; a web server must read them.
        _publishable(building)
        with _swap_lock(out.parent):
            if out.exists():
                previous = Path(tempfile.mkdtemp(prefix=f".{out.name}.previous-",
                                                 dir=out.parent))
                previous.rmdir()
                os.replace(out, previous)
                try:
                    os.replace(building, out)
                except BaseException:
                    os.replace(previous, out)
                    previous = None
                    raise
            else:
                os.replace(building, out)
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
        if previous is not None:
            if out.exists():
                shutil.rmtree(previous, ignore_errors=True)
            elif previous.exists():  # interrupted between the two renames: put it back
                os.replace(previous, out)
    return count


def _publishable(folder: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(folder, 0o777 & ~umask)
