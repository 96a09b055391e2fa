"""GitHub Actions workflow commands, and a Markdown summary for $GITHUB_STEP_SUMMARY.

GitHub shows only ten annotations of each kind per step, so the step summary lists every
problem count per rule and the first problems in full.
"""

from __future__ import annotations

import html
from collections import Counter

from svccat.lint import LintResult
from svccat.problems import Severity
from svccat.report.base import Reporter, code_name, printable

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
SUMMARY_ROWS = 50


def _data(text: str) -> str:
    # Line ends have GitHub's own escapes; other control characters are shown, not obeyed.
    return printable(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _code(text: str) -> str:
    """A file name as a Markdown code span, or as escaped text when it would end the span
    or the table cell (a name may hold any character but / and NUL)."""
    shown = printable(text)
    if "`" in shown or "|" in shown:
        return html.escape(shown, quote=False).replace("|", "\\|").replace("`", "&#96;")
    return f"`{shown}`"


class GithubReporter(Reporter):
    name = "github"

    def render(self, result: LintResult) -> str:
        lines = []
        for p in result.problems:
            props = [f"file={_property(p.file)}"]
            if p.line:
                props += [f"line={p.line}", f"col={p.column or 1}"]
            props.append(f"title={_property(f'{p.code} {code_name(p.code)}')}")
            lines.append(f"::{_COMMAND[p.severity]} {','.join(props)}::"
                         f"{_data(p.message.get(self.lang))}")
        return "\n".join(lines) + ("\n" if lines else "")

    def step_summary(self, result: LintResult) -> str:
        s = result.summary
        zh = self.lang == "zh"
        out = ["## svccat lint", ""]
        out.append(f"检查了 {s.files} 个文件、{s.items} 个事项：**{s.errors}** 个错误，"
                   f"**{s.warnings}** 个警告，{s.infos} 个提示" if zh else
                   f"{s.files} files, {s.items} items: **{s.errors}** errors, "
                   f"**{s.warnings}** warnings, {s.infos} infos")
        out.append("")
        if not result.problems:
            return "\n".join(out) + "\n"
        counts = Counter(p.code for p in result.problems)
        out += ["| 代码 | 名称 | 数量 |" if zh else "| code | name | count |", "|---|---|---:|"]
        out += [f"| `{code}` | {code_name(code)} | {n} |" for code, n in sorted(counts.items())]
        out += ["", "| 文件 | 行 | 代码 | 说明 |" if zh else "| file | line | code | message |",
                "|---|---:|---|---|"]
        for p in result.problems[:SUMMARY_ROWS]:
            # Markdown rendered as HTML: catalogue text must not open or close tags.
            message = html.escape(printable(p.message.get(self.lang)), quote=False).replace("|", "\\|")
            out.append(f"| {_code(p.file)} | {p.line or ''} | `{p.code}` | {message} |")
        rest = len(result.problems) - SUMMARY_ROWS
        if rest > 0:
            out += ["", f"……另有 {rest} 个问题（见完整输出）" if zh else
                    f"... and {rest} more problems (see the full output)"]
        return "\n".join(out) + "\n"
