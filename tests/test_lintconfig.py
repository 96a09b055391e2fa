"""[tool.svccat.lint]: select, ignore, extend-select, severity, options, per-path ignores."""

from __future__ import annotations

import pytest

from svccat.lintconfig import ALL, LintSettings, SettingsError, parse_lint_settings
from svccat.problems import Severity


def test_default_enables_everything() -> None:
    settings = parse_lint_settings({})
    assert settings.enabled("G001") and settings.enabled("Y001") and settings.enabled("N004")
    assert settings.fail_on is Severity.ERROR


def test_most_specific_prefix_wins() -> None:
    settings = LintSettings(select=("G",), ignore=("G0",), extend_select=("G001",))
    assert settings.enabled("G001")
    assert not settings.enabled("G002")
    assert not settings.enabled("L001")
    assert LintSettings(select=(ALL,), ignore=("Q",)).enabled("H001")
    assert not LintSettings(select=(ALL,), ignore=("Q",)).enabled("Q001")


def test_severity_and_options() -> None:
    settings = parse_lint_settings({
        "severity": {"Q": "error", "Q001": "info"},
        "options": {"G002": {"threshold": 5}},
        "fail-on": "warning",
    })
    assert settings.severity_of("Q001") is Severity.INFO
    assert settings.severity_of("Q002") is Severity.ERROR
    assert settings.severity_of("G001") is Severity.WARNING
    assert settings.rule_options("G002") == {"threshold": 5, "ignore": ["委托", "代办", "代理", "监护"]}
    assert settings.fail_on is Severity.WARNING


def test_per_path_ignores() -> None:
    settings = parse_lint_settings({"per-path-ignores": {"items/370784/*": ["K", "Q001"]}})
    assert settings.ignored_at("K002", "items/370784/x.yaml")
    assert settings.ignored_at("Q001", "items/370784/x.yaml")
    assert not settings.ignored_at("Q002", "items/370784/x.yaml")
    assert not settings.ignored_at("K002", "items/370785/x.yaml")


@pytest.mark.parametrize(("table", "message"), [
    ({"selct": ["G"]}, "unknown setting lint.selct"),
    ({"select": ["Z9"]}, "unknown code 'Z9' in lint.select"),
    ({"ignore": "G001"}, "lint.ignore must be a list of codes"),
    ({"severity": {"G001": "fatal"}}, "must be error, warning or info"),
    ({"severity": {"Z": "error"}}, "unknown code 'Z'"),
    ({"options": {"G009": {"x": 1}}}, "unknown rule 'G009'"),
    ({"options": {"G002": {"treshold": 5}}}, "rule G002 has no option 'treshold'"),
    ({"options": {"G002": {"threshold": "5"}}}, "lint.options.G002.threshold must be an integer"),
    ({"options": {"G001": {"allow": [1]}}}, "lint.options.G001.allow must be a list of text"),
    ({"per-path-ignores": {"x/*": ["nope"]}}, "unknown code 'nope'"),
    ({"fail-on": "never"}, "lint.fail-on must be error, warning or info"),
])
def test_mistakes_are_errors(table: dict[str, object], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_lint_settings(table)
    assert message in caught.value.en
