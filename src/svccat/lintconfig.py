"""[tool.svccat.lint] → LintSettings: which codes run, at what severity, with which options."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from svccat.problems import CODES, Severity
from svccat.rules import RULES

ALL = "ALL"
_KIND_NAMES = {int: ("整数", "an integer"), list: ("文本列表", "a list of text"),
               str: ("文本", "text"), bool: ("true 或 false", "true or false")}
_KEYS = ("select", "ignore", "extend-select", "severity", "options", "per-path-ignores", "fail-on")


@cache
def known_codes() -> Mapping[str, Severity]:
    """Every code svccat can report, with its default severity (asked once per problem, so
    built once)."""
    found = {code: info.severity for code, info in CODES.items()}
    found.update({code: rule.severity for code, rule in RULES.items()})
    return MappingProxyType(dict(sorted(found.items())))


class SettingsError(Exception):
    """A mistake in the lint settings; the caller turns it into a ConfigError with the file."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en


def _codes(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"lint.{key} 应为代码列表", f"lint.{key} must be a list of codes")
    codes = known_codes()
    for prefix in value:
        if prefix != ALL and not any(code.startswith(prefix) for code in codes):
            raise SettingsError(f"lint.{key} 中的代码“{prefix}”未知",
                                f"unknown code '{prefix}' in lint.{key}")
    return tuple(value)


def _specificity(code: str, prefixes: Iterable[str]) -> int:
    best = -1
    for prefix in prefixes:
        if prefix == ALL:
            best = max(best, 0)
        elif code.startswith(prefix):
            best = max(best, len(prefix))
    return best


@dataclass(frozen=True, kw_only=True)
class LintSettings:
    select: tuple[str, ...] = (ALL,)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    per_path_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    fail_on: Severity = Severity.ERROR

    def enabled(self, code: str) -> bool:
        """The most specific prefix wins, as in ruff: select G, ignore G0, select G001."""
        chosen = _specificity(code, (*self.select, *self.extend_select))
        return chosen >= 0 and chosen > _specificity(code, self.ignore)

    def severity_of(self, code: str) -> Severity:
        for prefix in sorted(self.severity, key=len, reverse=True):
            if code.startswith(prefix):
                return self.severity[prefix]
        return known_codes()[code]

    def rule_options(self, code: str) -> dict[str, Any]:
        return {**RULES[code].defaults(), **self.options.get(code, {})}

    def ignored_at(self, code: str, path: str) -> bool:
        return any(fnmatch.fnmatch(path, pattern) and _specificity(code, codes) >= 0
                   for pattern, codes in self.per_path_ignores.items())


def _severity(value: Any, where: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise SettingsError(f"{where} 应为 error、warning 或 info，而不是“{value}”",
                            f"{where} must be error, warning or info, not '{value}'") from None


def parse_lint_settings(table: Mapping[str, Any]) -> LintSettings:
    """Check every key, code, option and type; anything unknown is a SettingsError."""
    for key in table:
        if key not in _KEYS:
            raise SettingsError(f"未知配置项 lint.{key}（可用：{'、'.join(_KEYS)}）",
                                f"unknown setting lint.{key} (known: {', '.join(_KEYS)})")
    severity: dict[str, Severity] = {}
    for prefix, level in _table(table, "severity").items():
        _codes([prefix], "severity")
        severity[prefix] = _severity(level, f"lint.severity.{prefix}")
    options: dict[str, dict[str, Any]] = {}
    for code, given in _table(table, "options").items():
        rule = RULES.get(code)
        if rule is None:
            raise SettingsError(f"lint.options 中的规则“{code}”未知或没有选项",
                                f"lint.options: unknown rule '{code}'")
        if not isinstance(given, dict):
            raise SettingsError(f"lint.options.{code} 应为表", f"lint.options.{code} must be a table")
        for name, value in given.items():
            option = rule.options.get(name)
            if option is None:
                known = ", ".join(rule.options) or "none"
                raise SettingsError(f"规则 {code} 没有选项“{name}”（可用：{known}）",
                                    f"rule {code} has no option '{name}' (known: {known})")
            ok = isinstance(value, option.kind) and not (option.kind is int and isinstance(value, bool))
            if ok and option.kind is list:
                ok = all(isinstance(v, str) for v in value)
            if not ok:
                zh, en = _KIND_NAMES[option.kind]
                raise SettingsError(f"lint.options.{code}.{name} 应为{zh}",
                                    f"lint.options.{code}.{name} must be {en}")
        options[code] = dict(given)
    per_path = {pattern: _codes(codes, f"per-path-ignores.{pattern}")
                for pattern, codes in _table(table, "per-path-ignores").items()}
    return LintSettings(
        select=_codes(table["select"], "select") if "select" in table else (ALL,),
        extend_select=_codes(table.get("extend-select", []), "extend-select"),
        ignore=_codes(table.get("ignore", []), "ignore"),
        severity=severity, options=options, per_path_ignores=per_path,
        fail_on=_severity(table.get("fail-on", "error"), "lint.fail-on"))


def _table(table: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise SettingsError(f"lint.{key} 应为表", f"lint.{key} must be a table")
    return value
