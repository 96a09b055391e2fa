"""The GitHub action (action.yml) and the GitLab template (ci/gitlab/svccat.gitlab-ci.yml),
run locally: their shell steps with bash in a repository made by `svccat init`, with a pull
request that adds a material without a legal basis (lint warning L004, burden up in the diff)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.ci_runner import (
    PullRequest,
    checkout,
    push_pull_request,
    run_action,
    run_git,
    run_gitlab_job,
    shims,
)
from tests.conftest import REPO, run_svccat

ACTION = REPO / "action.yml"
GITLAB_TEMPLATE = REPO / "ci" / "gitlab" / "svccat.gitlab-ci.yml"
ITEM = "catalogue/items/370784/370784-zwgk-ysqgk.yaml"
ADDED = "- name: 申请人身份证复印件\n  necessity: 必要\n"
PULL_REQUEST = {"event_name": "pull_request", "base_ref": "main", "head_ref": "change",
                "repository": "example/catalogue"}


@pytest.fixture
def pull(tmp_path: Path) -> PullRequest:
    source = tmp_path / "source"
    done = run_svccat("init", str(source), "--region", "370784", "--region-name", "安丘市",
                      cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (source / ITEM).read_text(encoding="utf-8")
    changed = text.replace("steps:\n", ADDED + "steps:\n", 1)
    assert changed != text
    return push_pull_request(source, tmp_path / "origin.git", {ITEM: changed})


def _added_line(workspace: Path) -> int:
    lines = (workspace / ITEM).read_text(encoding="utf-8").splitlines()
    return lines.index(ADDED.splitlines()[0]) + 1


def _action(tmp_path: Path, pull: PullRequest, **inputs: str) -> tuple[Any, Path, Path]:
    workspace = checkout(pull, tmp_path / "workspace", full=False)
    bin_dir = shims(tmp_path / "bin")
    job = run_action(ACTION, workspace=workspace, temp=tmp_path / "runner-temp",
                     path_prefix=[bin_dir], inputs=inputs,
                     github={**PULL_REQUEST, **({"event_name": "push", "base_ref": ""}
                                                if inputs.pop("_push", None) else {})})
    return job, workspace, bin_dir


def test_action_inputs_and_steps_are_declared() -> None:
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    assert set(action["inputs"]) >= {"catalogue", "python-version", "svccat", "fail-on", "base"}
    assert set(action["outputs"]) >= {"sarif-file", "diff-file"}
    uses = [s.get("uses", "") for s in action["runs"]["steps"]]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    for step in action["runs"]["steps"]:
        if "run" in step:
            # Inputs reach scripts through env only: nothing is pasted into the shell text.
            assert "${{" not in step["run"], step["name"]
            assert step["shell"] == "bash"


def test_pull_request_fails_on_warning_with_sarif_annotations_summary_and_diff(
        tmp_path: Path, pull: PullRequest) -> None:
    job, workspace, bin_dir = _action(tmp_path, pull, svccat="svccat==0.1.0", **{
        "fail-on": "warning"})
    line = _added_line(workspace)

    assert (bin_dir / "pip.log").read_text().split() == [
        "install", "--disable-pip-version-check", "svccat==0.1.0"]
    assert job.step("Set up Python").skipped == "uses"

    lint = job.step("lint")
    assert lint.returncode == 0, lint.stderr  # the step records the code; Result fails
    annotation = next(s for s in lint.stdout.splitlines() if s.startswith("::warning "))
    assert annotation.startswith(f"::warning file={ITEM},line={line},col=3,title=L004 ")
    assert "申请人身份证复印件" in annotation

    sarif = json.loads(Path(job.outputs["sarif-file"]).read_text(encoding="utf-8"))
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "L004"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == ITEM
    assert location["region"]["startLine"] == line
    upload = job.step("Upload to code scanning")
    assert upload.skipped == "uses" and upload.inputs["sarif_file"] == job.outputs["sarif-file"]

    # The shallow checkout had no origin/main: the diff step fetched it.
    diff = job.step("diff")
    assert diff.returncode == 0, diff.stderr
    run_git(workspace, "rev-parse", "--verify", "origin/main")
    body = Path(job.outputs["diff-file"]).read_text(encoding="utf-8")
    assert body.startswith("### svccat diff：origin/main → 工作区")
    assert "群众负担增加" in body and "申请人身份证复印件" in body

    assert "## svccat lint" in job.summary and "**1** 个警告" in job.summary
    assert body in job.summary

    assert job.outputs["lint-exit-code"] == "1" and job.outputs["diff-exit-code"] == "0"
    result_step = job.step("Result")
    assert result_step.returncode == 1 and "::error title=svccat lint::" in result_step.stdout
    assert job.failed


def test_warnings_pass_by_default_and_diff_fail_on_fails(tmp_path: Path,
                                                          pull: PullRequest) -> None:
    job, _, bin_dir = _action(tmp_path, pull, svccat="", **{"diff-fail-on": "burden-up",
                                                            "upload-sarif": "false"})
    assert not (bin_dir / "pip.log").exists()  # an empty spec installs nothing
    assert job.outputs["lint-exit-code"] == "0"
    assert job.step("Upload to code scanning").skipped == "if"
    assert job.outputs["diff-exit-code"] == "1"
    assert "::error title=svccat diff::" in job.step("Result").stdout
    assert job.failed


def test_push_lints_without_diff(tmp_path: Path, pull: PullRequest) -> None:
    job, _, _ = _action(tmp_path, pull, _push="yes")
    assert job.step("diff").returncode == 0
    assert "no diff" in job.step("diff").stdout
    assert job.outputs["diff-file"] == "" and job.outputs["lint-exit-code"] == "0"
    assert not job.failed


def test_explicit_base_and_catalogue(tmp_path: Path, pull: PullRequest) -> None:
    workspace = checkout(pull, tmp_path / "workspace", full=True)
    job = run_action(ACTION, workspace=workspace, temp=tmp_path / "t", path_prefix=[
        shims(tmp_path / "bin")], inputs={"base": "origin/main", "catalogue": "catalogue"},
        github={"event_name": "push", "base_ref": ""})
    assert Path(job.outputs["diff-file"]).is_file()
    assert not job.failed


def test_settings_mistake_stops_the_action(tmp_path: Path, pull: PullRequest) -> None:
    job, _, _ = _action(tmp_path, pull, catalogue="no-such-folder")
    lint = job.step("lint")
    assert lint.returncode == 2 and "no-such-folder" in lint.stderr
    assert job.outputs["sarif-file"] == ""
    assert job.step("diff").skipped == "if"
    assert job.step("Upload to code scanning").skipped == "if"
    assert job.failed


# --- GitLab ---------------------------------------------------------------------------------

MERGE_REQUEST = {"CI_PIPELINE_SOURCE": "merge_request_event",
                 "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_MERGE_REQUEST_IID": "7",
                 "CI_API_V4_URL": "https://gitlab.example/api/v4", "CI_PROJECT_ID": "42"}


def test_gitlab_template_jobs(tmp_path: Path, pull: PullRequest) -> None:
    workspace = checkout(pull, tmp_path / "workspace", full=False)
    bin_dir = shims(tmp_path / "bin")

    def job(name: str, **variables: str) -> Any:
        return run_gitlab_job(GITLAB_TEMPLATE, name, workspace=workspace, path_prefix=[bin_dir],
                              ci=MERGE_REQUEST, variables=variables)

    lint = job("svccat-lint", SVCCAT_PIP_SPEC="svccat==0.1.0")
    assert lint.returncode == 0, lint.stderr
    assert "install --disable-pip-version-check svccat==0.1.0" in (bin_dir / "pip.log").read_text()
    (issue,) = json.loads((workspace / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert issue["check_name"].startswith("L004 ") and issue["severity"] == "minor"
    assert issue["location"] == {"path": ITEM, "lines": {"begin": _added_line(workspace)}}
    assert "<testsuite" in (workspace / "svccat-junit.xml").read_text(encoding="utf-8")
    assert "L004" in lint.stdout  # the text report in the job log

    failing = job("svccat-lint", SVCCAT_FAIL_ON="warning")
    assert failing.returncode == 1

    diff = job("svccat-diff", SVCCAT_GITLAB_TOKEN="secret-token")
    assert diff.returncode == 0, diff.stderr
    body = (workspace / "svccat-diff.md").read_text(encoding="utf-8")
    assert "申请人身份证复印件" in body and body in diff.stdout
    note = json.loads((workspace / "svccat-note.json").read_text(encoding="utf-8"))
    assert note == {"body": body}
    call = (bin_dir / "curl.log").read_text(encoding="utf-8")
    assert "PRIVATE-TOKEN: secret-token" in call
    assert call.rstrip().endswith("https://gitlab.example/api/v4/projects/42/merge_requests/7/notes")

    assert job("svccat-diff", SVCCAT_DIFF_FAIL_ON="burden-up").returncode == 1

    build = job("svccat-build", SVCCAT_BUILD_OUT="public")
    assert build.returncode == 0, build.stderr
    assert (workspace / "public" / "index.html").is_file()


def test_gitlab_template_declares_reports() -> None:
    config = yaml.safe_load(GITLAB_TEMPLATE.read_text(encoding="utf-8"))
    reports = config["svccat-lint"]["artifacts"]["reports"]
    assert reports["codequality"] == "gl-code-quality-report.json"
    assert config["svccat-diff"]["rules"] == [
        {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
