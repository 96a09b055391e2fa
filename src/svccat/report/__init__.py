"""Reporters by name: the CLI's --format choices come from REPORTERS."""

from __future__ import annotations

from svccat.report.base import Reporter
from svccat.report.github import GithubReporter
from svccat.report.gitlab import GitlabReporter
from svccat.report.json import JsonReporter
from svccat.report.junit import JunitReporter
from svccat.report.sarif import SarifReporter
from svccat.report.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    reporter.name: reporter
    for reporter in (TextReporter, JsonReporter, SarifReporter, GithubReporter, JunitReporter,
                     GitlabReporter)
}

__all__ = ["REPORTERS", "Reporter"]
