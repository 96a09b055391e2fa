"""`svccat new`: from flags, from a baseline item (--implements), from answers on a terminal;
what it writes is where the layout says, schema-valid, and never over an existing file."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from svccat.cli import app
from svccat.loader import load_text
from svccat.schema import Kind, validate
from tests.conftest import REPO, lint_json, run_svccat

SCHEMA_LINE = "# yaml-language-server: $schema=../../../schemas/item.schema.json\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository from svccat init: one region (370784), one department (370784-zfb)."""
    target = tmp_path / "repo"
    done = run_svccat("init", str(target), "--region", "370784", "--region-name", "安丘市",
                      cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return target


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the bundled sample catalogue, without Changle's (370725) implementation of
    the provincial 居民身份证补领 (370000-ga-sfz-bl)."""
    shutil.copytree(REPO / "catalogue", tmp_path / "catalogue")
    (tmp_path / "catalogue/items/370725/370725-ga-sfz-bl.yaml").unlink()
    return tmp_path


def _item(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith(SCHEMA_LINE)
    loaded = load_text(text, str(path))
    assert loaded.document is not None and not loaded.problems
    assert validate(loaded.document, Kind.ITEM) == []
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _codes(report: dict[str, Any], file: str) -> list[str]:
    return [p["code"] for p in report["problems"] if p["file"] == file]


def test_flags_make_a_schema_valid_item_that_lint_asks_to_complete(repo: Path) -> None:
    done = run_svccat("new", "--name", "政府信息公开申请（信件）", "--type", "公共服务",
                      "--handling-type", "承诺件", "--statutory-days", "20",
                      "--committed-days", "15", cwd=repo)
    assert done.returncode == 0, done.stderr
    file = "catalogue/items/370784/370784-zfb-1.yaml"
    assert f"已创建 {file}" in done.stdout
    data = _item(repo / file)
    assert data == {
        "id": "370784-zfb-1", "name": "政府信息公开申请（信件）", "type": "公共服务",
        "region": "370784", "department": "370784-zfb", "exercise_level": "county",
        "tier": "main", "handling_type": "承诺件",
        "statutory_limit": {"days": 20, "unit": "工作日"},
        "committed_limit": {"days": 15, "unit": "工作日"}, "status": "draft"}
    assert run_svccat("fmt", "--check", file, cwd=repo).returncode == 0  # fmt's layout
    code, report = lint_json(cwd=repo)
    assert code == 1
    codes = _codes(report, file)
    assert "L001" in codes and "H007" in codes  # no legal basis, no channel: lint says so
    assert not [c for c in codes if c[0] in "YSX"]


def test_all_flags_in_the_sample(sample: Path) -> None:
    done = run_svccat(
        "new", "--name", "居民身份证补领（加急）", "--type", "行政确认", "--region", "370725",
        "--department", "370725-gaj", "--tier", "业务办理项", "--parent", "370725-ga-sfz",
        "--situation", "急需用证", "--id", "370725-ga-sfz-jj", "--handling-type", "承诺件",
        "--statutory-days", "60", "--committed-days", "7", "--unit", "自然日", cwd=sample)
    assert done.returncode == 0, done.stderr
    data = _item(sample / "catalogue/items/370725/370725-ga-sfz-jj.yaml")
    assert {k: data[k] for k in ("tier", "parent", "situation", "committed_limit")} == {
        "tier": "handling", "parent": "370725-ga-sfz", "situation": "急需用证",
        "committed_limit": {"days": 7, "unit": "自然日"}}


def test_implements_copies_what_a_county_adopts(sample: Path) -> None:
    done = run_svccat("new", "--implements", "370000-ga-sfz-bl", "--region", "370725",
                      cwd=sample)
    assert done.returncode == 0, done.stderr
    file = "catalogue/items/370725/370725-ga-sfz-bl.yaml"
    data = _item(sample / file)
    baseline = yaml.safe_load((sample / "catalogue/items/370000/370000-ga-sfz-bl.yaml")
                              .read_text(encoding="utf-8"))
    adopted = ("name", "type", "legal_basis", "conditions", "materials", "handling_type",
               "statutory_limit", "committed_limit", "tier", "situation", "service_object",
               "fees", "result")
    assert {k: data[k] for k in adopted} == {k: baseline[k] for k in adopted}
    assert data["implements"] == "370000-ga-sfz-bl"
    assert data["parent"] == "370725-ga-sfz"  # Changle's own 居民身份证, not the province's
    assert data["department"] == "370725-gaj"  # Changle's 公安 department
    assert data["exercise_level"] == "county" and data["status"] == "draft"
    for local in ("channels", "contacts", "faq", "review", "implementing_levels"):
        assert local not in data
    assert "codes" not in data  # the baseline has only a provincial handling code
    assert run_svccat("fmt", "--check", file, cwd=sample).returncode == 0
    # What the county must fill in is what lint reports, and nothing else.
    code, report = lint_json(file, cwd=sample)
    assert code == 1 and _codes(report, file) == ["H007"]


def test_implements_leaves_a_todo_where_the_region_has_no_such_department(sample: Path) -> None:
    done = run_svccat("new", "--implements", "370000-ga-sfz-bl", "--region", "370784001",
                      cwd=sample)
    assert done.returncode == 0, done.stderr
    file = "catalogue/items/370784001/370784001-ga-sfz-bl.yaml"
    text = (sample / file).read_text(encoding="utf-8")
    assert "department: todo-department  # TODO" in text
    assert "TODO 上级事项：本区划尚未实施 370000-ga-sfz" in text
    data = _item(sample / file)
    assert "parent" not in data and data["exercise_level"] == "town"
    _, report = lint_json(file, cwd=sample)
    assert sorted(_codes(report, file)) == ["H007", "X003"]


def test_implements_refuses_a_second_implementation(sample: Path) -> None:
    done = run_svccat("new", "--implements", "370000-ga-sfz-hl", "--region", "370725",
                      cwd=sample)
    assert done.returncode == 2
    assert "370725-ga-sfz-hl" in done.stderr and "已经实施" in done.stderr


@pytest.mark.parametrize(("args", "named"), [
    (["--implements", "370000-nope", "--region", "370725"], "370000-nope"),
    (["--implements", "370000-ga-sfz-bl", "--region", "370725", "--name", "x"], "--name"),
    (["--implements", "370000-ga-sfz-bl", "--region", "370000"], "--region"),
    (["--name", "x", "--type", "许可", "--region", "370725", "--department", "370725-gaj"],
     "--type"),
    (["--name", "x", "--type", "公共服务", "--region", "370725", "--department", "370784-gaj"],
     "370784-gaj"),
    (["--name", "x", "--type", "公共服务", "--region", "370725", "--department", "370725-gaj",
      "--parent", "370725-ga-sfz"], "--tier"),
    (["--name", "x", "--type", "公共服务", "--region", "370725", "--department", "370725-gaj",
      "--id", "Bad Id"], "--id"),
    (["--yes", "--interactive"], "--interactive"),
])
def test_mistakes_exit_2_naming_the_flag(sample: Path, args: list[str], named: str) -> None:
    done = run_svccat("new", *args, cwd=sample)
    assert done.returncode == 2, done.stdout
    assert named in done.stderr
    assert not (sample / "catalogue/items/370725/370725-ga-sfz-bl.yaml").exists()


def test_without_a_terminal_missing_flags_exit_2_naming_all_of_them(sample: Path) -> None:
    done = run_svccat("new", "--name", "某事项", "--lang", "en", cwd=sample)
    assert done.returncode == 2
    assert done.stderr.startswith("svccat: error: missing required options: --type (")
    assert "--region (370000 | 370700" in done.stderr and "--department" in done.stderr
    assert "--name" not in done.stderr.split("options:", 1)[1]


def test_yes_uses_the_only_region_and_department(repo: Path) -> None:
    done = run_svccat("new", "--yes", "--name", "某事项", cwd=repo)
    assert done.returncode == 2 and "--type" in done.stderr and "--region" not in done.stderr
    done = run_svccat("new", "--yes", "--name", "某事项", "--type", "行政许可", cwd=repo)
    assert done.returncode == 0, done.stderr


def test_refuses_to_overwrite(repo: Path) -> None:
    taken = run_svccat("new", "--name", "x", "--type", "公共服务", "--id", "370784-zwgk-ysqgk",
                       cwd=repo)
    assert taken.returncode == 2 and "370784-zwgk-ysqgk" in taken.stderr
    # A file at the path that is not (yet) a readable item is not overwritten either.
    stray = repo / "catalogue/items/370784/370784-zfb-9.yaml"
    stray.write_text("half-written: [\n", encoding="utf-8")
    done = run_svccat("new", "--name", "x", "--type", "公共服务", "--id", "370784-zfb-9",
                      cwd=repo)
    assert done.returncode == 2 and "370784-zfb-9.yaml" in done.stderr
    assert stray.read_text(encoding="utf-8") == "half-written: [\n"


def test_interactive_answers(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    answers = [
        "政府信息公开申请（当面）",  # name
        "9",                        # type: no such number: asked again
        "7",                        # type: 公共服务
        "",                         # region: the default, the only one
        "",                         # department: the default, the only one
        "",                         # tier: main
        "2",                        # handling type: 承诺件
        "20",                       # statutory days
        "abc",                      # committed days: not a number, asked again
        "10",                       # committed days
        "",                         # unit: 工作日
        "370784-zfb-dangmian",      # id
    ]
    result = CliRunner().invoke(app, ["new", "--interactive"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "事项类型" in result.output and "7) 公共服务" in result.output
    data = _item(repo / "catalogue/items/370784/370784-zfb-dangmian.yaml")
    assert (data["name"], data["type"], data["handling_type"]) == (
        "政府信息公开申请（当面）", "公共服务", "承诺件")
    assert data["statutory_limit"] == {"days": 20, "unit": "工作日"}
    assert data["committed_limit"] == {"days": 10, "unit": "工作日"}


def test_interactive_implements_chooses_among_departments(repo: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = repo / "catalogue/registries"
    regions = (catalogue / "regions.yaml").read_text(encoding="utf-8")
    (catalogue / "regions.yaml").write_text(regions + "- {code: \"370784001\", name: 兴安街道, "
                                            "level: town, parent: \"370784\"}\n", encoding="utf-8")
    departments = (catalogue / "departments.yaml").read_text(encoding="utf-8")
    (catalogue / "departments.yaml").write_text(departments + "".join(
        f"- {{id: 370784001-{d}, name: 兴安街道{d}, region: \"370784001\", system: 政府办公}}\n"
        for d in ("dzb", "bmfw")), encoding="utf-8")
    monkeypatch.chdir(repo)
    args = ["new", "--implements", "370784-zwgk-ysqgk", "--region", "370784001"]
    ambiguous = run_svccat(*args, cwd=repo)
    assert ambiguous.returncode == 2
    assert "--department（370784001-bmfw | 370784001-dzb）" in ambiguous.stderr
    result = CliRunner().invoke(app, [*args, "--interactive"], input="2\n\n")
    assert result.exit_code == 0, result.output
    data = _item(repo / "catalogue/items/370784001/370784001-zwgk-ysqgk.yaml")
    assert data["department"] == "370784001-dzb" and data["implements"] == "370784-zwgk-ysqgk"


def test_a_terminal_is_asked_without_any_flag(repo: Path) -> None:
    """A real terminal (a pty): no --interactive needed; the prompts are in Chinese."""
    # name, type, region, department, tier, handling type 即办件, statutory days, id
    answers = ["居民身份证首次申领", "行政确认", "", "", "", "1", "", "370784-zfb-sfz"]
    primary, secondary = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "svccat", "new"], cwd=repo,
                               stdin=secondary, stdout=secondary, stderr=secondary,
                               env={**os.environ, "SVCCAT_LANG": "zh"}, close_fds=True)
    os.close(secondary)
    os.write(primary, ("\n".join(answers) + "\n").encode())
    seen = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 1)
        if ready:
            try:
                chunk = os.read(primary, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        elif process.poll() is not None:
            break
    os.close(primary)
    assert process.wait(timeout=30) == 0, seen.decode(errors="replace")
    shown = seen.decode(errors="replace")
    assert "事项名称" in shown and "实施部门" in shown and "办件类型" in shown
    data = _item(repo / "catalogue/items/370784/370784-zfb-sfz.yaml")
    assert (data["name"], data["handling_type"]) == ("居民身份证首次申领", "即办件")
    assert "committed_limit" not in data  # an instant item is not asked for a committed limit
