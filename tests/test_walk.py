"""Walking a catalogue: the same folders, files and stamps from two processes as from one,
whatever happens."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from svccat import walk
from svccat.cache import FOLDER
from svccat.catalogue import scan
from svccat.config import load_config
from svccat.lint import lint
from tests.conftest import dies_in_workers

forking = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")
# (folder, files) of the tree; subfolders "a-x" and "a/b" check the order of the walk.
TREE = {"": 2, "a": 3, "a/b": 4, "a/b/c": 1, "a/c": 2, "a-x": 5, "b": 6, "c": 0, "d": 3,
        "e/f": 2}


def _tree(root: Path) -> Path:
    for folder, count in TREE.items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        for index in range(count):
            (root / folder / f"{index:03}.yaml").write_text(f"{folder}/{index}", encoding="utf-8")
        (root / folder / "notes.txt").write_text("not YAML", encoding="utf-8")
    return root.resolve()


def _expected(root: Path) -> list[walk.Listed]:
    """What a walk should find, made the slow and obvious way."""
    found: list[walk.Listed] = []
    for folder in sorted({*TREE, "e"}, key=lambda key: tuple(key.split("/")) if key else ()):
        parts = tuple(folder.split("/")) if folder else ()
        files: walk.Files = []
        for name in sorted(os.listdir(root / folder)):
            if name.endswith(".yaml"):
                status = os.stat(root / folder / name)
                files.append((name, (status.st_size, status.st_mtime_ns, status.st_ino,
                                     status.st_ctime_ns)))
        found.append((parts, files, [], walk.signature(files, [])))
    return found


@pytest.fixture
def may_fork(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Let walk fork whatever the test process runs, and count its forks."""
    # Earlier tests may leave threads in this process (svccat itself forks only when it
    # runs none); the child here only makes system calls.
    monkeypatch.setattr(walk.threading, "active_count", lambda: 1)
    forks: list[int] = []
    fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: (forks.append(1), fork())[1])
    return forks


@forking
def test_two_processes_find_what_one_finds(tmp_path: Path, may_fork: list[int]) -> None:
    root = _tree(tmp_path)
    expected = _expected(root)
    assert walk.walk(root, stamps=True, jobs=1) == expected
    assert may_fork == []
    assert walk.walk(root, stamps=True, jobs=2) == expected
    assert may_fork == [1]


@forking
def test_a_child_that_fails_costs_time_not_the_walk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, may_fork: list[int]) -> None:
    root = _tree(tmp_path)
    # The child dies before writing anything.
    monkeypatch.setattr(walk, "_walk_all", dies_in_workers(walk._walk_all))
    assert walk.walk(root, stamps=True, jobs=2) == _expected(root)
    assert may_fork == [1]


@forking
def test_few_subtrees_are_not_shared(tmp_path: Path, may_fork: list[int]) -> None:
    (tmp_path / "only").mkdir()
    (tmp_path / "only" / "x.yaml").write_text("x", encoding="utf-8")
    assert [parts for parts, *_ in walk.walk(tmp_path, stamps=True, jobs=2)] == [(), ("only",)]
    assert may_fork == []


def test_without_stamps_no_signature_and_no_fork(tmp_path: Path, may_fork: list[int]) -> None:
    root = _tree(tmp_path)
    found = walk.walk(root, stamps=False, jobs=2)
    assert [(parts, [name for name, _ in files]) for parts, files, _, _ in found] \
        == [(parts, [name for name, _ in files]) for parts, files, _, _ in _expected(root)]
    assert all(stamp is None for _, files, _, _ in found for _, stamp in files)
    assert all(digest is None for *_, digest in found)
    assert may_fork == []


def test_scan_drops_a_file_gone_before_its_stamp(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = _tree(tmp_path)
    real = walk._stamped

    def removing(folder: str, names: list[str]) -> walk.Files:
        (root / "b" / "000.yaml").unlink(missing_ok=True)  # between listing and stat
        return real(folder, names)

    monkeypatch.setattr(walk, "_stamped", removing)
    found = scan(root, stamps=True, jobs=1)
    assert [name for name, _ in found.folders["b"].files] == [f"{i:03}.yaml" for i in range(1, 6)]
    assert all(stamp is not None for folder in found.folders.values()
               for _, stamp in folder.files)
    # The signature made during the walk is the one made from what the scan kept.
    assert all(folder.signature() == walk.signature(folder.files, folder.outside)
               for folder in found.folders.values())


@forking
def test_lint_jobs_1_walks_in_one_process(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """--jobs 1 is one process, for the walk of a large catalogue too."""
    _tree(tmp_path)
    monkeypatch.setattr(walk.threading, "active_count", lambda: 1)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked with --jobs 1"))
    config = load_config(cwd=tmp_path, catalogue=tmp_path)
    lint(config, cache=tmp_path / FOLDER, jobs=1)
    assert (tmp_path / FOLDER).is_dir()
