"""Problems for a person: grouped by file, coloured only on a terminal."""

from __future__ import annotations

import io
from itertools import groupby

from rich.console import Console
from rich.text import Text as RichText

from svccat.lint import LintResult
from svccat.problems import Severity
from svccat.report.base import Reporter

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_LABEL = {
    "zh": {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"},
    "en": {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"},
}


class TextReporter(Reporter):
    name = "text"

    def render(self, result: LintResult) -> str:
        console = Console(record=True, width=200, force_terminal=self.color,
                          color_system="standard" if self.color else None, soft_wrap=True,
                          file=io.StringIO())
        labels = _LABEL[self.lang]
        for file, group in groupby(result.problems, key=lambda p: p.file):
            console.print(RichText(file, style="bold underline"))
            for p in group:
                where = f"{p.line}:{p.column or 1}" if p.line else "-"
                line = RichText("  ")
                line.append(f"{where:>8}  ", style="dim")
                line.append(f"{labels[p.severity]} ", style=_STYLE[p.severity])
                line.append(f"{p.code} ", style="bold")
                line.append(p.message.get(self.lang))
                if p.item:
                    line.append(f"  [{p.item}]", style="dim")
                console.print(line)
            console.print()
        s = result.summary
        if self.lang == "en":
            summary = (f"{s.files} files, {s.items} items: {s.errors} errors, "
                       f"{s.warnings} warnings, {s.infos} infos")
        else:
            summary = (f"检查了 {s.files} 个文件、{s.items} 个事项：{s.errors} 个错误，"
                       f"{s.warnings} 个警告，{s.infos} 个提示")
        style = "bold red" if s.errors else ("yellow" if s.warnings else "bold green")
        console.print(RichText(summary, style=style))
        return console.export_text(styles=self.color)
