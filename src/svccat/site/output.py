"""Write the site whole or not at all: into a temporary folder beside the output, then swap.

A failed or interrupted build (an exception, a full disk, Ctrl+C, SIGTERM) leaves the
previous site as it was and no temporary folder behind; two builds into one folder each swap
in a whole site. Only a folder that svccat built (it carries MARKER) or an empty one is replaced, so
a mistyped `--out` never deletes someone's files. The render workers write pages into the
temporary folder too (svccat.site.workers); the build stops them before the folder is
swapped in or removed (staging()).

A file whose bytes the previous site already has is hard-linked from it into the new folder
instead of written again: it keeps its inode and modification time (so rsync and web caches
see no change), and costs no write. Where linking fails (a file system without hard links)
the bytes are written after all.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from svccat.config import ConfigError
from svccat.site import paths
from svccat.site.manifest import MANIFEST, Listing, Stat
from svccat.site.paths import Folders

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


@dataclass(frozen=True)
class Unchanged:
    """An output whose bytes the previous site has at the same path: linked from there."""

    data: Callable[[], bytes]  # the bytes after all, when the file cannot be linked


@dataclass(frozen=True)
class Streamed:
    """An output too large to hold whole, written piece by piece as it is made. Once it is
    written, `unchanged` says whether the previous site has the very same bytes: then that
    file is linked in its place after all (its inode and time kept, as for Unchanged)."""

    pieces: Iterable[bytes]
    unchanged: Callable[[], bool]


@dataclass(frozen=True)
class Placed:
    """An output already written at its path in the new folder (by a render worker)."""


Output = bytes | Unchanged | Streamed | Placed

# The name under which a previous file is linked before it replaces a streamed one: at the
# top of the new folder, where no site path is a hidden name (MARKER and MANIFEST go there).
_LINKING = ".svccat-linking"


@dataclass(frozen=True)
class Written:
    written: int  # files written afresh
    unchanged: int  # files linked from the previous site


_DIR_FD = os.link in os.supports_dir_fd and os.open in os.supports_dir_fd \
    and os.scandir in os.supports_fd


class Previous:
    """The site in a folder before this build, held open: if another build swaps its own
    site in meanwhile, what is read and linked still comes from the one site read first."""

    def __init__(self, out: Path) -> None:
        self.out = out.absolute()
        self._fd: int | None = None
        if _DIR_FD:
            with suppress(OSError):
                self._fd = os.open(self.out, os.O_RDONLY | os.O_DIRECTORY)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Previous:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read_manifest(self) -> tuple[bytes, int] | None:
        """The manifest's bytes and modification time (ns), if there is one."""
        try:
            descriptor = (os.open(MANIFEST, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=self._fd)
                          if self._fd is not None else os.open(self.out / MANIFEST, os.O_RDONLY))
            with open(descriptor, "rb") as handle:
                status = os.fstat(handle.fileno())
                return handle.read(), status.st_mtime_ns
        except OSError:
            return None

    def listing(self) -> Listing:
        found: dict[str, Stat] = {}
        try:
            strange = self._walk(self._fd if self._fd is not None else str(self.out), "", found)
        except OSError:
            return Listing({}, True)
        found.pop(MARKER, None)
        found.pop(MANIFEST, None)
        return Listing(found, strange)

    def _walk(self, folder: int | str, prefix: str, found: dict[str, Stat]) -> bool:
        strange = False
        # scandir, not rglob: one system call per file, at 100,000 pages.
        with os.scandir(folder) as entries:
            for entry in entries:
                status = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(status.st_mode):
                    found[prefix + entry.name] = Stat(status.st_size, status.st_mtime_ns)
                elif stat.S_ISDIR(status.st_mode):
                    if isinstance(folder, int):
                        below = os.open(entry.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW,
                                        dir_fd=folder)
                        try:
                            strange = self._walk(below, f"{prefix}{entry.name}/", found) or strange
                        finally:
                            os.close(below)
                    else:
                        strange = self._walk(os.path.join(folder, entry.name),
                                             f"{prefix}{entry.name}/", found) or strange
                else:
                    strange = True
        return strange

    def link(self, path: str, target: Path) -> bool:
        """Link the previous site's file at path to target; False when that cannot be done
        (no hard links here, the file is gone)."""
        try:
            if self._fd is not None:
                os.link(path, target, src_dir_fd=self._fd, follow_symlinks=False)
            else:
                os.link(paths.inside(self.out, path), target, follow_symlinks=False)
        except FileExistsError:
            raise  # a path written twice is a bug, not a merge
        except OSError:
            return False
        return True


def write_site(out: Path, files: Iterable[tuple[str, Output]], *,
               previous: Previous | None = None,
               manifest: Callable[[], bytes] | None = None) -> Written:
    """Write every (path, bytes) into a fresh folder, then swap it into `out`; an Unchanged
    output is linked from `previous` (the site in `out` before). `manifest` gives the
    MANIFEST's bytes once all the files are written (they are not counted)."""
    with staging(out) as site:
        written = site.write(files, previous=previous, manifest=manifest)
        site.swap()
    return written


@contextmanager
def staging(out: Path) -> Iterator[Staging]:
    """A new site for `out`, in a temporary folder beside it until `swap()` puts it in
    place; removed, whatever it holds, if the block ends without that. Whatever else
    writes into the folder (the render workers) must have stopped before the block ends."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    with _terminate_as_interrupt():
        folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
        try:
            yield Staging(out, folder)
        finally:
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)


class Staging:
    """The folder a new site is written into (see staging())."""

    def __init__(self, out: Path, folder: Path) -> None:
        self.out = out
        self.folder = folder
        self._folders = Folders(folder)

    def write(self, files: Iterable[tuple[str, Output]], *, previous: Previous | None = None,
              manifest: Callable[[], bytes] | None = None) -> Written:
        """Write every (path, output), then the manifest and the marker."""
        building = self.folder
        written = unchanged = 0
        for path, data in files:
            if isinstance(data, Placed):
                written += 1
                continue
            target = self._folders.target(path)
            if isinstance(data, Streamed):
                with open(target, "xb") as handle:
                    for piece in data.pieces:
                        handle.write(piece)
                if previous is not None and data.unchanged() \
                        and previous.link(path, building / _LINKING):
                    os.replace(building / _LINKING, target)
                    unchanged += 1
                else:
                    written += 1
                continue
            if isinstance(data, Unchanged):
                if previous is not None and previous.link(path, target):
                    unchanged += 1
                    continue
                data = data.data()
            with open(target, "xb") as handle:  # "x": a path written twice is a bug, not a merge
                handle.write(data)
            written += 1
        if manifest is not None:
            # Last: every file of the site is older than its manifest, unless edited since.
            with open(building / MANIFEST, "xb") as handle:
                handle.write(manifest())
        (building / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        # Directories are created by mkdtemp with mode 0700; a web server must read them.
        _publishable(building)
        return Written(written, unchanged)

    def swap(self) -> None:
        """Put the new site in place of the one in `out`, which is then removed."""
        out, old = self.out, None
        try:
            with _swap_lock(out.parent):
                if out.exists():
                    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.previous-", dir=out.parent))
                    old.rmdir()
                    os.replace(out, old)
                    try:
                        os.replace(self.folder, out)
                    except BaseException:
                        os.replace(old, out)
                        old = None
                        raise
                else:
                    os.replace(self.folder, out)
        finally:
            if old is not None:
                if out.exists():
                    shutil.rmtree(old, ignore_errors=True)
                elif old.exists():  # interrupted between the two renames: put it back
                    os.replace(old, out)


def _publishable(folder: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(folder, 0o777 & ~umask)
