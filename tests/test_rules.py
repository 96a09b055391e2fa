"""Every rule against its case files: failing and passing inputs, code, file, line and path.

A case file `tests/cases/rules/CODE.yaml` lists cases; each writes `files` into a catalogue
that already holds the registries of `_registries/` (a case may replace one), runs lint with
only that rule selected (plus the case's `settings`), and expects exactly `expect`.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from svccat.config import load_config
from svccat.lint import lint
from svccat.rules import RULES
from tests.conftest import CASES

RULE_CASES = CASES / "rules"


def _cases() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(RULE_CASES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert spec["rule"] == path.stem, path
        for case in spec["cases"]:
            found.append((path.stem, case))
    return found


CASE_LIST = _cases()


def test_every_rule_has_failing_and_passing_cases() -> None:
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for code, case in CASE_LIST:
        by_rule.setdefault(code, []).append(case)
    assert set(by_rule) == set(RULES), "each rule needs tests/cases/rules/CODE.yaml"
    for code, cases in by_rule.items():
        assert any(c["expect"] for c in cases), f"{code}: no failing case"
        assert any(not c["expect"] for c in cases), f"{code}: no passing case"


def _toml(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{k}" = {_toml(v)}' for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


@pytest.mark.parametrize(("code", "case"), CASE_LIST,
                         ids=[f"{code}-{i}" for i, (code, _) in enumerate(CASE_LIST)])
def test_rule_case(code: str, case: dict[str, Any], tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "catalogue"
    shutil.copytree(RULE_CASES / "_registries", root / "registries")
    for name, content in case["files"].items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    settings = {"select": [code], **case.get("settings", {})}
    lines = ["[lint]"] + [f"{key} = {_toml(value)}" for key, value in settings.items()]
    (tmp_path / "svccat.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = lint(load_config(cwd=tmp_path))
    got = [{"file": p.file.removeprefix("catalogue/"), "line": p.line, "path": p.path}
           for p in result.problems]
    assert all(p.code == code for p in result.problems), [p.message.en for p in result.problems]
    expected = [{"file": e["file"], "line": e["line"], "path": e["path"]} for e in case["expect"]]
    assert sorted(got, key=str) == sorted(expected, key=str), case["name"]
    for want, problem in zip(case["expect"], result.problems, strict=False):
        if "message" in want:
            assert any(want["message"] in p.message.zh for p in result.problems), want
        assert problem.message.zh and problem.message.en
