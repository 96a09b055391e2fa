"""Output files are written whole or not at all, and devices are written into, not replaced."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from svccat.atomic import write_atomically


def test_a_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    write_atomically(target, "一\n")
    write_atomically(target, "二\n")
    assert target.read_text(encoding="utf-8") == "二\n"
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]  # no temporary left


@pytest.mark.skipif(sys.platform == "win32", reason="no FIFOs")
def test_a_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    """Protects: `-o /dev/null` once replaced /dev/null with a regular file (as root)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        write_atomically(fifo, "问题\n")
        assert os.read(reader, 100) == "问题\n".encode()
    finally:
        os.close(reader)
    assert not fifo.is_file()  # still the pipe


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_dev_null_stays_a_device() -> None:
    write_atomically(Path("/dev/null"), "nothing\n")
    assert Path("/dev/null").is_char_device()
