"""Both sides read from real git repositories built in a temporary folder: REV1..REV2,
--base against a working tree with uncommitted edits (left exactly as it was), shallow
clones, a repository without commits, and revisions that try to be git options."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from svccat.config import Config, ConfigError
from svccat.diff.compare import CatalogueDiff
from svccat.diff.run import Request, compare
from svccat.diff.sources import _read_blobs, check_revision, load_revision, resolve_revision
from tests.diff.helpers import BASE_ID, commit_all, git, git_env, init_repo, item, write_catalogue

LIMIT_30 = {"committed_limit": {"days": 30, "unit": "工作日"}}


def _kinds(diff: Any) -> list[tuple[str, str]]:
    assert isinstance(diff, CatalogueDiff)
    return sorted((c.kind, c.subject) for c in diff.changes)


def _config(repo: Path, inside: str = "catalogue") -> Config:
    return Config(catalogue=repo / inside if inside else repo)


@pytest.fixture(scope="module")
def _pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A repository with three commits of catalogue/: the base item; its limit raised to 30
    working days; a second item added (plus a file outside the catalogue)."""
    return _build_history(tmp_path_factory.mktemp("history") / "repo")


@pytest.fixture
def history(_pristine: tuple[Path, list[str]], tmp_path: Path) -> tuple[Path, list[str]]:
    """A fresh copy of the repository for each test, which may change it."""
    repo = tmp_path / "repo"
    shutil.copytree(_pristine[0], repo, symlinks=True)
    return repo, _pristine[1]


def _build_history(repo: Path) -> tuple[Path, list[str]]:
    init_repo(repo)
    write_catalogue(repo / "catalogue", [item({})])
    (repo / "README.md").write_text("# 清单\n", encoding="utf-8")
    first = commit_all(repo, "base")
    write_catalogue(repo / "catalogue", [item(LIMIT_30)])
    second = commit_all(repo, "limit")
    write_catalogue(repo / "catalogue", [item(LIMIT_30), item({"id": "370784-ga-csdj",
                                                               "name": "出生登记"})])
    (repo / "outside.yaml").write_text("id: not-an-item\n", encoding="utf-8")
    third = commit_all(repo, "added")
    return repo, [first, second, third]


def _snapshot(repo: Path) -> dict[str, Any]:
    files = {p.relative_to(repo).as_posix(): p.read_bytes()
             for p in sorted(repo.rglob("*")) if p.is_file() and ".git" not in p.parts}
    return {"files": files, "head": git(repo, "rev-parse", "HEAD"),
            "status": git(repo, "status", "--porcelain", "--untracked-files=all"),
            "index": git(repo, "ls-files", "--stage"), "refs": git(repo, "show-ref"),
            "stash": git(repo, "stash", "list")}


# --- REV1..REV2 ----------------------------------------------------------------------------

def test_two_revisions(history: tuple[Path, list[str]]) -> None:
    repo, (first, second, third) = history
    found = compare(_config(repo), Request((f"{first}..{second}",)))
    assert _kinds(found) == [("limit-longer", BASE_ID)]
    assert isinstance(found, CatalogueDiff)
    assert (found.old_label, found.new_label) == (first, second)
    assert _kinds(compare(_config(repo), Request((f"{second}..{third}",)))) == [
        ("item-added", "370784-ga-csdj")]
    assert _kinds(compare(_config(repo), Request((f"{first}..{third}",)))) == [
        ("item-added", "370784-ga-csdj"), ("limit-longer", BASE_ID)]
    # Backwards: the same changes the other way round.
    assert _kinds(compare(_config(repo), Request((f"{second}..{first}",)))) == [
        ("limit-shorter", BASE_ID)]


def test_symbolic_revisions_and_an_empty_side_meaning_head(history: tuple[Path, list[str]]) -> None:
    repo, _ = history
    git(repo, "tag", "v1", "HEAD~2")
    assert _kinds(compare(_config(repo), Request(("HEAD~2..HEAD~1",)))) == [
        ("limit-longer", BASE_ID)]
    assert _kinds(compare(_config(repo), Request(("v1..main",)))) == _kinds(
        compare(_config(repo), Request(("v1..",))))
    assert _kinds(compare(_config(repo), Request(("HEAD~1..",)))) == [
        ("item-added", "370784-ga-csdj")]
    assert _kinds(compare(_config(repo), Request(("..HEAD",)))) == []


def test_a_catalogue_that_did_not_exist_yet_is_all_added(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    (repo / "README.md").write_text("x\n", encoding="utf-8")
    first = commit_all(repo, "empty")
    write_catalogue(repo / "catalogue", [item({})])
    commit_all(repo, "catalogue")
    assert _kinds(compare(_config(repo), Request((f"{first}..HEAD",)))) == [
        ("item-added", BASE_ID)]


def test_only_the_catalogue_folder_and_its_visible_yaml_files_are_read(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    write_catalogue(repo / "data" / "catalogue", [item({})])
    write_catalogue(repo / "data" / "catalogue2", [item({"id": "370784-ga-other"})])
    commit_all(repo, "base")
    root = repo / "data" / "catalogue"
    extra = {"items/安丘市/370784-ga-csdj.yaml": item({"id": "370784-ga-csdj", "name": "出生登记"}),
             "items/.hidden/370784-ga-hidden.yaml": item({"id": "370784-ga-hidden"}),
             "items/.370784-ga-dot.yaml": item({"id": "370784-ga-dot"})}
    for name, document in extra.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    (root / "items" / "notes.txt").write_text("id: x\n", encoding="utf-8")
    (root / "items" / "link.yaml").symlink_to(root / "items" / f"{BASE_ID}.yaml")
    commit_all(repo, "more")
    loaded = load_revision(root, "HEAD")
    assert sorted(loaded.catalogue.items) == ["370784-ga-csdj", BASE_ID]
    assert not loaded.problems
    assert sorted(f.file for f in loaded.files if "items" in f.file) == [
        f"HEAD:data/catalogue/items/{BASE_ID}.yaml",
        "HEAD:data/catalogue/items/安丘市/370784-ga-csdj.yaml"]
    # The symbolic link (mode 120000 in git) and the non-YAML file were skipped, not read.
    assert _kinds(compare(Config(catalogue=root), Request(("HEAD~1..HEAD",)))) == [
        ("item-added", "370784-ga-csdj")]


def test_a_catalogue_at_the_top_of_the_repository(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    write_catalogue(repo, [item({})])
    commit_all(repo, "base")
    write_catalogue(repo, [item(LIMIT_30)])
    commit_all(repo, "limit")
    assert _kinds(compare(_config(repo, ""), Request(("HEAD~1..HEAD",)))) == [
        ("limit-longer", BASE_ID)]


def test_files_over_the_size_limit_are_reported_not_read(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    write_catalogue(repo / "catalogue", [item({})])
    commit_all(repo, "base")
    loaded = load_revision(repo / "catalogue", "HEAD", max_file_size=200)
    assert not loaded.catalogue.items
    assert {p.code for p in loaded.problems} == {"Y009"}


def test_blobs_are_read_in_one_batch_even_when_two_files_share_one(tmp_path: Path) -> None:
    repo = init_repo(tmp_path / "repo")
    (repo / "a.yaml").write_bytes(b"same\n")
    (repo / "b.yaml").write_bytes(b"same\n")
    (repo / "c.yaml").write_bytes("其他\n".encode())
    commit_all(repo, "blobs")
    same, other = git(repo, "rev-parse", "HEAD:a.yaml"), git(repo, "rev-parse", "HEAD:c.yaml")
    assert _read_blobs(repo, [same, other, same]) == {same: b"same\n", other: "其他\n".encode()}
    assert _read_blobs(repo, []) == {}


# --- --base and the working tree ---------------------------------------------------------

def test_base_against_uncommitted_edits_leaves_the_working_tree_alone(
        history: tuple[Path, list[str]]) -> None:
    repo, _ = history
    catalogue = repo / "catalogue"
    # A staged edit, an unstaged edit on top of it, an untracked item and a deleted one.
    write_catalogue(catalogue, [item({**LIMIT_30, "visits/count": 2}),
                                item({"id": "370784-ga-csdj", "name": "出生登记"})])
    git(repo, "add", "-A")
    (catalogue / "items" / f"{BASE_ID}.yaml").write_text(
        (catalogue / "items" / f"{BASE_ID}.yaml").read_text(encoding="utf-8").replace(
            "status: draft", "status: published"), encoding="utf-8")
    untracked = item({"id": "370784-ga-swzx", "name": "死亡注销户口"})
    (catalogue / "items" / "370784-ga-swzx.yaml").write_text(
        yaml.safe_dump(untracked, allow_unicode=True), encoding="utf-8")
    (catalogue / "items" / "370784-ga-csdj.yaml").unlink()
    before = _snapshot(repo)
    found = compare(_config(repo), Request((), base="HEAD"))
    assert _kinds(found) == [("item-added", "370784-ga-swzx"), ("item-removed", "370784-ga-csdj"),
                             ("status-changed", BASE_ID), ("visits-more", BASE_ID)]
    assert isinstance(found, CatalogueDiff)
    assert (found.old_label, found.new_label) == ("HEAD", "工作区")
    assert _snapshot(repo) == before
    english = compare(Config(catalogue=catalogue, lang="en"), Request((), base="HEAD~2"))
    assert isinstance(english, CatalogueDiff) and english.new_label == "working tree"
    assert _snapshot(repo) == before


def test_base_takes_no_other_arguments(history: tuple[Path, list[str]]) -> None:
    repo, _ = history
    with pytest.raises(ConfigError, match="--base takes no other arguments"):
        compare(_config(repo), Request(("HEAD~1..HEAD",), base="HEAD"))


def test_a_folder_outside_any_repository(tmp_path: Path) -> None:
    write_catalogue(tmp_path / "plain" / "catalogue", [item({})])
    with pytest.raises(ConfigError) as caught:
        compare(Config(catalogue=tmp_path / "plain" / "catalogue"), Request((), base="HEAD"))
    assert "is not inside a git repository" in caught.value.text.en
    assert "不在 git 仓库中" in caught.value.text.zh
    # An option-looking revision is refused first, as such, even outside a repository.
    with pytest.raises(ConfigError, match="not a valid revision: '--upload-pack=x'"):
        compare(Config(catalogue=tmp_path / "plain" / "catalogue"),
                Request((), base="--upload-pack=x"))


# --- revisions that are missing ------------------------------------------------------------

def test_an_unknown_revision_says_how_to_fetch_it(history: tuple[Path, list[str]]) -> None:
    repo, _ = history
    with pytest.raises(ConfigError) as caught:
        compare(_config(repo), Request((), base="origin/main"))
    assert "revision 'origin/main' not found" in caught.value.text.en
    assert "git fetch origin origin/main" in caught.value.text.en
    assert "git fetch" in caught.value.text.zh


def test_a_shallow_clone_says_to_fetch_the_older_commit(history: tuple[Path, list[str]],
                                                         tmp_path: Path) -> None:
    repo, (first, _, _) = history
    clone = tmp_path / "clone"
    done = subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)],
                          capture_output=True, text=True, env=git_env(), timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert git(clone, "rev-parse", "--is-shallow-repository") == "true"
    for revision in (first, "HEAD~1"):
        with pytest.raises(ConfigError) as caught:
            compare(_config(clone), Request((), base=revision))
        text = caught.value.text
        assert f"revision '{revision}' not found" in text.en
        assert "shallow clone" in text.en and "git fetch" in text.en and "--unshallow" in text.en
        assert "浅克隆" in text.zh and "git fetch" in text.zh
    # After fetching it, the same comparison works.
    git(clone, "fetch", "-q", "--unshallow")
    assert _kinds(compare(_config(clone), Request((), base=first))) == [
        ("item-added", "370784-ga-csdj"), ("limit-longer", BASE_ID)]


@pytest.mark.parametrize("request_", [Request((), base="HEAD"), Request((), base="main"),
                                      Request(("HEAD~1..HEAD",)), Request(("main..",))],
                         ids=["base-HEAD", "base-main", "range", "range-to-head"])
def test_a_repository_without_commits(tmp_path: Path, request_: Request) -> None:
    repo = init_repo(tmp_path / "repo")
    write_catalogue(repo / "catalogue", [item({})])
    with pytest.raises(ConfigError) as caught:
        compare(_config(repo), request_)
    assert "the repository has no commits yet" in caught.value.text.en
    assert "仓库还没有任何提交" in caught.value.text.zh


def test_a_fetched_revision_is_found_before_the_first_commit(history: tuple[Path, list[str]],
                                                              tmp_path: Path) -> None:
    """A fresh `git init` + `git fetch` has no HEAD yet, but the fetched commit is there."""
    source, (_, second, _) = history
    repo = init_repo(tmp_path / "fresh")
    git(repo, "fetch", "-q", f"file://{source}", "main")
    write_catalogue(repo / "catalogue", [item({})])
    assert resolve_revision(repo, "FETCH_HEAD") == git(source, "rev-parse", "main")
    assert _kinds(compare(_config(repo), Request((), base=second))) == [
        ("limit-shorter", BASE_ID)]


# --- revisions that try to be options or shell syntax ------------------------------------

HOSTILE = ["--output=x", "--upload-pack=x", "-p", "-", "", "HEAD;touch x", "$(touch x)", "`x`",
           "HEAD x", "HEAD\nx", "a|b", "a&b", "a>x", "a<x", "HEAD@{1}", "*", "a?b", "x\\y",
           "\"x\"", "'x'", "a\0b"]


@pytest.mark.parametrize("text", HOSTILE)
def test_check_revision_refuses(text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        check_revision(text)
    assert "not a valid revision" in caught.value.text.en


@pytest.mark.parametrize("text", ["HEAD", "HEAD~1", "HEAD^", "main", "origin/main", "v1.2.0",
                                  "a1b2c3d", "feature/清单-2025", "refs/heads/main"])
def test_check_revision_accepts(text: str) -> None:
    assert check_revision(text) == text


@pytest.mark.parametrize("request_", [
    Request(("--output=x..HEAD",)), Request(("HEAD..--output=x",)),
    Request((), base="--upload-pack=touch x"), Request((), base="--output=x"),
    Request(("-x..HEAD",)), Request((), base="-"),
], ids=["range-old", "range-new", "base-upload-pack", "base-output", "dash", "lone-dash"])
def test_option_looking_revisions_never_reach_git(history: tuple[Path, list[str]],
                                                  request_: Request,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    repo, _ = history
    monkeypatch.chdir(repo)
    before = _snapshot(repo)
    with pytest.raises(ConfigError) as caught:
        compare(_config(repo), request_)
    assert "not a valid revision" in caught.value.text.en
    assert _snapshot(repo) == before
    assert not (repo / "x").exists() and not (repo / "catalogue" / "x").exists()
