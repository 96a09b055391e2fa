"""The lint cache: a run that reads it reports exactly what a run without it reports."""

from __future__ import annotations

import marshal
import shutil
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

from svccat.cache import FOLDER, LoadCache
from svccat.catalogue import load_catalogue
from tests.conftest import REPO, lint_json, run_svccat
from tests.test_cli import GOOD_ITEM, REGISTRIES

FLAWED = REPO / "examples" / "flawed"


def _store(project: Path) -> Path:
    found = list((project / FOLDER / "lint").glob("*.marshal"))
    assert len(found) == 1, found
    return found[0]


def _three_runs(project: Path, *args: str) -> dict[str, Any]:
    """Without the cache, filling it, reading it: the same report each time."""
    code, uncached = lint_json("--no-cache", *args, cwd=project)
    assert not (project / FOLDER).exists()
    assert lint_json(*args, cwd=project) == (code, uncached)
    store = _store(project)
    written = store.stat().st_mtime_ns
    assert lint_json(*args, cwd=project) == (code, uncached)
    assert store.stat().st_mtime_ns == written  # nothing changed, nothing rewritten
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
    # Deleted: gone from the report and, once the store is rewritten, from the store.
    size = _store(project).stat().st_size
    (items / "sub" / "370000-b.yaml").unlink()
    (items / "370000-c.yaml").unlink()
    code, report = lint_json(cwd=project)
    assert (code, report["problems"], report["summary"]["files"]) == (0, [], 4)
    assert _store(project).stat().st_size < size
    assert lint_json("--no-cache", cwd=project) == (code, report)


@pytest.mark.parametrize("damage", [b"", b"not a cache", "truncate", "flip"])
def test_a_damaged_cache_is_ignored_and_rebuilt(project: Path, damage: bytes | str) -> None:
    first = lint_json(cwd=project)
    store = _store(project)
    raw = store.read_bytes()
    if damage == "truncate":
        store.write_bytes(raw[: len(raw) // 2])
    elif damage == "flip":
        store.write_bytes(raw[:-10] + bytes([raw[-10] ^ 0xFF]) + raw[-9:])
    else:
        assert isinstance(damage, bytes)
        store.write_bytes(damage)
    done = run_svccat("lint", "--format", "json", cwd=project)
    assert done.stderr == ""  # no traceback, no warning
    assert lint_json(cwd=project) == first
    assert store.read_bytes() == raw  # rebuilt as it was


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
    make lint skip a problem, though its header and checksum are right."""
    code, report = lint_json(cwd=project)
    assert code == 1
    store = _store(project)
    raw = store.read_bytes()
    header = raw.index(b"\n") + 1 + 32
    entries = marshal.loads(raw[header + 4:])
    forged = {key: (*entry[:-1], []) for key, entry in entries.items()}  # no schema problems
    body = marshal.dumps(forged)
    store.write_bytes(raw[:header] + zlib.crc32(body).to_bytes(4, "big") + body)
    store.chmod(0o644)
    assert lint_json(cwd=project) == (code, report)
    assert store.stat().st_mode & 0o777 == 0o600  # rewritten, by svccat
