"""Problems for a person: grouped by file, with the source line, coloured only on a terminal."""

from __future__ import annotations

import io
from collections import Counter
from functools import cache
from itertools import groupby

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from svccat.lint import LintResult
from svccat.problems import Problem, Severity
from svccat.report.base import Reporter, code_name, printable

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_LABEL = {
    "zh": {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"},
}


@cache
def _source_lines(file: str) -> list[str]:
    try:
        with open(file, encoding="utf-8") as handle:
            return handle.read().split("\n")
    except (OSError, UnicodeDecodeError):
        return []


def _excerpt(problem: Problem) -> RichText | None:
    if not problem.line:
        return None
    lines = _source_lines(problem.file)
    if problem.line > len(lines):
        return None
    source = printable(lines[problem.line - 1].rstrip())
    if not source.strip():
        return None
    text = RichText(f"{problem.line:>10} │ ", style="dim")
    text.append(source)
    if problem.column:
        prefix = source[: problem.column - 1]
        # CJK characters take two cells in a terminal
        width = sum(2 if ord(c) > 0x2E80 else 1 for c in prefix)
        text.append("\n" + " " * 10 + " │ " + " " * width + "^", style="bold red")
    return text


class TextReporter(Reporter):
    name = "text"

    def render(self, result: LintResult) -> str:
        console = Console(record=True, width=200, force_terminal=self.color,
                          color_system="standard" if self.color else None, soft_wrap=True,
                          file=io.StringIO())
        if self.statistics:
            self._statistics(console, result)
        else:
            self._problems(console, result)
        self._summary(console, result)
        return console.export_text(styles=self.color)

    def _problems(self, console: Console, result: LintResult) -> None:
        labels = _LABEL[self.lang]
        for file, group in groupby(result.problems, key=lambda p: p.file):
            console.print(RichText(printable(file), style="bold underline"))
            for p in group:
                where = f"{p.line}:{p.column or 1}" if p.line else "-"
                line = RichText("  ")
                line.append(f"{where:>8}  ", style="dim")
                line.append(f"{labels[p.severity]} ", style=_STYLE[p.severity])
                line.append(f"{p.code} ", style="bold")
                line.append(printable(p.message.get(self.lang)))
                if p.item:
                    line.append(f"  [{printable(p.item)}]", style="dim")
                console.print(line)
                excerpt = _excerpt(p)
                if excerpt is not None:
                    console.print(excerpt)
            console.print()

    def _statistics(self, console: Console, result: LintResult) -> None:
        counts = Counter((p.code, p.severity) for p in result.problems)
        table = Table(box=None, show_header=True, header_style="bold")
        for header in (("代码", "名称", "级别", "数量") if self.lang == "zh"
                       else ("code", "name", "severity", "count")):
            table.add_column(header)
        for (code, severity), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            table.add_row(code, code_name(code), _LABEL[self.lang][severity], str(count))
        console.print(table)
        console.print()

    def _summary(self, console: Console, result: LintResult) -> None:
        s = result.summary
        if self.lang == "en":
            summary = (f"{s.files} files, {s.items} items: {s.errors} errors, "
                       f"{s.warnings} warnings, {s.infos} infos")
            if result.suppressed or result.baselined:
                summary += f" ({result.suppressed} suppressed, {result.baselined} in the baseline)"
        else:
            summary = (f"检查了 {s.files} 个文件、{s.items} 个事项：{s.errors} 个错误，"
                       f"{s.warnings} 个警告，{s.infos} 个提示")
            if result.suppressed or result.baselined:
                summary += f"（已抑制 {result.suppressed} 个，基线中 {result.baselined} 个）"
        style = "bold red" if s.errors else ("yellow" if s.warnings else "bold green")
        console.print(RichText(summary, style=style))
