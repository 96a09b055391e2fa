"""`svccat lint FILE` from a file's neighbourhood reports what a full run reports for it."""

from __future__ import annotations

import os
import random
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from svccat import incremental, parallel
from svccat import lint as lint_module
from svccat.cache import FOLDER
from svccat.catalogue import discover, load_files
from svccat.config import load_config
from svccat.lint import lint
from tests.conftest import REPO

SAMPLE = REPO / "catalogue"
FLAWED = REPO / "examples" / "flawed"
OLD = 1_600_000_000  # a time long before any test runs: stamps are trusted


def _project(tmp_path: Path, source: Path) -> Path:
    project = tmp_path / "project"
    if (source / "svccat.toml").exists():  # the flawed example carries its own settings
        shutil.copytree(source, project, symlinks=True, ignore=shutil.ignore_patterns(FOLDER))
    else:
        shutil.copytree(source, project / "catalogue", ignore=shutil.ignore_patterns(FOLDER))
        (project / "svccat.toml").write_text('catalogue = "catalogue"\n', encoding="utf-8")
    for path in project.rglob("*.yaml"):
        if not path.is_symlink():
            os.utime(path, (OLD, OLD))
    return project


def _run(project: Path, *paths: Path, cache: bool = True) -> Any:
    config = load_config(cwd=project)
    return lint(config, paths, cache=project / FOLDER if cache else None)


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert changed != text, (path, pattern)
    path.write_text(changed, encoding="utf-8")


def _items(project: Path) -> list[Path]:
    return sorted(p for p in project.rglob("items/**/*.yaml") if not p.is_symlink())


def _text(path: Path) -> str:
    return path.read_bytes().decode("utf-8", "replace")


def _edits(project: Path) -> list[Path]:
    """Changes that move items about: a new parent, a new baseline, a new name, a copied id,
    a deleted file, a new file."""
    items = [p for p in _items(project) if "\ufffd" not in _text(p)]
    with_parent = [p for p in items if re.search(r"^parent: ", _text(p), re.M)]
    implementing = [p for p in items if re.search(r"^implements: ", _text(p), re.M)]
    touched = [with_parent[0], with_parent[-1], implementing[0], implementing[-1], items[3]]
    _edit(with_parent[0], r"^parent: .*$", "parent: " + re.search(
        r"^parent: (.*)$", _text(with_parent[-1]), re.M)[1])  # type: ignore[index]
    _edit(implementing[0], r"^name: .*$", "name: 另一个名称")
    _edit(implementing[-1], r"^implements: .*$", "implements: " + re.search(
        r"^implements: (.*)$", _text(implementing[0]), re.M)[1])  # type: ignore[index]
    copy = items[3].with_name("zz-copy.yaml")
    shutil.copy(items[3], copy)  # the same id twice
    touched.append(copy)
    items[5].unlink()
    moved = items[0].parent / "zz-new-folder" / items[0].name  # a folder the state lacks
    moved.parent.mkdir()
    items[0].rename(moved)
    touched.append(moved)
    folders = {p.parent for p in items} - {p.parent for p in touched} - {project}
    if folders:  # a folder the state has, gone
        shutil.rmtree(min(folders, key=lambda f: (len(list(f.iterdir())), f)))
    return [p for p in touched if p.exists()]


@pytest.mark.parametrize("source", [SAMPLE, FLAWED], ids=["sample", "flawed"])
def test_lint_file_matches_a_full_run(tmp_path: Path, source: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path, source)
    monkeypatch.chdir(project)
    _run(project)  # a full run leaves the state
    touched = _edits(project)
    config = load_config(cwd=project)
    files, found = discover(config.catalogue)
    full = lint_module._lint_loaded(load_files(files, found, keep_data=False), config, None)
    used: list[int] = []
    neighbourhood = incremental.neighbourhood
    monkeypatch.setattr(incremental, "neighbourhood",
                        lambda *a: (used.append(1), neighbourhood(*a))[1])
    others = _items(project)
    chosen = [*touched, *random.Random(7).sample(others, min(25, len(others)))]
    for path in chosen:
        shown = os.path.relpath(path)
        assert _run(project, path) == full.result({shown}), shown
    assert len(used) == len(chosen)  # every run took the neighbourhood path


def test_only_the_neighbourhood_is_parsed(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path, SAMPLE)
    monkeypatch.chdir(project)
    _run(project)
    target = _items(project)[10]
    _edit(target, r"^name: (.*)$", r"name: \1（新）")
    parsed: list[str] = []
    work = parallel._work
    monkeypatch.setattr(parallel, "_work", lambda batch, *rest: (
        parsed.extend(s.file for s in batch), work(batch, *rest))[1])
    read: list[str] = []
    read_file = parallel.read_file
    monkeypatch.setattr(parallel, "read_file", lambda path, file, **kw: (
        read.append(file), read_file(path, file, **kw))[1])
    _run(project, target)
    shown = os.path.relpath(target)
    # Read to hash it, then to parse it; the others are known by stamp, from the cache.
    assert parsed == [shown] and read == [shown, shown]


def test_changed_registry_or_baseline_means_a_full_run(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    project = _project(tmp_path, SAMPLE)
    monkeypatch.chdir(project)
    _run(project)
    some = monkeypatch.setattr
    calls: list[int] = []
    real = lint_module._lint_some
    some(lint_module, "_lint_some", lambda *a: (calls.append(1), real(*a))[1])
    regions = project / "catalogue" / "registries" / "regions.yaml"
    regions.write_text(regions.read_text("utf-8") + "\n", encoding="utf-8")
    target = _items(project)[0]
    assert list(_run(project, target).problems) == [
        p for p in _run(project, cache=False).problems if p.file == os.path.relpath(target)]
    assert calls == []


def test_an_unchanged_folder_is_not_compared_file_by_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Folders compare by signature: with nothing changed no file's row is asked for, and
    lint FILE on an unchanged file replays the full run."""
    project = _project(tmp_path, SAMPLE)
    monkeypatch.chdir(project)
    full = _run(project)
    asked: list[tuple[str, str]] = []
    real = lint_module.LoadCache.state_rows
    monkeypatch.setattr(lint_module.LoadCache, "state_rows", lambda self, family, where, value: (
        asked.append((where, value)), real(self, family, where, value))[1])
    target = _items(project)[4]
    assert _run(project) == full
    assert _run(project, target) == full.__class__(
        tuple(p for p in full.problems if p.file == os.path.relpath(target)), 1, 1)
    assert [where for where, _ in asked if where == "folder"] == []


def test_a_file_changed_back_is_restamped_not_reloaded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Touched, or edited and changed back: the state's run is replayed (the file is read to
    compare its content, nothing is parsed) and the state takes its new stamp, so the run
    after that compares no file at all."""
    project = _project(tmp_path, SAMPLE)
    monkeypatch.chdir(project)
    full = _run(project)
    target = _items(project)[7]
    original = target.read_bytes()
    _edit(target, r"^name: (.*)$", r"name: \1（改）")
    _run(project, target)  # linted as changed: from its neighbourhood
    target.write_bytes(original)
    (_items(project)[8]).touch()
    for path in (target, _items(project)[8]):  # stamps old enough to be trusted
        os.utime(path, (OLD, OLD))
    monkeypatch.setattr(parallel, "_work", lambda *a: pytest.fail("parsed a file"))
    assert _run(project) == full
    asked: list[str] = []
    real = lint_module.LoadCache.state_rows
    monkeypatch.setattr(lint_module.LoadCache, "state_rows", lambda self, family, where, value: (
        asked.append(where), real(self, family, where, value))[1])
    assert _run(project) == full
    assert asked == []


def test_a_store_failing_mid_run_means_a_full_run(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects: a query that failed answered no neighbours, and lint FILE reported a copied
    id as if the original were not there."""
    project = _project(tmp_path, SAMPLE)
    monkeypatch.chdir(project)
    _run(project)
    original = _items(project)[3]
    copy = original.with_name("zz-copy.yaml")
    shutil.copy(original, copy)
    expected = _run(project, copy, cache=False)
    assert "X001" in {p.code for p in expected.problems}
    real = lint_module.LoadCache.state_rows

    def failing(self: Any, family: bytes, where: str, value: str) -> Any:
        if where == "id":
            self._failed(sqlite3.OperationalError("disk I/O error"))
            return []
        return real(self, family, where, value)

    monkeypatch.setattr(lint_module.LoadCache, "state_rows", failing)
    assert _run(project, copy) == expected
