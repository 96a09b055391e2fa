"""Diff and matrix reporters by name: text (terminal), markdown (pull-request comment), json
(with fingerprints), html (a side-by-side page)."""

from __future__ import annotations

import html
import io
import json
from abc import ABC, abstractmethod
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from svccat.diff.compare import CatalogueDiff, Change
from svccat.diff.kinds import EFFECT_LABELS, KINDS, Effect
from svccat.diff.matrix import Matrix, State
from svccat.report.base import printable

GITHUB_COMMENT_LIMIT = 65_000
SHOWN_FIRST = 40
_STATE = {
    "zh": {State.IMPLEMENTED: "✓", State.MISSING: "✗ 缺少", State.DEVIATING: "≠ 不一致",
           State.EXTRA: "+ 自有", State.ABSENT: ""},
    "en": {State.IMPLEMENTED: "✓", State.MISSING: "✗ missing", State.DEVIATING: "≠ deviating",
           State.EXTRA: "+ local", State.ABSENT: ""},
}
_EFFECT_STYLE = {Effect.BURDEN_UP: "bold red", Effect.LEGAL: "magenta", Effect.STRUCTURE: "cyan",
                 Effect.BURDEN_DOWN: "green", Effect.EDITORIAL: "dim"}


def describe(change: Change, lang: str) -> str:
    """One line for a person: the kind, where, and before → after."""
    title = KINDS[change.kind].title.get(lang)
    parts = [title]
    if change.field:
        parts.append(change.field)
    if change.before is not None or change.after is not None:
        parts.append(f"{change.before or '∅'} → {change.after or '∅'}")
    text = "：".join(parts) if lang == "zh" else ": ".join(parts)
    if change.note:
        text += f"（相似度 {change.note}）" if lang == "zh" else f" (similarity {change.note})"
    return text


class DiffReporter(ABC):
    name: str

    def __init__(self, *, lang: str, color: bool = False) -> None:
        self.lang = lang
        self.color = color

    @abstractmethod
    def render(self, diff: CatalogueDiff) -> str: ...

    @abstractmethod
    def render_matrix(self, matrix: Matrix) -> str: ...

    def label(self, effect: Effect) -> str:
        return EFFECT_LABELS[effect].get(self.lang)


class TextDiffReporter(DiffReporter):
    name = "text"

    def _console(self) -> Console:
        return Console(record=True, width=160, force_terminal=self.color,
                       color_system="standard" if self.color else None, file=io.StringIO())

    def render(self, diff: CatalogueDiff) -> str:
        console = self._console()
        console.print(RichText(printable(f"{diff.old_label} → {diff.new_label}"), style="bold"))
        counts = diff.by_effect()
        console.print("  ".join(f"{self.label(e)} {counts[e]}" for e in Effect))
        console.print()
        current = None
        for change in diff.ordered():
            if change.subject != current:
                current = change.subject
                console.print(RichText(printable(change.subject), style="bold underline"))
            line = RichText("  ")
            line.append(f"[{self.label(change.effect)}] ", style=_EFFECT_STYLE[change.effect])
            line.append(printable(describe(change, self.lang)))
            console.print(line)
        if not diff.changes:
            console.print("没有差异" if self.lang == "zh" else "no differences")
        return console.export_text(styles=self.color)

    def render_matrix(self, matrix: Matrix) -> str:
        console = self._console()
        table = Table(show_lines=False)
        table.add_column("基本目录事项" if self.lang == "zh" else "baseline item")
        for region in matrix.regions:
            table.add_column(RichText(printable(region.name)))
        states = _STATE[self.lang]
        for row in matrix.rows:  # names as plain text: "[...]" in a name is not rich markup
            table.add_row(RichText(printable(row.name)), *(RichText(printable(
                states[c.state] + (f" {'；'.join(c.notes)}" if c.notes else ""))) for c in row.cells))
        console.print(table)
        return console.export_text(styles=self.color)


class MarkdownDiffReporter(DiffReporter):
    """A pull-request comment: the summary first, burden up first, the rest folded, always
    under GitHub's comment size limit."""

    name = "markdown"

    def render(self, diff: CatalogueDiff) -> str:
        zh = self.lang == "zh"
        counts = diff.by_effect()
        out = [f"### svccat diff：{diff.old_label} → {diff.new_label}" if zh else
               f"### svccat diff: {diff.old_label} → {diff.new_label}", ""]
        if not diff.changes:
            return "\n".join([*out, "没有差异。" if zh else "No differences.", ""])
        out += ["| " + " | ".join(self.label(e) for e in Effect) + " |",
                "|" + "---:|" * len(Effect),
                "| " + " | ".join(str(counts[e]) for e in Effect) + " |", ""]
        departments = diff.by_department()
        out += [f"| {'部门（系统）' if zh else 'department'} | " +
                " | ".join(self.label(e) for e in Effect) + " |",
                "|---|" + "---:|" * len(Effect)]
        out += [f"| {_cell(name)} | " + " | ".join(str(c[e]) for e in Effect) + " |"
                for name, c in departments.items()]
        out.append("")
        ordered = diff.ordered()
        used = len("\n".join(out))
        head: list[Change] = []
        for change in ordered[:SHOWN_FIRST]:  # however long the rows, at most half the limit
            used += len(self._row(change)) + 1
            if used > GITHUB_COMMENT_LIMIT // 2:
                break
            head.append(change)
        rest = ordered[len(head):]
        out += self._table(head)
        body = "\n".join(out)
        used, folded, omitted = len(body), [], 0
        for effect in Effect:
            group = [c for c in rest if c.effect is effect]
            if group:
                block, left_out = self._fold(group, effect, GITHUB_COMMENT_LIMIT - used - 600)
                if block:
                    folded.append(block)
                    used += len(block) + 1
                omitted += left_out
        result = body + "\n" + "\n".join(folded)
        if omitted:
            note = (f"另有 {omitted} 项变化未显示（评论长度有限），完整内容见 `--format json` 输出。"
                    if zh else f"{omitted} more changes are not shown (comment size limit); "
                    "the full list is in the `--format json` output.")
            result += f"\n{note}\n"
        return result

    def _fold(self, group: list[Change], effect: Effect, budget: int) -> tuple[str, int]:
        """A folded block of as many rows as fit in budget characters, and how many did not."""
        opening = [f"<details><summary>{self.label(effect)}（{len(group)}）</summary>", "",
                   *self._table([])]
        closing = ["</details>", ""]
        used = sum(len(line) + 1 for line in (*opening, *closing))
        rows: list[str] = []
        for change in group:
            row = self._row(change)
            if used + len(row) + 1 > budget:
                break
            rows.append(row)
            used += len(row) + 1
        if not rows:
            return "", len(group)
        return "\n".join([*opening, *rows, *closing]), len(group) - len(rows)

    def _table(self, changes: list[Change]) -> list[str]:
        zh = self.lang == "zh"
        header = ["| " + " | ".join(("类别", "事项", "变化") if zh else ("effect", "item", "change")) + " |",
                  "|---|---|---|"]
        return [*header, *(self._row(c) for c in changes), ""] if changes else header

    def _row(self, change: Change) -> str:
        # The comment is rendered as HTML too: catalogue text must not open or close tags.
        return f"| {self.label(change.effect)} | `{change.subject}` | {_cell(describe(change, self.lang))} |"

    def render_matrix(self, matrix: Matrix) -> str:
        states = _STATE[self.lang]
        out = ["| " + ("基本目录事项" if self.lang == "zh" else "baseline item") + " | " +
               " | ".join(_cell(r.name) for r in matrix.regions) + " |",
               "|---|" + "---|" * len(matrix.regions)]
        for row in matrix.rows:
            cells = [states[c.state] + (f" {'；'.join(c.notes)}" if c.notes else "") for c in row.cells]
            out.append("| " + " | ".join(_cell(cell) for cell in [row.name, *cells]) + " |")
        return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    """Catalogue text in a Markdown table cell. The comment is rendered as HTML too: the text
    must not open or close tags (`</details>`), end the cell or the row."""
    return html.escape(text, quote=False).replace("|", "\\|").replace("\r", " ").replace("\n", " ")


class JsonDiffReporter(DiffReporter):
    name = "json"

    def render(self, diff: CatalogueDiff) -> str:
        counts = diff.by_effect()
        payload: dict[str, Any] = {
            "old": diff.old_label, "new": diff.new_label,
            "summary": {e.value: counts[e] for e in Effect},
            "departments": {name: {e.value: c[e] for e in Effect}
                            for name, c in diff.by_department().items()},
            "matches": [{"old": p.old.id if p.old else None, "new": p.new.id if p.new else None,
                         "how": p.how or None, "score": p.score} for p in diff.changed_pairs()],
            "changes": [{"fingerprint": c.fingerprint, "kind": c.kind, "effect": c.effect.value,
                         "item": c.subject, "old_item": c.old_item, "new_item": c.new_item,
                         "department": c.department, "field": c.field, "before": c.before,
                         "after": c.after, "note": c.note, "message": describe(c, self.lang)}
                        for c in diff.ordered()],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"

    def render_matrix(self, matrix: Matrix) -> str:
        payload = {
            "regions": [{"code": r.code, "name": r.name} for r in matrix.regions],
            "rows": [{"baseline": row.baseline, "name": row.name,
                      "cells": [{"state": c.state.value or None, "item": c.item,
                                 "notes": list(c.notes)} for c in row.cells]}
                     for row in matrix.rows],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1rem; color: #1a1a1a; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #bbb; padding: .3rem .5rem; vertical-align: top; text-align: left; }}
th {{ background: #eee; }}
.burden-up {{ background: #fde2e1; }} .burden-down {{ background: #e3f6e5; }}
.legal {{ background: #f1e6fb; }} .structure {{ background: #e4f0fb; }}
.missing {{ background: #fde2e1; }} .deviating {{ background: #fff4d6; }} .extra {{ background: #e4f0fb; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
{body}
</main>
</body>
</html>
"""


class HtmlDiffReporter(DiffReporter):
    """A standalone side-by-side page (inline style only; no script)."""

    name = "html"

    def render(self, diff: CatalogueDiff) -> str:
        zh = self.lang == "zh"
        e = html.escape
        counts = diff.by_effect()
        rows = "\n".join(
            f'<tr class="{c.effect.value}"><td>{e(self.label(c.effect))}</td><td>{e(c.subject)}</td>'
            f"<td>{e(KINDS[c.kind].title.get(self.lang))}</td><td>{e(c.field)}</td>"
            f"<td>{e(c.before or '')}</td><td>{e(c.after or '')}</td></tr>"
            for c in diff.ordered())
        summary = "".join(f"<li>{e(self.label(x))}：{counts[x]}</li>" for x in Effect)
        heads = ("类别", "事项", "变化", "位置", diff.old_label, diff.new_label) if zh else \
            ("effect", "item", "change", "field", diff.old_label, diff.new_label)
        body = (f"<ul>{summary}</ul>\n<table>\n<thead><tr>" +
                "".join(f'<th scope="col">{e(h)}</th>' for h in heads) +
                f"</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>")
        title = f"{diff.old_label} → {diff.new_label}"
        return _PAGE.format(lang="zh-CN" if zh else "en", title=e(title), body=body)

    def render_matrix(self, matrix: Matrix) -> str:
        e = html.escape
        states = _STATE[self.lang]
        head = "".join(f'<th scope="col">{e(r.name)}</th>' for r in matrix.regions)
        rows = "\n".join(
            f"<tr><th scope=\"row\">{e(row.name)}</th>" + "".join(
                f'<td class="{c.state.value}">{e(states[c.state])}'
                + (f"<br>{e('；'.join(c.notes))}" if c.notes else "") + "</td>" for c in row.cells)
            + "</tr>" for row in matrix.rows)
        label = "基本目录事项" if self.lang == "zh" else "baseline item"
        body = (f'<table>\n<thead><tr><th scope="col">{e(label)}</th>{head}</tr></thead>\n'
                f"<tbody>\n{rows}\n</tbody>\n</table>")
        title = "一致性矩阵" if self.lang == "zh" else "Consistency matrix"
        return _PAGE.format(lang="zh-CN" if self.lang == "zh" else "en", title=title, body=body)


DIFF_REPORTERS: dict[str, type[DiffReporter]] = {
    r.name: r for r in (TextDiffReporter, MarkdownDiffReporter, JsonDiffReporter, HtmlDiffReporter)
}
