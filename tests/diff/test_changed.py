"""Reading only what differs between two revisions, or a revision and the working tree,
gives the same diff, in every format and language, as reading everything: the cases of
tests/cases/diff/revisions.yaml (edits, additions, deletions, moved files, registries,
parents and children, changed ids) and, between revisions, those of kinds.yaml; and the
files that did not change are not read."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
import yaml

from svccat.config import Config
from svccat.diff import sources
from svccat.diff.changed import ChangedSides, load_changed, load_changed_worktree
from svccat.diff.compare import CatalogueDiff, DiffSettings, diff_catalogues
from svccat.diff.report import DIFF_REPORTERS
from svccat.diff.run import Request, compare
from svccat.diff.sources import load_folder, load_revision
from svccat.loader import DEFAULT_MAX_FILE_SIZE
from tests.diff.helpers import (
    DIFF_CASES,
    KIND_SPEC,
    RULE_REGISTRIES,
    commit_all,
    git,
    init_repo,
    item,
    write_catalogue,
)

SPEC: dict[str, Any] = yaml.safe_load((DIFF_CASES / "revisions.yaml").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = SPEC["cases"]
KIND_CASES: list[dict[str, Any]] = KIND_SPEC["cases"]
SETTINGS = DiffSettings()


def _dump(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def _write_case(root: Path, case: dict[str, Any], side: str) -> None:
    """One side of a revisions.yaml case: the test registries (with the new side's
    department systems) and the case's files."""
    write_catalogue(root, [])
    if side == "new" and case.get("departments"):
        path = root / "registries" / "departments.yaml"
        registry = yaml.safe_load(path.read_text(encoding="utf-8"))
        for entry in registry["departments"]:
            entry["system"] = case["departments"].get(entry["id"], entry["system"])
        path.write_text(_dump(registry), encoding="utf-8")
    for name, spec in {**case.get("both", {}), **case.get(side, {})}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(_dump(item(spec)), encoding="utf-8")


def _write_kind_case(root: Path, case: dict[str, Any], side: str) -> None:
    """One side of a kinds.yaml case, as tests/diff/test_kinds.py builds it."""
    spec = case.get(side, {})
    items = [item(spec)] if spec is not None else []
    items += [item(s) for s in [*case.get("also", []), *case.get(f"also_{side}", [])]]
    write_catalogue(root, items)


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """One repository, two commits: every case's old side in its own catalogue folder, then
    every case's new side."""
    repo = init_repo(tmp_path_factory.mktemp("revisions") / "repo")
    commits = []
    for side in ("old", "new"):
        for index, case in enumerate(CASES):
            _write_case(repo / f"case{index:02d}", case, side)
        for index, case in enumerate(KIND_CASES):
            _write_kind_case(repo / f"kind{index:02d}", case, side)
        commits.append(commit_all(repo, side))
    return repo, commits[0], commits[1]


@pytest.fixture(scope="module")
def worktree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One commit of every case's old side, and every case's new side in the working tree,
    not committed (new files untracked, changed ones modified, removed ones deleted)."""
    repo = init_repo(tmp_path_factory.mktemp("worktree") / "repo")
    for index, case in enumerate(CASES):
        _write_case(repo / f"case{index:02d}", case, "old")
    commit = commit_all(repo, "old")
    for index, case in enumerate(CASES):
        _write_case(repo / f"case{index:02d}", case, "new")
    # Files written again with the same content look changed to git until the index's
    # file times are refreshed, as they are after a checkout: they would merely be read.
    git(repo, "status", "--porcelain")
    return repo, commit


def _fast(root: Path, old: str, new: str) -> ChangedSides | None:
    return load_changed(root, old, new, max_file_size=DEFAULT_MAX_FILE_SIZE,
                        threshold=SETTINGS.threshold)


def _full(root: Path, old: str, new: str) -> CatalogueDiff:
    return diff_catalogues(load_revision(root, old).catalogue, load_revision(root, new).catalogue,
                           old_label="v1", new_label="v2", settings=SETTINGS)


def _assert_same_as_worktree(root: Path, old: str, *, fast_expected: bool) -> CatalogueDiff:
    full = diff_catalogues(load_revision(root, old).catalogue, load_folder(root).catalogue,
                           old_label="v1", new_label="v2", settings=SETTINGS)
    changed = load_changed_worktree(root, old, max_file_size=DEFAULT_MAX_FILE_SIZE,
                                    threshold=SETTINGS.threshold)
    assert (changed is not None) == fast_expected
    if changed is not None:
        fast = diff_catalogues(changed.old, changed.new, old_label="v1", new_label="v2",
                               settings=SETTINGS)
        assert _rendered(fast) == _rendered(full)
    return full


def _rendered(diff: CatalogueDiff) -> dict[str, str]:
    return {f"{name}/{lang}": reporter(lang=lang).render(diff)
            for name, reporter in DIFF_REPORTERS.items() for lang in ("zh", "en")}


def _assert_same(root: Path, old: str, new: str, *, fast_expected: bool) -> CatalogueDiff:
    full = _full(root, old, new)
    changed = _fast(root, old, new)
    assert (changed is not None) == fast_expected
    if changed is not None:
        fast = diff_catalogues(changed.old, changed.new, old_label="v1", new_label="v2",
                               settings=SETTINGS)
        assert _rendered(fast) == _rendered(full)
    return full


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c["name"] for c in CASES])
def test_revision_case(repository: tuple[Path, str, str], index: int) -> None:
    repo, old, new = repository
    case = CASES[index]
    full = _assert_same(repo / f"case{index:02d}", old, new,
                        fast_expected=case.get("reads", "fast") == "fast")
    assert sorted((c.kind, c.subject) for c in full.changes) == sorted(
        (kind, subject) for kind, subject in case["expect"]), case["name"]


@pytest.mark.parametrize("index", range(len(KIND_CASES)), ids=[c["name"] for c in KIND_CASES])
def test_kind_case_read_from_revisions(repository: tuple[Path, str, str], index: int) -> None:
    repo, old, new = repository
    full = _assert_same(repo / f"kind{index:02d}", old, new, fast_expected=True)
    assert len(full.changes) == len(KIND_CASES[index]["expect"])


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c["name"] for c in CASES])
def test_revision_case_against_the_working_tree(worktree: tuple[Path, str], index: int) -> None:
    repo, old = worktree
    case = CASES[index]
    full = _assert_same_as_worktree(repo / f"case{index:02d}", old,
                                    fast_expected=case.get("reads", "fast") == "fast")
    assert sorted((c.kind, c.subject) for c in full.changes) == sorted(
        (kind, subject) for kind, subject in case["expect"]), case["name"]


@pytest.mark.parametrize("setup", ["tracked link", "untracked link", "skip-worktree", "filter"])
def test_the_working_tree_is_read_whole_when_git_does_not_show_it_all(
        tmp_path: Path, setup: str) -> None:
    """The folder reading follows links that git's comparison does not, and reads files git
    was told to skip; and git's comparison may run a filter, which svccat never does: the
    full reading then, with its result."""
    repo = init_repo(tmp_path / "repo")
    root = repo / "catalogue"
    write_catalogue(root, [item({})])
    link = root / "items" / "link.yaml"
    target = root / "elsewhere" / "370784-ga-csdj.yaml"
    target.parent.mkdir()
    target.write_text(_dump(item({"id": "370784-ga-csdj", "name": "出生登记"})), encoding="utf-8")
    if setup == "tracked link":
        link.symlink_to(target)
    commit = commit_all(repo, "base")
    if setup == "untracked link":
        link.symlink_to(target)
    if setup == "skip-worktree":
        git(repo, "update-index", "--skip-worktree", "catalogue/elsewhere/370784-ga-csdj.yaml")
        target.write_text(_dump(item({"id": "370784-ga-csdj", "name": "出生登记申报"})),
                          encoding="utf-8")
    if setup == "filter":
        git(repo, "config", "filter.upper.clean", "tr a-z A-Z")
    full = _assert_same_as_worktree(root, commit, fast_expected=False)
    expected = {"tracked link": [], "untracked link": [], "filter": [],
                "skip-worktree": [("name-changed", "370784-ga-csdj")]}[setup]
    assert [(c.kind, c.subject) for c in full.changes] == expected


def test_the_command_chooses_the_reading_and_prints_the_same(
        repository: tuple[Path, str, str]) -> None:
    repo, old, new = repository
    for index, case in enumerate(CASES):
        config = Config(catalogue=repo / f"case{index:02d}")
        found = compare(config, Request((f"{old}..{new}",)))
        assert isinstance(found, CatalogueDiff)
        full = _full(config.catalogue, old, new)
        full = CatalogueDiff(old, new, full.pairs, full.changes)
        assert _rendered(found) == _rendered(full), case["name"]


def test_unchanged_files_are_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten items, one edited: git is asked for the registries and the edited file's two
    versions, never for the nine unchanged files."""
    repo = init_repo(tmp_path / "repo")
    root = repo / "catalogue"
    items = [item({"id": f"370784-ga-x{n}", "name": f"事项{n}"}) for n in range(10)]
    write_catalogue(root, items)
    first = commit_all(repo, "base")
    items[3] = item({"id": "370784-ga-x3", "name": "事项3",
                     "committed_limit": {"days": 30, "unit": "工作日"}})
    write_catalogue(root, items)
    second = commit_all(repo, "edit")
    requested: list[str] = []
    real = sources._read_blobs

    @functools.wraps(real)
    def counting(repo: Path, shas: list[str]) -> dict[str, bytes]:
        requested.extend(shas)
        return real(repo, shas)

    monkeypatch.setattr(sources, "_read_blobs", counting)
    found = compare(Config(catalogue=root), Request((f"{first}..{second}",)))
    assert isinstance(found, CatalogueDiff)
    assert [(c.kind, c.subject) for c in found.changes] == [("limit-longer", "370784-ga-x3")]

    def blobs(commit: str, under: str) -> set[str]:
        listing = git(repo, "ls-tree", "-r", commit, "--", f"catalogue/{under}")
        return {line.split()[2] for line in listing.splitlines()}

    edited = {git(repo, "rev-parse", f"{c}:catalogue/items/370784-ga-x3.yaml")
              for c in (first, second)}
    registries = blobs(first, "registries")
    assert len(edited) == 2 and registries
    assert sorted(requested) == sorted(edited | registries)
    assert not set(requested) & (blobs(first, "items") - edited)


def test_the_full_reading_is_kept_for_what_the_fast_one_cannot_see(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """More unchanged files to read than the limit: the full reading, with the same result."""
    repo = init_repo(tmp_path / "repo")
    root = repo / "catalogue"
    parent = SPEC["parent"]
    children = [item({**SPEC["child"], "id": f"370784-ga-c{n}", "situation": f"情形{n}"})
                for n in range(3)]  # not named after the parent: found by searching
    write_catalogue(root, [item(parent), *children])
    first = commit_all(repo, "base")
    write_catalogue(root, [item(parent), *children, item(SPEC["sibling"])])
    second = commit_all(repo, "sibling")
    assert _fast(root, first, second) is not None
    monkeypatch.setattr("svccat.diff.changed.MOST_UNCHANGED_READ", 2)
    _assert_same(root, first, second, fast_expected=False)
    found = compare(Config(catalogue=root), Request((f"{first}..{second}",)))
    assert isinstance(found, CatalogueDiff)
    assert [(c.kind, c.subject) for c in found.changes] == [("item-added", "370784-ga-sfz-gs")]


def test_registries_are_the_shared_test_registries() -> None:
    """The cases rely on 370784-gaj being in the test registries."""
    text = (RULE_REGISTRIES / "departments.yaml").read_text(encoding="utf-8")
    assert "370784-gaj" in text
