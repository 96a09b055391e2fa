"""Stat stamps of many files: the same from two processes as from one, whatever happens."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from svccat import stamps
from svccat.cache import FOLDER
from svccat.catalogue import scan
from svccat.config import load_config
from svccat.lint import lint
from tests.conftest import dies_in_workers

forking = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")


def _tree(tmp_path: Path) -> list[stamps.Batch]:
    batches: list[stamps.Batch] = []
    for folder in ("a", "b", "c"):
        (tmp_path / folder).mkdir()
        names = [f"{index:03}.yaml" for index in range(7)]
        for name in names:
            (tmp_path / folder / name).write_text(f"{folder}/{name}", encoding="utf-8")
        batches.append((str(tmp_path / folder), names))
    return batches


def _expected(batches: list[stamps.Batch]) -> list[stamps.Stamp | None]:
    found: list[stamps.Stamp | None] = []
    for folder, names in batches:
        for name in names:
            try:
                status = os.stat(os.path.join(folder, name), follow_symlinks=False)
            except FileNotFoundError:
                found.append(None)
            else:
                found.append((status.st_size, status.st_mtime_ns, status.st_ino,
                              status.st_ctime_ns))
    return found


@forking
def test_two_processes_give_what_one_gives(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    batches = _tree(tmp_path)
    (tmp_path / "b" / "003.yaml").unlink()  # gone meanwhile: None, in its place
    expected = _expected(batches)
    assert expected[10] is None
    assert stamps.take(batches, jobs=1) == expected
    monkeypatch.setattr(stamps, "FORK_MIN", 1)
    # Earlier tests may leave threads in this process (svccat itself forks only when it runs
    # none); the child here only makes system calls.
    monkeypatch.setattr(stamps.threading, "active_count", lambda: 1)
    forks: list[int] = []
    fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: (forks.append(1), fork())[1])
    assert stamps.take(batches, jobs=2) == expected  # split inside folder b
    assert forks == [1]


@forking
def test_a_child_that_fails_costs_time_not_the_stamps(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    batches = _tree(tmp_path)
    monkeypatch.setattr(stamps, "FORK_MIN", 1)
    monkeypatch.setattr(stamps.threading, "active_count", lambda: 1)
    # The child dies before writing anything.
    monkeypatch.setattr(stamps, "_take", dies_in_workers(stamps._take))
    assert stamps.take(batches, jobs=2) == _expected(batches)


def test_scan_drops_a_file_gone_before_its_stamp(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    batches = _tree(tmp_path)
    real = stamps._take

    def removing(part: list[stamps.Batch]) -> list[stamps.Stamp | None]:
        (tmp_path / "c" / "000.yaml").unlink(missing_ok=True)  # between listing and stat
        return real(part)

    monkeypatch.setattr(stamps, "_take", removing)
    found = scan(tmp_path, stamps=True)
    assert [name for name, _ in found.folders["c"].files] == [f"{i:03}.yaml" for i in range(1, 7)]
    assert all(stamp is not None for folder in found.folders.values()
               for _, stamp in folder.files)
    assert len(batches) == 3


@forking
def test_lint_jobs_1_takes_the_stamps_in_one_process(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--jobs 1 is one process, for the stamps of a large catalogue too."""
    _tree(tmp_path)
    monkeypatch.setattr(stamps, "FORK_MIN", 1)
    monkeypatch.setattr(stamps.threading, "active_count", lambda: 1)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked with --jobs 1"))
    config = load_config(cwd=tmp_path, catalogue=tmp_path)
    lint(config, cache=tmp_path / FOLDER, jobs=1)
    assert (tmp_path / FOLDER).is_dir()
