"""Helpers of the security tests: svccat run in-process as its command line, and snapshots
of a folder to prove that nothing was written where it should not be."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from svccat.cli import main
from tests.site.small import write_small

EXIT_CODES = {0, 1, 2}


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, Any]:
        found: dict[str, Any] = json.loads(self.stdout)
        return found

    def assert_answered(self) -> None:
        """The contract every run keeps, whatever the input: an exit code of 0, 1 or 2, and a
        message of svccat's own, never a traceback or an "internal error"."""
        assert self.code in EXIT_CODES, (self.code, self.stderr)
        assert "Traceback" not in self.stderr and "internal error" not in self.stderr, self.stderr


@contextlib.contextmanager
def _working_directory(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def svccat(*args: str, cwd: Path) -> Outcome:
    """`svccat ARGS` in this process (hundreds of runs per test are affordable this way):
    the real entry point, its exit code and both streams."""
    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["svccat", *args]
    code: Any = 0
    try:
        with _working_directory(cwd), contextlib.redirect_stdout(out), \
                contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as e:
                code = e.code
    finally:
        sys.argv = argv
    return Outcome(code if isinstance(code, int) else 2, out.getvalue(), err.getvalue())


def snapshot(folder: Path, *, skip: tuple[str, ...] = ()) -> dict[str, bytes | str]:
    """Every entry under folder (links by target, files by content), except the names in skip."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if relative.split("/")[0] in skip or "__pycache__" in relative:
            continue
        if path.is_symlink():
            found[relative] = f"-> {os.readlink(path)}"
        elif path.is_file():
            found[relative] = path.read_bytes()
        elif path.is_dir():
            found[relative] = "dir"
        else:
            found[relative] = "special"
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The small catalogue of the site tests (lint-clean under its svccat.toml), fresh."""
    return write_small(tmp_path / "project")
