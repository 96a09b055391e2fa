"""Output is written whole or not at all."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_atomically(path: Path, text: str | bytes, *, mode: int | None = None) -> None:
    """A temporary file beside the target, then a rename: readers never see half a file.

    The temporary file is private (0600); `mode` gives the result other permissions, e.g.
    those of the file it replaces."""
    if _special(path):  # /dev/null, /dev/stdout, a FIFO: written into, never replaced
        with open(path, "wb") as stream:
            stream.write(text if isinstance(text, bytes) else text.encode("utf-8"))
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        if isinstance(text, bytes):  # a binary file, e.g. an .xlsx workbook
            with os.fdopen(fd, "wb") as binary:
                binary.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _special(path: Path) -> bool:
    """Whether path exists and is no regular file (following links): a device or a pipe,
    which a rename would replace by a file (as root, even /dev/null)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)
