"""Reporters by name: the CLI's --format choices come from REPORTERS."""

from __future__ import annotations

from svccat.report.base import Reporter
from svccat.report.json import JsonReporter
from svccat.report.text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
}

__all__ = ["REPORTERS", "Reporter"]
