"""GitLab code quality report (a JSON array of issues) for merge-request widgets."""

from __future__ import annotations

import json

from svccat.lint import LintResult
from svccat.problems import Severity
from svccat.report.base import Reporter, code_name, fingerprint

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


class GitlabReporter(Reporter):
    name = "gitlab"
    suffix = ".json"

    def render(self, result: LintResult) -> str:
        issues = [{
            "type": "issue",
            "description": f"{p.code} {p.message.get(self.lang)}",
            "check_name": f"{p.code} {code_name(p.code)}",
            "fingerprint": fingerprint(p),
            "severity": _SEVERITY[p.severity],
            "location": {"path": p.file, "lines": {"begin": p.line or 1}},
        } for p in result.problems]
        return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
