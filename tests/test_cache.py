"""The lint cache: a run that reads it reports exactly what a run without it reports."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from svccat import cache as cache_module
from svccat import parallel
from svccat.cache import FOLDER, LoadCache
from svccat.catalogue import load_catalogue
from svccat.config import load_config
from svccat.lint import lint
from tests.conftest import REPO, dies_in_workers, lint_json, run_svccat
from tests.test_cli import GOOD_ITEM, REGISTRIES

FLAWED = REPO / "examples" / "flawed"


def _store(project: Path) -> Path:
    found = list((project / FOLDER / "lint").glob("*.sqlite"))
    assert len(found) == 1, found
    return found[0]


def _rows(store: Path, table: str) -> int:
    with sqlite3.connect(store) as db:
        count: int = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return count


def _three_runs(project: Path, *args: str) -> dict[str, Any]:
    """Without the cache, filling it, reading it: the same report each time."""
    code, uncached = lint_json("--no-cache", *args, cwd=project)
    assert not (project / FOLDER).exists()
    assert lint_json(*args, cwd=project) == (code, uncached)
    assert _rows(_store(project), "runs") == 2  # the run's record and its files' state
    assert lint_json(*args, cwd=project) == (code, uncached)
    assert _rows(_store(project), "runs") == 2  # replayed, not recorded again
    return uncached


def test_sample_catalogue_same_with_and_without_cache(tmp_path: Path) -> None:
    shutil.copytree(REPO / "catalogue", tmp_path / "catalogue", ignore=shutil.ignore_patterns(FOLDER))
    (tmp_path / "svccat.toml").write_text('catalogue = "catalogue"\n', encoding="utf-8")
    report = _three_runs(tmp_path)
    assert report["summary"]["items"] >= 150


def test_flawed_catalogue_same_with_and_without_cache(tmp_path: Path) -> None:
    project = tmp_path / "flawed"
    shutil.copytree(FLAWED, project, symlinks=True, ignore=shutil.ignore_patterns(FOLDER))
    report = _three_runs(project)
    assert len({p["code"] for p in report["problems"]}) > 40


def test_cached_documents_and_problems_equal_uncached(tmp_path: Path) -> None:
    project = tmp_path / "flawed"
    shutil.copytree(FLAWED, project, symlinks=True, ignore=shutil.ignore_patterns(FOLDER))
    plain = load_catalogue(project, max_file_size=65536)
    for _ in range(2):  # filling the cache, then reading it
        cache = LoadCache.for_catalogue(tmp_path / FOLDER, project, max_file_size=65536)
        cached = load_catalogue(project, max_file_size=65536, cache=cache)
        assert cached.problems == plain.problems
        assert cached.documents == plain.documents
        assert cached.catalogue == plain.catalogue


@pytest.fixture
def project(write: Any) -> Path:
    bad = GOOD_ITEM.replace("tier: main", "tier: mian")
    return write({**REGISTRIES, "catalogue/items/370000-a.yaml": GOOD_ITEM,  # type: ignore[no-any-return]
                  "catalogue/items/370000-b.yaml": bad.replace("370000-a", "370000-b")})


def _where(report: dict[str, Any]) -> list[tuple[str, str, int]]:
    return [(p["file"], p["code"], p["line"]) for p in report["problems"]]


def test_changed_moved_deleted_and_new_files(project: Path) -> None:
    items = project / "catalogue" / "items"
    assert _where(lint_json(cwd=project)[1]) == [("catalogue/items/370000-b.yaml", "S004", 6)]
    # Changed: the problem moves with the content.
    (items / "370000-b.yaml").write_text(
        GOOD_ITEM.replace("370000-a", "370000-b").replace("status: draft", "status: drft"),
        encoding="utf-8")
    assert _where(lint_json(cwd=project)[1]) == [("catalogue/items/370000-b.yaml", "S004", 7)]
    # Moved: the new name is reported.
    (items / "sub").mkdir()
    (items / "370000-b.yaml").rename(items / "sub" / "370000-b.yaml")
    assert _where(lint_json(cwd=project)[1]) == [("catalogue/items/sub/370000-b.yaml", "S004", 7)]
    # New: a copy of a cached file under another name is a duplicate, at its own name.
    shutil.copy(items / "370000-a.yaml", items / "370000-c.yaml")
    code, report = lint_json(cwd=project)
    assert _where(report)[0][:2] == ("catalogue/items/370000-c.yaml", "X001")
    assert _where(report)[-1] == ("catalogue/items/sub/370000-b.yaml", "S004", 7)
    assert lint_json("--no-cache", cwd=project) == (code, report)
    # Deleted: gone from the report and from the store.
    entries = _rows(_store(project), "entries")
    (items / "sub" / "370000-b.yaml").unlink()
    (items / "370000-c.yaml").unlink()
    code, report = lint_json(cwd=project)
    assert (code, report["problems"], report["summary"]["files"]) == (0, [], 4)
    assert _rows(_store(project), "entries") == entries - 1  # the copy had the same content
    assert lint_json("--no-cache", cwd=project) == (code, report)


@pytest.mark.parametrize("damage", [b"", b"not a cache", "truncate", "flip"])
def test_a_damaged_cache_is_ignored_and_rebuilt(project: Path, damage: bytes | str) -> None:
    first = lint_json(cwd=project)
    store = _store(project)
    raw = store.read_bytes()
    if damage == "truncate":
        store.write_bytes(raw[: len(raw) // 2])
    elif damage == "flip":  # in the middle of the file: a page of entries or records
        middle = len(raw) // 2
        store.write_bytes(raw[:middle] + bytes(b ^ 0xFF for b in raw[middle:middle + 64])
                          + raw[middle + 64:])
    else:
        assert isinstance(damage, bytes)
        store.write_bytes(damage)
    for _ in range(2):  # rebuilding, then reading what was rebuilt
        done = run_svccat("lint", "--format", "json", cwd=project)
        assert done.stderr == ""  # no traceback, no warning
        assert lint_json(cwd=project) == first


def test_a_store_of_the_old_layout_is_replaced(project: Path) -> None:
    """Stores written before entries moved to a rowid table (layout 3) are started afresh,
    not reused with their slow table or without the state's."""
    first = lint_json(cwd=project)
    store = _store(project)
    store.unlink()
    with sqlite3.connect(store) as db:
        db.execute("CREATE TABLE meta (salt BLOB NOT NULL)")
        db.execute("CREATE TABLE entries (key BLOB PRIMARY KEY, value BLOB NOT NULL) "
                   "WITHOUT ROWID")
    store.chmod(0o600)
    assert lint_json(cwd=project) == first
    with sqlite3.connect(store) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 4
        (table,) = db.execute("SELECT sql FROM sqlite_schema WHERE name = 'entries'").fetchone()
    assert "WITHOUT ROWID" not in table
    assert _rows(store, "entries") == 5


@pytest.mark.parametrize("compress", [True, False])
def test_a_damaged_record_is_not_replayed(tmp_path: Path, compress: bool) -> None:
    """A record whose bytes changed (a system crash: the store does not wait for the disk)
    is a miss, even when the damaged bytes still unmarshal."""
    store = LoadCache(tmp_path / "store.sqlite", max_file_size=1 << 20)
    store.add_record(b"key", {"file.yaml": "stamp-aaaa"}, compress=compress)
    assert store.record(b"key") == {"file.yaml": "stamp-aaaa"}
    store.close()
    with sqlite3.connect(tmp_path / "store.sqlite") as db:
        (blob,) = db.execute("SELECT value FROM runs").fetchone()
        if compress:
            blob = blob[:-1] + bytes([blob[-1] ^ 0x01])
        else:
            assert b"stamp-aaaa" in blob
            blob = blob.replace(b"stamp-aaaa", b"stamp-aaab")
        db.execute("UPDATE runs SET value = ?", (blob,))
    assert store.record(b"key") is None


def test_no_cache_neither_reads_nor_writes(project: Path) -> None:
    code, report = lint_json("--no-cache", cwd=project)
    assert not (project / FOLDER).exists()
    lint_json(cwd=project)
    store = _store(project)
    store.write_bytes(b"garbage")
    assert lint_json("--no-cache", cwd=project) == (code, report)
    assert store.read_bytes() == b"garbage"


def test_an_unwritable_cache_folder_is_no_error(project: Path) -> None:
    (project / FOLDER).write_text("a file where the folder would be", encoding="utf-8")
    code, report = lint_json(cwd=project)
    assert lint_json("--no-cache", cwd=project) == (code, report)


@pytest.mark.skipif(sys.platform == "win32", reason="no mode bits")
def test_a_store_that_is_not_private_is_ignored(project: Path) -> None:
    """Protects: a store committed in a pull request (git checks files out as 0644) cannot
    make lint skip a problem, though it is a well-formed store of this version."""
    code, report = lint_json(cwd=project)
    assert code == 1
    store = _store(project)
    with sqlite3.connect(store) as db:
        db.execute("DELETE FROM runs")
        forged = []
        for key, value in db.execute("SELECT key, value FROM entries").fetchall():
            result, _ = cache_module.decode(value, "x.yaml")
            forged.append((cache_module.encode(result, [], "x.yaml"), key))  # no schema problems
        db.executemany("UPDATE entries SET value = ? WHERE key = ?", forged)
    store.chmod(0o644)
    assert lint_json(cwd=project) == (code, report)
    assert store.stat().st_mode & 0o777 == 0o600  # made afresh, by svccat
    store.chmod(0o600)  # now the forgery would count (the store is trusted): proves the test
    with sqlite3.connect(store) as db:
        db.execute("DELETE FROM runs")
        db.executemany("UPDATE entries SET value = ? WHERE key = ?", forged)
    assert lint_json(cwd=project)[0] == 0


def _lint(project: Path, *paths: Path) -> Any:
    config = load_config(cwd=project, catalogue=project / "catalogue")
    return lint(config, paths, cache=project / FOLDER)


def test_an_unchanged_catalogue_is_replayed_without_loading(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    first = _lint(project)

    def no_parsing(*args: Any) -> Any:
        raise AssertionError("parsed a file of an unchanged catalogue")

    monkeypatch.setattr(parallel, "_work", no_parsing)
    assert _lint(project) == first
    chosen = project / "catalogue" / "items" / "370000-a.yaml"
    narrowed = _lint(project, chosen)  # the files asked about narrow the replayed result
    assert (narrowed.problems, narrowed.files, narrowed.items) == ((), 1, 1)
    # A changed file is parsed again; its neighbours are not.
    parsed: list[str] = []
    monkeypatch.setattr(parallel, "_work", lambda batch, *rest: (
        parsed.extend(s.file for s in batch), work(batch, *rest))[1])
    chosen.write_text(GOOD_ITEM.replace("status: draft", "status: drft"), encoding="utf-8")
    assert [p.code for p in _lint(project).problems] == ["S004", "S004"]
    assert parsed == ["catalogue/items/370000-a.yaml"]


work = parallel._work


def test_a_run_record_is_only_replayed_for_the_same_settings(project: Path) -> None:
    assert [p["code"] for p in lint_json(cwd=project)[1]["problems"]] == ["S004"]
    settings = project / "svccat.toml"
    original = settings.read_text(encoding="utf-8")
    settings.write_text(original + '[lint.severity]\nS004 = "warning"\n', encoding="utf-8")
    code, report = lint_json(cwd=project)
    assert (code, report) == lint_json("--no-cache", cwd=project)
    assert (code, report["problems"][0]["severity"]) == (0, "warning")
    settings.write_text(original, encoding="utf-8")
    assert [p["code"] for p in lint_json(cwd=project)[1]["problems"]] == ["S004"]
    # Paths are shown relative to the working directory: another one, another record.
    code, report = lint_json("--catalogue", "..", cwd=project / "catalogue" / "items")
    assert report["problems"][0]["file"] == "370000-b.yaml"


def test_parallel_loading_gives_what_one_process_gives(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "flawed"
    shutil.copytree(FLAWED, project, symlinks=True, ignore=shutil.ignore_patterns(FOLDER))
    monkeypatch.setattr(parallel, "BATCH", 3)
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)  # workers even for a small catalogue
    alone = load_catalogue(project, max_file_size=65536, jobs=1)
    shared = load_catalogue(project, max_file_size=65536, jobs=2)
    assert shared.problems == alone.problems
    assert shared.documents == alone.documents
    assert shared.catalogue == alone.catalogue
    cache = LoadCache.for_catalogue(tmp_path / FOLDER, project, max_file_size=65536)
    for _ in range(2):  # filling the cache with entries from workers, then reading it
        cached = load_catalogue(project, max_file_size=65536, jobs=2, cache=cache)
        assert (cached.problems, cached.documents) == (alone.problems, alone.documents)


def test_lint_documents_keep_positions_not_data(tmp_path: Path) -> None:
    project = tmp_path / "flawed"
    shutil.copytree(FLAWED, project, symlinks=True, ignore=shutil.ignore_patterns(FOLDER))
    full = load_catalogue(project, max_file_size=65536)
    lean = load_catalogue(project, max_file_size=65536, keep_data=False)
    assert lean.catalogue == full.catalogue and lean.problems == full.problems
    for file, document in lean.documents.items():
        assert document.data == {}
        assert dict(document.values) == dict(full.documents[file].values)
        assert document.suppressions == full.documents[file].suppressions


def test_a_worker_that_dies_costs_time_not_the_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects: with multiprocessing.Pool a worker killed (say, for memory) left lint
    waiting forever; now the main process loads what the workers did not."""
    project = tmp_path / "flawed"
    shutil.copytree(FLAWED, project, symlinks=True, ignore=shutil.ignore_patterns(FOLDER))
    alone = load_catalogue(project, max_file_size=65536, jobs=1)
    monkeypatch.setattr(parallel, "BATCH", 3)
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    monkeypatch.setattr(parallel, "_work", dies_in_workers(parallel._work))
    shared = load_catalogue(project, max_file_size=65536, jobs=2)
    assert (shared.problems, shared.documents) == (alone.problems, alone.documents)


def test_a_worker_dead_before_all_work_is_handed_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects: a worker that died while batches were still being handed out made the
    executor refuse the next one, and the run stopped with a traceback."""
    project = tmp_path / "flawed"
    shutil.copytree(FLAWED, project, symlinks=True, ignore=shutil.ignore_patterns(FOLDER))
    alone = load_catalogue(project, max_file_size=65536, jobs=1)
    monkeypatch.setattr(parallel, "BATCH", 3)
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    real_pool = parallel._pool

    def pool(jobs: int) -> Any:
        executor = real_pool(jobs)
        submit, handed = executor.submit, []

        def refusing(*args: Any) -> Any:
            if len(handed) == 2:
                raise BrokenProcessPool("a worker died")
            handed.append(1)
            return submit(*args)

        executor.submit = refusing  # type: ignore[method-assign]
        return executor

    monkeypatch.setattr(parallel, "_pool", pool)
    shared = load_catalogue(project, max_file_size=65536, jobs=2)
    assert (shared.problems, shared.documents) == (alone.problems, alone.documents)


def test_a_store_locked_by_another_run_is_left_alone(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects: a lock held by a second svccat (an editor's lint beside a pre-commit one)
    made the first delete the shared store; now it lints without the cache."""
    monkeypatch.chdir(project)
    first = _lint(project)
    store = _store(project)
    before = _rows(store, "entries")
    monkeypatch.setattr(LoadCache, "busy_timeout", 0.1)
    holder = sqlite3.connect(store, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        (project / "catalogue" / "items" / "370000-a.yaml").write_text(
            GOOD_ITEM.replace("status: draft", "status: drft"), encoding="utf-8")
        assert [p.code for p in _lint(project).problems] == ["S004", "S004"]
    finally:
        holder.close()
    assert store.exists() and _rows(store, "entries") == before
    assert first.problems != ()
