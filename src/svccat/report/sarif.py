"""SARIF 2.1.0 for code scanning (GitHub, GitLab, IDEs), with every rule's metadata."""

from __future__ import annotations

import json
from typing import Any

from svccat import __version__
from svccat.lint import LintResult
from svccat.lintconfig import known_codes
from svccat.problems import Severity
from svccat.report.base import Reporter, code_doc, code_name, code_title, fingerprint

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
RULES_DOC = "https://github.com/svccat/svccat/blob/main/docs/rules.md"


class SarifReporter(Reporter):
    name = "sarif"
    suffix = ".sarif"

    def render(self, result: LintResult) -> str:
        codes = list(known_codes())
        index = {code: i for i, code in enumerate(codes)}
        defaults = known_codes()
        rules = [{
            "id": code,
            "name": code_name(code),
            "shortDescription": {"text": code_title(code).get(self.lang)},
            "fullDescription": {"text": code_doc(code).split("\n\n")[0] or
                                code_title(code).get(self.lang)},
            "help": {"text": code_doc(code) or code_title(code).get(self.lang)},
            "helpUri": f"{RULES_DOC}#{code.lower()}",
            "defaultConfiguration": {"level": _LEVEL[defaults[code]]},
        } for code in codes]
        results: list[dict[str, Any]] = []
        for p in result.problems:
            location: dict[str, Any] = {"artifactLocation": {"uri": p.file}}
            if p.line:
                location["region"] = {"startLine": p.line, "startColumn": p.column or 1}
            entry: dict[str, Any] = {
                "ruleId": p.code,
                "ruleIndex": index[p.code],
                "level": _LEVEL[p.severity],
                "message": {"text": p.message.get(self.lang)},
                "locations": [{"physicalLocation": location}],
                "partialFingerprints": {"svccat/v1": fingerprint(p)},
            }
            if p.item or p.path:
                entry["properties"] = {"item": p.item, "path": p.path}
            results.append(entry)
        payload = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {"name": "svccat", "version": __version__,
                                    "informationUri": "https://github.com/svccat/svccat",
                                    "rules": rules}},
                "results": results,
                "columnKind": "unicodeCodePoints",
            }],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
