"""`svccat init` and `svccat schema`: the new repository lints clean, its editor settings point
at schemas it holds, and its CI definitions, run locally step by step, lint, diff and build."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from svccat import __version__
from svccat.resources import schemas_dir
from tests.ci_runner import (
    checkout,
    push_pull_request,
    run_gitlab_job,
    run_workflow_job,
    shims,
)
from tests.conftest import REPO, lint_json, run_svccat

ITEM = "catalogue/items/370784/370784-zwgk-ysqgk.yaml"
FILES = {
    "svccat.toml", ".editorconfig", ".gitignore", ".pre-commit-config.yaml",
    ".github/workflows/svccat.yml", ".gitlab-ci.yml", ".vscode/settings.json",
    ".vscode/extensions.json", "catalogue/registries/regions.yaml",
    "catalogue/registries/departments.yaml", "catalogue/registries/legal-documents.yaml",
    "catalogue/registries/certificates.yaml", ITEM,
    *(f"schemas/{p.name}" for p in schemas_dir().glob("*.schema.json")),
}


def init(where: Path, *args: str) -> Any:
    return run_svccat("init", str(where), *args, cwd=where.parent if where.parent.exists()
                      else Path.cwd())


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    done = init(target, "--region", "370784", "--region-name", "安丘市")
    assert done.returncode == 0, done.stderr
    return target


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_init_writes_a_repository_that_lints_clean(repo: Path) -> None:
    assert _files(repo) == FILES
    code, report = lint_json(cwd=repo)
    assert code == 0 and report["problems"] == []
    assert report["summary"]["items"] == 1 and report["summary"]["files"] == 5
    regions = yaml.safe_load((repo / "catalogue/registries/regions.yaml").read_text("utf-8"))
    assert regions == {"regions": [{"code": "370784", "name": "安丘市", "level": "county"}]}
    certificates = yaml.safe_load((repo / "catalogue/registries/certificates.yaml").read_text())
    assert certificates == {"retained": []}
    item = (repo / ITEM).read_text(encoding="utf-8")
    assert item.startswith("# yaml-language-server: $schema=../../../schemas/item.schema.json\n")
    assert "@{" not in item and "}@" not in item
    formatted = run_svccat("fmt", "--check", cwd=repo)  # already in svccat fmt's layout
    assert formatted.returncode == 0 and formatted.stdout == "", formatted.stdout
    for name in FILES:
        if name.startswith("schemas/"):
            bundled = (schemas_dir() / Path(name).name).read_text(encoding="utf-8")
            assert (repo / name).read_text(encoding="utf-8") == bundled


@pytest.mark.parametrize(("code", "name", "level", "exercise"), [
    ("370000", "山东省", "province", "province"), ("370700", "潍坊市", "city", "city"),
    ("370784", "安丘市", "county", "county"), ("370784001", "兴安街道", "town", "town"),
    ("370784001001", "健康社区", "community", "village")])
def test_every_level_of_region_lints_clean(tmp_path: Path, code: str, name: str, level: str,
                                           exercise: str) -> None:
    target = tmp_path / "repo"
    assert init(target, "--region", code, "--region-name", name).returncode == 0
    lint_code, report = lint_json(cwd=target)
    assert lint_code == 0 and report["problems"] == []
    item = yaml.safe_load((target / f"catalogue/items/{code}/{code}-zwgk-ysqgk.yaml").read_text())
    assert item["region"] == code and item["exercise_level"] == exercise
    regions = yaml.safe_load((target / "catalogue/registries/regions.yaml").read_text())
    assert regions["regions"][0]["level"] == level


def test_without_a_region_a_placeholder_the_user_is_told_to_edit(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    done = init(target)
    assert done.returncode == 0
    assert "000000" in done.stdout and "regions.yaml" in done.stdout
    code, report = lint_json(cwd=target)
    assert code == 0 and report["problems"] == []


def test_a_region_name_that_yaml_would_misread_is_quoted(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    assert init(target, "--region", "370784", "--region-name", "安丘市: 试点").returncode == 0
    regions = yaml.safe_load((target / "catalogue/registries/regions.yaml").read_text())
    assert regions["regions"][0]["name"] == "安丘市: 试点"
    assert lint_json(cwd=target)[0] == 0


def test_refuses_to_overwrite_unless_forced(repo: Path) -> None:
    (repo / ITEM).write_text("edited\n", encoding="utf-8")
    done = init(repo, "--region", "370784", "--region-name", "安丘市")
    assert done.returncode == 2
    assert "--force" in done.stderr and ITEM in done.stderr and ".gitlab-ci.yml" in done.stderr
    assert (repo / ITEM).read_text(encoding="utf-8") == "edited\n"
    done = init(repo, "--region", "370784", "--region-name", "安丘市", "--force")
    assert done.returncode == 0
    assert (repo / ITEM).read_text(encoding="utf-8") != "edited\n"


def test_one_clash_writes_nothing_at_all(tmp_path: Path) -> None:
    target = tmp_path / "repo"
    target.mkdir()
    (target / "svccat.toml").write_text("catalogue = 'mine'\n", encoding="utf-8")
    (target / "README.md").write_text("mine\n", encoding="utf-8")
    done = run_svccat("init", ".", "--lang", "en", cwd=target)
    assert done.returncode == 2
    assert done.stderr.startswith("svccat: error: these files already exist")
    assert "svccat.toml" in done.stderr and "README.md" not in done.stderr
    assert _files(target) == {"svccat.toml", "README.md"}


@pytest.mark.parametrize("args", [["--region", "370784"], ["--region-name", "安丘市"],
                                  ["--region", "37078", "--region-name", "安丘市"]])
def test_region_options_are_checked(tmp_path: Path, args: list[str]) -> None:
    done = init(tmp_path / "repo", *args)
    assert done.returncode == 2
    assert "--region" in done.stderr or "“37078”不是行政区划代码" in done.stderr
    assert not (tmp_path / "repo").exists()


def test_editor_settings_tie_files_to_the_schemas_it_holds(repo: Path) -> None:
    settings = json.loads((repo / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping: dict[str, list[str]] = settings["yaml.schemas"]
    for schema, globs in mapping.items():
        assert (repo / schema).is_file(), schema
        matched = {p.relative_to(repo).as_posix() for g in globs for p in repo.glob(g)}
        kind = Path(schema).name.removesuffix(".schema.json")
        expected = {ITEM} if kind == "item" else {f"catalogue/registries/{kind}.yaml"}
        assert matched == expected, schema
    assert settings["[yaml]"]["editor.insertSpaces"] is True
    extensions = json.loads((repo / ".vscode/extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
    editorconfig = (repo / ".editorconfig").read_text(encoding="utf-8")
    assert "charset = utf-8" in editorconfig and "indent_style = space" in editorconfig


def test_pre_commit_uses_this_repositorys_hooks(repo: Path) -> None:
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (entry,) = config["repos"]
    assert entry["repo"] == "https://github.com/svccat/svccat"
    assert entry["rev"] == f"v{__version__}"
    ids = [hook["id"] for hook in entry["hooks"]]
    assert ids == ["svccat-fmt", "svccat-lint"]
    hooks_file = REPO / ".pre-commit-hooks.yaml"
    if not hooks_file.is_file():
        pytest.skip(".pre-commit-hooks.yaml is not in this checkout yet")
    defined = {hook["id"] for hook in yaml.safe_load(hooks_file.read_text(encoding="utf-8"))}
    assert set(ids) <= defined


# --- the repository's CI, run locally ---------------------------------------------------------

SAME_REPOSITORY = {"event_name": "pull_request", "base_ref": "main",
                   "repository": "example/catalogue", "event": {
                       "pull_request": {"head": {"repo": {"full_name": "example/catalogue"}}}}}


def _pull_request(repo: Path, tmp_path: Path, change: dict[str, str]) -> Path:
    pull = push_pull_request(repo, tmp_path / "origin.git", change)
    return checkout(pull, tmp_path / "workspace", full=True)


def _shorter_limit(repo: Path) -> dict[str, str]:
    text = (repo / ITEM).read_text(encoding="utf-8")
    changed = text.replace("committed_limit: {days: 15, unit: 工作日}",
                           "committed_limit: {days: 10, unit: 工作日}")
    changed = changed.replace("{name: 答复, limit: {days: 15,", "{name: 答复, limit: {days: 10,")
    assert changed != text
    return {ITEM: changed}


def test_github_workflow_lints_diffs_and_builds(repo: Path, tmp_path: Path) -> None:
    workflow_file = repo / ".github/workflows/svccat.yml"
    workspace = _pull_request(repo, tmp_path, _shorter_limit(repo))
    bin_dir = shims(tmp_path / "bin")
    job = run_workflow_job(workflow_file, "svccat", workspace=workspace,
                           temp=tmp_path / "runner-temp", path_prefix=[bin_dir],
                           github=SAME_REPOSITORY)
    workflow = yaml.safe_load(workflow_file.read_text(encoding="utf-8"))
    checkout_step = workflow["jobs"]["svccat"]["steps"][0]
    assert checkout_step["uses"].startswith("actions/checkout@")
    assert checkout_step["with"]["fetch-depth"] == 0

    assert not job.failed, [(s.name, s.stderr) for s in job.steps if s.returncode]
    assert (bin_dir / "pip.log").read_text().split() == ["install", "svccat"]
    sarif = json.loads((workspace / "svccat.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []
    upload = next(s for s in job.steps if (s.uses or "").startswith("github/codeql-action/"))
    assert upload.skipped == "uses" and upload.inputs["sarif_file"] == "svccat.sarif"
    diff = (workspace / "svccat-diff.md").read_text(encoding="utf-8")
    assert diff.startswith("### svccat diff：origin/main → 工作区")
    assert "15 工作日 → 10 工作日" in diff and diff in job.summary
    comment = next(s for s in job.steps if (s.uses or "").startswith("marocchino/"))
    assert comment.skipped == "uses" and comment.inputs["path"] == "svccat-diff.md"
    assert "## svccat lint" in job.summary
    assert (workspace / "build" / "index.html").is_file()
    assert [s.skipped for s in job.steps if s.uses] == ["uses"] * 5


def test_github_workflow_on_push_lints_and_builds_without_diff(repo: Path,
                                                              tmp_path: Path) -> None:
    workspace = _pull_request(repo, tmp_path, _shorter_limit(repo))
    job = run_workflow_job(repo / ".github/workflows/svccat.yml", "svccat", workspace=workspace,
                           temp=tmp_path / "t", path_prefix=[shims(tmp_path / "bin")],
                           github={"event_name": "push", "base_ref": ""})
    assert not job.failed
    assert job.step("对比基准分支 / Diff against the base branch").skipped == "if"
    assert (workspace / "build" / "index.html").is_file()


def test_github_workflow_stops_before_building_on_lint_errors(repo: Path,
                                                              tmp_path: Path) -> None:
    text = (repo / ITEM).read_text(encoding="utf-8")
    broken = text.replace("type: 公共服务", "type: 公共服务类")
    workspace = _pull_request(repo, tmp_path, {ITEM: broken})
    job = run_workflow_job(repo / ".github/workflows/svccat.yml", "svccat", workspace=workspace,
                           temp=tmp_path / "t", path_prefix=[shims(tmp_path / "bin")],
                           github=SAME_REPOSITORY)
    assert job.failed
    lint = job.step("检查 / Lint")
    assert lint.returncode == 1
    assert lint.stdout.startswith(f"::error file={ITEM},line=6,")
    assert job.step("对比基准分支 / Diff against the base branch").returncode == 0
    assert job.step("生成网站 / Build the site").skipped == "if"
    assert not (workspace / "build").exists()


def test_gitlab_ci_lints_diffs_and_builds(repo: Path, tmp_path: Path) -> None:
    workspace = _pull_request(repo, tmp_path, _shorter_limit(repo))
    bin_dir = shims(tmp_path / "bin")
    ci = {"CI_PIPELINE_SOURCE": "merge_request_event",
          "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main"}
    config_file = workspace / ".gitlab-ci.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    assert config["svccat-lint"]["artifacts"]["reports"]["codequality"] == \
        "gl-code-quality-report.json"
    for name in ("svccat-lint", "svccat-diff", "svccat-build"):
        done = run_gitlab_job(config_file, name, workspace=workspace, path_prefix=[bin_dir],
                              ci=ci)
        assert done.returncode == 0, (name, done.stderr)
    assert (bin_dir / "pip.log").read_text().splitlines() == ["install svccat"] * 3
    report = json.loads((workspace / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert report == []
    assert "15 工作日 → 10 工作日" in (workspace / "svccat-diff.md").read_text(encoding="utf-8")
    assert (workspace / "build" / "index.html").is_file()


# --- svccat schema --------------------------------------------------------------------------

def test_schema_writes_the_bundled_schemas(tmp_path: Path) -> None:
    done = run_svccat("schema", "--out", str(tmp_path / "schemas"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    bundled = sorted(schemas_dir().glob("*.schema.json"))
    assert len(bundled) == 6 and len(done.stdout.splitlines()) == 6
    for path in bundled:
        written = tmp_path / "schemas" / path.name
        assert written.read_bytes() == path.read_bytes()
        assert json.loads(written.read_text(encoding="utf-8"))["$id"] == \
            f"https://schemas.svccat.org/v1/{path.name}"
    # Writing again replaces svccat's own files (after an upgrade, say).
    (tmp_path / "schemas" / "item.schema.json").write_text("{}", encoding="utf-8")
    assert run_svccat("schema", "item", "--out", str(tmp_path / "schemas"), cwd=tmp_path
                      ).returncode == 0
    assert (tmp_path / "schemas" / "item.schema.json").read_bytes() == \
        (schemas_dir() / "item.schema.json").read_bytes()


def test_schema_prints_and_lists(tmp_path: Path) -> None:
    done = run_svccat("schema", "item", cwd=tmp_path)
    assert json.loads(done.stdout)["$id"] == "https://schemas.svccat.org/v1/item.schema.json"
    listing = run_svccat("schema", cwd=tmp_path).stdout
    assert "regions.schema.json\thttps://schemas.svccat.org/v1/regions.schema.json" in listing
    unknown = run_svccat("schema", "items", cwd=tmp_path)
    assert unknown.returncode == 2 and "item" in unknown.stderr
