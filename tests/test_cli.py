"""The command as a user and CI run it: exit codes, the JSON contract, paths, settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, lint_json, run_svccat

GOOD_ITEM = """id: 370000-a
name: 居民身份证首次申领
type: 公共服务
region: "370000"
department: 370000-gat
tier: main
status: draft
legal_basis:
  setting:
    - {document: sfzf, article: 第十条}
"""
# These tests are about the command, not the domain rules (tests/test_rules.py): only the
# file, schema, reference and suppression checks run.
FOUNDATION = '[lint]\nselect = ["Y", "S", "X", "N"]\n'
REGISTRIES = {
    "svccat.toml": FOUNDATION,
    "catalogue/registries/regions.yaml": "regions:\n  - {code: '370000', name: 山东省, level: province}\n",
    "catalogue/registries/departments.yaml":
        "departments:\n  - {id: 370000-gat, name: 山东省公安厅, region: '370000', system: 公安}\n",
    "catalogue/registries/legal-documents.yaml":
        "legal_documents:\n  - {id: sfzf, title: 中华人民共和国居民身份证法, issuer: 全国人大常委会,"
        " level: 法律, status: amended}\n",
}


@pytest.fixture
def project(write: Any) -> Path:
    return write({**REGISTRIES, "catalogue/items/370000-a.yaml": GOOD_ITEM})  # type: ignore[no-any-return]


def test_clean_catalogue_exits_0(project: Path) -> None:
    code, report = lint_json(cwd=project)
    assert code == 0
    assert report == {"problems": [], "summary": {"files": 4, "items": 1, "errors": 0,
                                                   "warnings": 0, "infos": 0}}


def test_json_contract(project: Path) -> None:
    (project / "catalogue/items/370000-b.yaml").write_text(
        GOOD_ITEM.replace("370000-a", "370000-b").replace("status: draft", "status: done"),
        encoding="utf-8")
    code, report = lint_json(cwd=project)
    assert code == 1
    (problem,) = report["problems"]
    assert list(problem) == ["code", "severity", "message", "file", "line", "column", "path", "item"]
    assert problem == {"code": "S004", "severity": "error", "message": problem["message"],
                       "file": "catalogue/items/370000-b.yaml", "line": 7, "column": 9,
                       "path": "/status", "item": "370000-b"}
    assert "不允许" in problem["message"]
    assert report["summary"] == {"files": 5, "items": 2, "errors": 1, "warnings": 0, "infos": 0}


def test_english_messages(project: Path) -> None:
    (project / "catalogue/items/370000-a.yaml").write_text(GOOD_ITEM + "colour: red\n",
                                                           encoding="utf-8")
    done = run_svccat("lint", "--format", "json", "--lang", "en", cwd=project)
    assert json.loads(done.stdout)["problems"][0]["message"] == "unknown key 'colour'"


def test_text_output_groups_by_file_without_colour_when_piped(project: Path) -> None:
    (project / "catalogue/items/370000-a.yaml").write_text(GOOD_ITEM + "colour: red\n",
                                                           encoding="utf-8")
    done = run_svccat("lint", cwd=project)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0] == "catalogue/items/370000-a.yaml"
    assert "11:1" in lines[1] and "S002" in lines[1] and "未知字段“colour”" in lines[1]
    assert "\x1b[" not in done.stdout
    assert "1 个错误" in lines[-1]


def test_lint_paths_reports_only_those_files_but_resolves_against_all(project: Path) -> None:
    child = GOOD_ITEM.replace("370000-a", "370000-c").replace("tier: main", "tier: handling\n"
                                                              "parent: 370000-a")
    broken = GOOD_ITEM.replace("370000-a", "370000-d").replace("region: \"370000\"",
                                                               "region: \"370999\"")
    (project / "catalogue/items/370000-c.yaml").write_text(child, encoding="utf-8")
    (project / "catalogue/items/370000-d.yaml").write_text(broken, encoding="utf-8")
    code, report = lint_json("catalogue/items/370000-c.yaml", cwd=project)
    assert (code, report["problems"], report["summary"]["files"]) == (0, [], 1)
    code, report = lint_json("catalogue/items/370000-d.yaml", cwd=project)
    assert code == 1 and [p["code"] for p in report["problems"]] == ["X002"]


def test_catalogue_option_and_settings_file(project: Path) -> None:
    (project / "catalogue").rename(project / "lists")
    assert run_svccat("lint", cwd=project).returncode == 2
    assert lint_json("--catalogue", "lists", cwd=project)[0] == 0
    (project / "svccat.toml").write_text('catalogue = "lists"\nlang = "en"\n' + FOUNDATION)
    assert lint_json(cwd=project)[0] == 0
    (project / "svccat.toml").unlink()
    (project / "pyproject.toml").write_text('[tool.svccat]\ncatalogue = "lists"\n'
                                            '[tool.svccat.lint]\nselect = ["Y", "S", "X"]\n')
    assert lint_json(cwd=project)[0] == 0


@pytest.mark.parametrize(("settings", "message"), [
    ('catalog = "x"\n', "unknown setting 'catalog'"),
    ("max_file_size = \"big\"\n", "setting 'max_file_size' must be an integer"),
    ('lang = "fr"\n', "lang must be zh or en"),
    ("catalogue = [\n", "invalid TOML"),
    ('[lint]\nselect = ["G999"]\n', "unknown code 'G999' in lint.select"),
    ('[lint]\nfail_on = "warning"\n', "unknown setting lint.fail_on"),
    ('[lint.options.G002]\nthreshold = "many"\n', "lint.options.G002.threshold must be an integer"),
    ('lint = 3\n', "setting 'lint' must be a table"),
])
def test_bad_settings_exit_2_with_file_and_key(project: Path, settings: str, message: str) -> None:
    (project / "svccat.toml").write_text(settings)
    done = run_svccat("lint", "--lang", "en", cwd=project)
    assert done.returncode == 2
    assert "svccat.toml" in done.stderr and message in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


@pytest.mark.parametrize("args", [["lint", "--no-such-option"], ["lint", "--format", "xml"],
                                  ["lint", "missing.yaml"], ["lint", "--catalogue", "nowhere"],
                                  ["frobnicate"]])
def test_usage_errors_exit_2(project: Path, args: list[str]) -> None:
    done = run_svccat(*args, cwd=project)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stderr


def test_path_outside_the_catalogue_is_a_usage_error(project: Path) -> None:
    (project / "other.yaml").write_text("id: x\n")
    done = run_svccat("lint", "--lang", "en", "other.yaml", cwd=project)
    assert done.returncode == 2 and "not inside the catalogue" in done.stderr


def test_version() -> None:
    done = run_svccat("--version", cwd=REPO)
    assert done.returncode == 0 and done.stdout.startswith("svccat ")
