"""`svccat diff` end to end: exit codes (0 nothing at or above --fail-on, 1 some, 2 a
mistake), --output, the formats, git revisions, and the sample's regions and matrix.

The main paths run `python -m svccat diff` in a subprocess, as a user or CI does; the many
small argument mistakes go through the same entry point (svccat.cli.main) in-process, to
keep the suite fast."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from svccat import cli
from tests.conftest import REPO, run_svccat
from tests.diff.helpers import BASE_ID, commit_all, git, git_env, init_repo, item, write_catalogue


def _svccat(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_svccat("diff", *args, cwd=cwd, env=git_env())


class _Main:
    """svccat.cli.main in this process: (exit code, stdout, stderr)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
                 ) -> None:
        self.monkeypatch, self.capsys = monkeypatch, capsys

    def __call__(self, *args: str, cwd: Path) -> tuple[int, str, str]:
        self.monkeypatch.chdir(cwd)
        self.monkeypatch.setattr(sys, "argv", ["svccat", "diff", *args])
        self.capsys.readouterr()
        with pytest.raises(SystemExit) as done:
            cli.main()
        out, err = self.capsys.readouterr()
        assert isinstance(done.value.code, int)
        return done.value.code, out, err


@pytest.fixture
def main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> _Main:
    monkeypatch.setenv("SVCCAT_LANG", "zh")
    monkeypatch.setenv("NO_COLOR", "1")
    return _Main(monkeypatch, capsys)


@pytest.fixture
def folders(tmp_path: Path) -> Path:
    """catalogue/ (the configured catalogue), old/ and faster/ next to it. old → catalogue:
    the limit raised (burden up), a material relaxed (burden down), the status changed.
    old → faster: the limit shortened and the status changed only."""
    write_catalogue(tmp_path / "old", [item({})])
    write_catalogue(tmp_path / "catalogue", [item({
        "committed_limit": {"days": 30, "unit": "工作日"}, "materials/0/necessity": "容缺后补",
        "status": "published"})])
    write_catalogue(tmp_path / "faster", [item({
        "committed_limit": {"days": 15, "unit": "工作日"}, "status": "published"})])
    return tmp_path


# --- subprocess ------------------------------------------------------------------------------

def test_exit_codes_fail_on_and_output(folders: Path, main: _Main) -> None:
    done = _svccat("old", "catalogue", cwd=folders)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[0] == "old → catalogue"
    assert "  [群众负担增加] 时限延长：committed_limit：20 工作日 → 30 工作日" in done.stdout.splitlines()

    done = _svccat("old", "catalogue", "--fail-on", "burden-up", "--format", "markdown",
                   "--output", "comment.md", cwd=folders)
    assert (done.returncode, done.stdout, done.stderr) == (1, "", "")
    comment = (folders / "comment.md").read_text(encoding="utf-8")
    assert comment.startswith("### svccat diff：old → catalogue\n")
    assert "| 1 | 0 | 0 | 1 | 1 |" in comment
    assert [p.name for p in folders.iterdir() if p.name.startswith("comment")] == ["comment.md"]

    # Burden down and editorial only: nothing at or above burden up or legal; but burden
    # down is at or above itself.
    code, out, err = main("old", "faster", "--fail-on", "burden-up", "--fail-on", "legal",
                          "--format", "json", cwd=folders)
    assert (code, err) == (0, "")
    assert json.loads(out)["summary"] == {"burden-up": 0, "legal": 0, "structure": 0,
                                          "burden-down": 1, "editorial": 1}
    assert main("old", "faster", "--fail-on", "burden-down", cwd=folders)[0] == 1
    assert main("old", "faster", "--fail-on", "structure", cwd=folders)[0] == 0


def test_a_revision_that_looks_like_an_option_is_refused(folders: Path, main: _Main) -> None:
    init_repo(folders)
    commit_all(folders, "base")
    done = _svccat("--lang", "en", "--", "--output=x..HEAD", cwd=folders)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "svccat: error: not a valid revision: '--output=x'\n"
    code, out, err = main("--lang", "en", "--base=--upload-pack=touch x", cwd=folders)
    assert (code, out) == (2, "")
    assert err == "svccat: error: not a valid revision: '--upload-pack=touch x'\n"
    assert not (folders / "x").exists() and git(folders, "status", "--porcelain") == ""


def test_revisions_in_a_pull_request(tmp_path: Path, main: _Main) -> None:
    """The CI recipe: compare the branch's working tree with main, comment in Markdown, fail
    on burden up; a shallow clone is told how to fetch the base."""
    repo = init_repo(tmp_path / "repo")
    write_catalogue(repo / "catalogue", [item({})])
    first = commit_all(repo, "base")
    git(repo, "checkout", "-q", "-b", "feature")
    write_catalogue(repo / "catalogue", [item({"visits/count": 2})])
    commit_all(repo, "more visits")
    write_catalogue(repo / "catalogue", [item({"visits/count": 2, "status": "published"})])
    done = _svccat("--base", "main", "--format", "markdown", "--output", "comment.md",
                   "--fail-on", "burden-up", cwd=repo)
    assert (done.returncode, done.stderr) == (1, "")
    comment = (repo / "comment.md").read_text(encoding="utf-8")
    assert "### svccat diff：main → 工作区" in comment
    assert "跑动次数增加：visits：1 → 2" in comment and "状态变化：status：draft → published" in comment
    (repo / "comment.md").unlink()
    assert git(repo, "status", "--porcelain") == "M catalogue/items/370784-ga-sfz-bl.yaml"

    code, out, err = main(f"{first}..HEAD", "--format", "json", cwd=repo)
    assert (code, err) == (0, "")
    assert [(c["kind"], c["item"]) for c in json.loads(out)["changes"]] == [("visits-more", BASE_ID)]

    clone = tmp_path / "clone"
    cloned = subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "feature",
                             f"file://{repo}", str(clone)], capture_output=True, text=True,
                            env=git_env(), timeout=60, check=False)
    assert cloned.returncode == 0, cloned.stderr
    code, out, err = main("--base", first, cwd=clone)
    assert (code, out) == (2, "")
    assert "浅克隆" in err and "git fetch" in err and first in err and err.count("\n") == 1


# --- in-process --------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "words"), [
    (["old", "catalogue", "--fail-on", "worse"], "--fail-on 'worse' is neither an effect"),
    (["old", "catalogue", "--format", "pdf"], "unknown format 'pdf'"),
    (["old"], "usage: svccat diff REGION_A REGION_B"),
    (["old", "nowhere"], "cannot compare 'old' and 'nowhere'"),
    (["HEAD~1..HEAD"], "is not inside a git repository"),
    (["--base", "HEAD", "old"], "--base takes no other arguments"),
    (["--matrix", "370784"], "--matrix needs two or more registered region codes"),
])
def test_mistakes_exit_2_with_one_line(folders: Path, main: _Main, args: list[str],
                                       words: str) -> None:
    code, out, err = main("--lang", "en", *args, cwd=folders)
    assert code == 2 and out == ""
    assert err.startswith("svccat: error: ") and words in err and err.count("\n") == 1


def test_mistakes_in_chinese(folders: Path, main: _Main) -> None:
    code, _, err = main("old", "catalogue", "--fail-on", "worse", cwd=folders)
    assert code == 2
    assert err == "svccat: 错误: --fail-on 的取值“worse”既不是变化类别也不是变化类型\n"


def test_html_output(folders: Path, main: _Main) -> None:
    write_catalogue(folders / "hostile", [item({"name": "<script>alert(1)</script>"})])
    code, out, err = main("old", "hostile", "--format", "html", "--lang", "en", cwd=folders)
    assert (code, err) == (0, "")
    assert out.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "<script" not in out


def test_settings_from_the_config_file(folders: Path, main: _Main) -> None:
    (folders / "svccat.toml").write_text(
        '[diff]\nignore = ["status-changed"]\n[diff.effect]\n"limit-shorter" = "legal"\n',
        encoding="utf-8")
    code, out, _ = main("old", "faster", "--format", "json", "--fail-on", "legal", cwd=folders)
    assert code == 1
    assert [(c["kind"], c["effect"]) for c in json.loads(out)["changes"]] == [
        ("limit-shorter", "legal")]


def test_threshold_option(folders: Path, main: _Main) -> None:
    write_catalogue(folders / "renamed", [item({"id": "370784-ga-sfz-bb",
                                                "name": "居民身份证补领申请"})])
    _, out, _ = main("old", "renamed", "--format", "json", cwd=folders)
    assert [m["how"] for m in json.loads(out)["matches"]] == ["similar"]
    _, out, _ = main("old", "renamed", "--format", "json", "--threshold", "0.9", cwd=folders)
    assert sorted(str(m["how"]) for m in json.loads(out)["matches"]) == ["None", "None"]


def test_a_repository_without_commits(tmp_path: Path, main: _Main) -> None:
    repo = init_repo(tmp_path / "repo")
    write_catalogue(repo / "catalogue", [item({})])
    code, _, err = main("--base", "HEAD", "--lang", "en", cwd=repo)
    assert (code, err) == (2, "svccat: error: the repository has no commits yet\n")


def test_sample_regions(main: _Main) -> None:
    code, out, err = main("370784", "370785", "--format", "json", "--fail-on", "burden-up",
                          cwd=REPO)
    assert (code, err) == (0, "")  # 高密市 asks nothing more of people than 安丘市
    payload = json.loads(out)
    assert (payload["old"], payload["new"]) == ("安丘市（370784）", "高密市（370785）")
    kinds = {(c["kind"], c["item"]) for c in payload["changes"]}
    assert ("item-removed", "370784-mz-nctkjzgy") in kinds  # 安丘市's own item
    assert ("limit-shorter", "370785-mz-tkry") in kinds  # 高密市 compresses its limits
    assert payload["summary"]["burden-up"] == 0


def test_sample_matrix_of_the_four_pilots(main: _Main) -> None:
    code, out, err = main("--matrix", "370705", "370725", "370784", "370785", "--format",
                          "markdown", cwd=REPO)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "| 基本目录事项 | 奎文区 | 昌乐县 | 安丘市 | 高密市 |"
    assert "| 个体工商户营业执照补领 | ✓ | ✗ 缺少 | ✓ | ✓ |" in lines
    assert "| 农村特困人员集中供养入住申请 |  |  | + 自有 |  |" in lines
    tkry = next(line for line in lines if line.startswith("| 特困人员认定 |"))
    # 高密市 compresses; "<" is written &lt; (cells hold catalogue text, escaped for HTML)
    assert re.search(r"\| ✓ 承诺时限 \d+ 个工作日 &lt; \d+ 个工作日 \|$", tkry)
