"""Every output format as its consumer reads it: SARIF against the official schema, GitHub
workflow commands, JUnit XML, GitLab code quality, and the text report with its excerpt."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from jsonschema.validators import validator_for

from svccat.report import REPORTERS
from tests.conftest import SHARED, run_svccat

SARIF_SCHEMA = SHARED / "vendor" / "sarif-schema-2.1.0.json"


def test_every_reporter_is_reachable_by_name() -> None:
    assert set(REPORTERS) == {"text", "json", "sarif", "github", "junit", "gitlab"}
    for name, reporter in REPORTERS.items():  # each imported when asked for, by its name
        assert reporter.name == name


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason="../shared/vendor not present")
def test_sarif_is_valid_against_the_official_schema(small: Path) -> None:
    done = run_svccat("lint", "--format", "sarif", cwd=small)
    assert done.returncode == 1
    sarif = json.loads(done.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = validator_for(schema)(schema)
    errors = list(validator.iter_errors(sarif))
    assert errors == [], [e.message for e in errors[:5]]
    run = sarif["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert {"G001", "L001", "Y001", "S001"} <= set(rule_ids)
    results = {r["ruleId"]: r for r in run["results"]}
    assert set(results) == {"G001", "L001", "H008"}
    g001 = results["G001"]
    assert g001["level"] == "warning" and results["H008"]["level"] == "note"
    location = g001["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "catalogue/items/370784-sfz.yaml"
    assert location["region"] == {"startLine": 3, "startColumn": 7}
    assert rule_ids[g001["ruleIndex"]] == "G001"
    assert g001["partialFingerprints"]["svccat/v1"]


def test_github_annotations_and_step_summary(small: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("previous step\n", encoding="utf-8")
    import os

    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary)}
    done = run_svccat("lint", "--format", "github", cwd=small, env=env)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert "::warning file=catalogue/items/370784-sfz.yaml,line=3,col=7,title=G001 unsplit-name::" \
        "名称并列了 2 个办理行为（补领、换领），应拆分为子项，每项一个办事指南" in lines
    assert any(line.startswith("::error file=catalogue/items/370784-sfz.yaml,line=2,") and
               "title=L001 no-setting-basis" in line for line in lines)
    assert any(line.startswith("::notice ") for line in lines)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("previous step\n## svccat lint")
    assert "| `G001` | unsplit-name | 1 |" in text


def test_github_escapes_newlines_and_separators() -> None:
    from svccat.report.github import _data, _property

    assert _data("a%b\nc") == "a%25b%0Ac"
    assert _property("a:b,c") == "a%3Ab%2Cc"


def test_junit(small: Path) -> None:
    done = run_svccat("lint", "--format", "junit", cwd=small)
    root = ET.fromstring(done.stdout)
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "3" and suite.get("failures") == "1"
    cases = suite.findall("testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    assert len(failed) == 1 and failed[0].get("name", "").startswith("L001 no-setting-basis")
    done = run_svccat("lint", "--format", "junit", "--fail-on", "info", cwd=small)
    assert ET.fromstring(done.stdout).find("testsuite").get("failures") == "3"  # type: ignore[union-attr]


def test_gitlab_code_quality(small: Path) -> None:
    done = run_svccat("lint", "--format", "gitlab", cwd=small)
    issues = json.loads(done.stdout)
    assert sorted(i["severity"] for i in issues) == ["info", "major", "minor"]
    g001 = next(i for i in issues if i["check_name"].startswith("G001"))
    assert g001["location"] == {"path": "catalogue/items/370784-sfz.yaml", "lines": {"begin": 3}}
    assert len(g001["fingerprint"]) == 32
    assert len({i["fingerprint"] for i in issues}) == 3


def test_text_shows_the_source_line_and_a_caret(small: Path) -> None:
    done = run_svccat("lint", cwd=small)
    lines = done.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "G001" in line)
    assert lines[at + 1].endswith("3 │ name: 居民身份证补领、换领")
    assert lines[at + 2].rstrip().endswith("│       ^")


def test_several_formats_each_to_its_file(small: Path) -> None:
    done = run_svccat("lint", "--format", "json", "--output", "out/a.json", "--format", "sarif",
                      "--output", "out/b.sarif", "--format", "text", cwd=small)
    assert done.returncode == 1
    assert json.loads((small / "out/a.json").read_text())["summary"]["errors"] == 1
    assert json.loads((small / "out/b.sarif").read_text())["version"] == "2.1.0"
    assert "G001" in done.stdout and not list((small / "out").glob(".*"))


def test_outputs_must_pair_with_formats(small: Path) -> None:
    done = run_svccat("lint", "--format", "json", "--format", "sarif", cwd=small)
    assert done.returncode == 2
    done = run_svccat("lint", "--output", "a.json", "--output", "b.json", cwd=small)
    assert done.returncode == 2


def test_fail_on_and_statistics(small: Path) -> None:
    (small / "svccat.toml").write_text('[lint]\nselect = ["G001", "H008"]\n', encoding="utf-8")
    assert run_svccat("lint", cwd=small).returncode == 0  # a warning and an info only
    assert run_svccat("lint", "--fail-on", "warning", cwd=small).returncode == 1
    assert run_svccat("lint", "--fail-on", "never", cwd=small).returncode == 2
    (small / "svccat.toml").write_text('[lint]\nselect = ["G001", "H008"]\nfail-on = "info"\n',
                                       encoding="utf-8")
    done = run_svccat("lint", "--statistics", "--lang", "en", cwd=small)
    assert done.returncode == 1
    rows = [line.split() for line in done.stdout.splitlines() if line.strip()]
    assert ["G001", "unsplit-name", "warning", "1"] in rows
    assert ["H008", "instant-not-online", "info", "1"] in rows
