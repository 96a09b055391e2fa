"""The JSON contract of `svccat lint --format json` (docs/output.md)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from svccat.lint import LintResult
from svccat.report.base import Reporter


class JsonReporter(Reporter):
    name = "json"
    suffix = ".json"

    def render(self, result: LintResult) -> str:
        payload: dict[str, Any] = {
            "problems": [
                {"code": p.code, "severity": p.severity.value, "message": p.message.get(self.lang),
                 "file": p.file, "line": p.line, "column": p.column, "path": p.path,
                 "item": p.item}
                for p in result.problems
            ],
            "summary": asdict(result.summary),
        }
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
