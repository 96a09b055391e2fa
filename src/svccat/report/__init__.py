"""Reporters by name: the CLI's --format choices come from REPORTERS.

A reporter's module is imported when it is first asked for: the text reporter needs rich,
JUnit XML, and `svccat lint` starts on every commit (pre-commit) needing one of them."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from svccat.report.base import Reporter

_WHERE = {  # name → module and class, in the order --help lists them
    "text": ("svccat.report.text", "TextReporter"),
    "json": ("svccat.report.json", "JsonReporter"),
    "sarif": ("svccat.report.sarif", "SarifReporter"),
    "github": ("svccat.report.github", "GithubReporter"),
    "junit": ("svccat.report.junit", "JunitReporter"),
    "gitlab": ("svccat.report.gitlab", "GitlabReporter"),
}


class _Reporters(Mapping[str, type[Reporter]]):
    def __getitem__(self, name: str) -> type[Reporter]:
        module, attribute = _WHERE[name]
        reporter: type[Reporter] = getattr(importlib.import_module(module), attribute)
        return reporter

    def __iter__(self) -> Iterator[str]:
        return iter(_WHERE)

    def __len__(self) -> int:
        return len(_WHERE)


REPORTERS: Mapping[str, type[Reporter]] = _Reporters()

__all__ = ["REPORTERS", "Reporter"]
