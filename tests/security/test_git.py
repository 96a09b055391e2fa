"""`svccat diff` and git (issue #8): revisions that look like options or shell syntax are
refused on the command line, a repository in an unusual state gets one clear line and exit 2,
oversized blobs are never read, and nothing in the repository makes svccat run a command.

The refusal of each hostile revision inside `compare`, shallow clones and repositories
without commits are tested in tests/diff/test_sources.py; here, the command line's answer.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from svccat.diff import sources
from tests.diff.helpers import commit_all, git, git_env, init_repo, item, write_catalogue
from tests.security.conftest import snapshot, svccat


@pytest.fixture(autouse=True)
def _git_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """svccat runs git in this process: the tests' clean git environment applies to it."""
    for key in [k for k in os.environ if k.startswith("GIT_")]:
        monkeypatch.delenv(key)
    for key, value in git_env().items():
        if key.startswith("GIT_"):
            monkeypatch.setenv(key, value)
    yield


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """Two commits: the base item, then its committed limit raised to 30 working days."""
    root = init_repo(tmp_path / "repo")
    write_catalogue(root / "catalogue", [item({})])
    commit_all(root, "base")
    write_catalogue(root / "catalogue", [item({"committed_limit": {"days": 30, "unit": "工作日"}})])
    commit_all(root, "limit")
    return root


HOSTILE = [["HEAD;touch pwned..HEAD"], ["$(touch pwned)..HEAD"], ["HEAD..`touch pwned`"],
           ["--base=--output=pwned"], ["--base=--upload-pack=touch pwned"], ["--base=-p"],
           ["HEAD|touch pwned..HEAD"], ["HEAD\n--output=pwned..HEAD"], ["--base", "HEAD@{-1}"]]


@pytest.mark.parametrize("args", HOSTILE, ids=lambda a: repr(a[-1])[:30])
def test_hostile_revisions_are_usage_errors_before_git_runs(
        repo: Path, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects: check_revision runs before any git command: a revision starting with `-`
    or holding shell syntax is exit 2 with one line, git never sees it, nothing is written."""
    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(sources, "run_git", lambda repo, *a, **k: calls.append(a))
    before = snapshot(repo)
    done = svccat("diff", *args, "--lang", "en", cwd=repo)
    done.assert_answered()
    assert done.code == 2 and done.stderr.startswith("svccat: error: not a valid revision")
    assert calls == [] and snapshot(repo) == before


def test_a_detached_head_is_an_ordinary_revision(repo: Path) -> None:
    """A CI checkout of a pull request is a detached HEAD: revisions resolve as usual."""
    git(repo, "checkout", "-q", "--detach", "HEAD~1")
    done = svccat("diff", "--base", "main", "--format", "json", cwd=repo)
    done.assert_answered()
    assert done.code == 0, done.stderr
    assert [c["kind"] for c in done.json()["changes"]] == ["limit-shorter"]
    ranged = svccat("diff", "HEAD..main", "--format", "json", cwd=repo)
    assert [c["kind"] for c in ranged.json()["changes"]] == ["limit-longer"]


def test_unusual_repository_states_are_one_clear_line(tmp_path: Path, repo: Path) -> None:
    """Protects: every git failure is a ConfigError (exit 2, one line saying what to do),
    never git's own output or a traceback."""
    empty = init_repo(tmp_path / "empty")
    write_catalogue(empty / "catalogue", [item({})])
    outside = tmp_path / "plain"
    write_catalogue(outside / "catalogue", [item({})])
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{repo}", str(shallow))
    cases = [(empty, ["--base", "HEAD"], "no commits yet"),
             (outside, ["--base", "HEAD"], "is not inside a git repository"),
             (shallow, ["HEAD~1..HEAD"], "shallow clone"),
             (repo, ["no-such-branch..HEAD"], "revision 'no-such-branch' not found")]
    for folder, args, message in cases:
        done = svccat("diff", *args, "--lang", "en", cwd=folder)
        done.assert_answered()
        assert done.code == 2 and message in done.stderr, (args, done.stderr)
        assert done.stderr.count("\n") == 1 and done.stdout == ""


def test_oversized_blobs_are_reported_without_being_read(repo: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects: blob sizes come from `git ls-tree -l`, so a blob over max_file_size is never
    fetched into memory (a few kilobytes of zeros in the object store inflate to
    gigabytes). Before the fix every blob was read whole, then measured."""
    (repo / "catalogue" / "items" / "big.yaml").write_text("note: " + "0" * 5000 + "\n")
    commit_all(repo, "big")
    (repo / "svccat.toml").write_text("max_file_size = 4000\n")
    big = git(repo, "rev-parse", "HEAD:catalogue/items/big.yaml")
    asked: list[str] = []
    real = sources._read_blobs

    def read_blobs(folder: Path, shas: list[str]) -> dict[str, bytes]:
        asked.extend(shas)
        return real(folder, shas)

    monkeypatch.setattr(sources, "_read_blobs", read_blobs)
    old = sources.load_revision(repo / "catalogue", "HEAD", max_file_size=4000)
    assert [(p.code, p.file) for p in old.problems] == [("Y009", "HEAD:catalogue/items/big.yaml")]
    assert asked and big not in asked
    done = svccat("diff", "--base", "HEAD", cwd=repo)
    done.assert_answered()
    assert done.code == 0


def test_repository_settings_and_attributes_run_nothing(repo: Path) -> None:
    """Protects: svccat reads revisions with plumbing only (rev-parse, ls-tree, cat-file
    --batch), which apply no filter, textconv or fsmonitor hook, so a committed
    .gitattributes naming a driver (or a hook in the local settings) runs no command."""
    (repo / "catalogue" / ".gitattributes").write_text("*.yaml filter=evil diff=evil\n")
    commit_all(repo, "attributes")
    pwned = repo.parent / "pwned"
    for key in ("filter.evil.smudge", "filter.evil.clean", "filter.evil.process",
                "diff.evil.textconv", "core.fsmonitor", "core.pager"):
        git(repo, "config", key, f"touch {pwned}")
    for args in (["--base", "HEAD~1"], ["HEAD~2..HEAD"]):
        done = svccat("diff", *args, cwd=repo)
        done.assert_answered()
        assert done.code == 0, done.stderr
    assert not pwned.exists()
