"""Inline suppressions: `# svccat: disable=CODE[,CODE] -- reason`, with a required reason.

A comment after content applies to its own line; a comment on a line of its own applies to
the next line with content, or, above the first key of the file, to the whole file (the item).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from svccat.problems import Problem, make

_MARK = "svccat:"
_COMMENT = re.compile(r"(?:^|\s)#\s*svccat:\s*disable\s*=\s*([^\s#-][^#]*?)\s*(?:--\s*(.*?))?\s*$")
WHOLE_FILE = 0


@dataclass(frozen=True)
class Suppression:
    line: int  # where the comment is, from 1
    column: int
    codes: tuple[str, ...]
    reason: str | None
    target: int  # the line it applies to, or WHOLE_FILE


def parse(text: str) -> tuple[Suppression, ...]:
    """Every suppression comment of a file (cheap when there is none)."""
    if _MARK not in text:
        return ()
    lines = text.split("\n")
    found: list[Suppression] = []
    seen_content = False
    pending: list[tuple[int, int, tuple[str, ...], str | None]] = []
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        own_line = stripped.startswith("#")
        match = _COMMENT.search(line)
        if match:
            codes = tuple(c.strip() for c in match.group(1).split(",") if c.strip())
            reason = (match.group(2) or "").strip() or None
            column = match.start() + (1 if line[match.start()] != "#" else 0) + 1
            if own_line:
                if not seen_content:
                    found.append(Suppression(number, column, codes, reason, WHOLE_FILE))
                else:
                    pending.append((number, column, codes, reason))
            else:
                found.append(Suppression(number, column, codes, reason, number))
        if stripped and not own_line and stripped != "---":
            seen_content = True
            for comment_line, col, codes, reason in pending:
                found.append(Suppression(comment_line, col, codes, reason, number))
            pending = []
    return tuple(found)


@dataclass(frozen=True)
class Outcome:
    kept: list[Problem]
    suppressed: list[Problem]
    about_suppressions: list[Problem]  # N001, N002, N003


def apply(problems: Sequence[Problem], suppressions: dict[str, tuple[Suppression, ...]],
          known: set[str], enabled: set[str]) -> Outcome:
    """Drop the problems that a reasoned suppression covers; report the suppressions that
    lack a reason, name unknown codes, or suppress nothing."""
    used: set[tuple[str, int, str]] = set()
    kept: list[Problem] = []
    suppressed: list[Problem] = []
    for problem in problems:
        hit = None
        if not problem.code.startswith("N"):
            for s in suppressions.get(problem.file, ()):
                applies = s.target == WHOLE_FILE or s.target == problem.line
                if applies and s.reason and problem.code in s.codes:
                    hit = s
                    break
        if hit is None:
            kept.append(problem)
        else:
            suppressed.append(problem)
            used.add((problem.file, hit.line, problem.code))
    about: list[Problem] = []
    for file, entries in suppressions.items():
        for s in entries:
            def at(code: str, zh: str, en: str, s: Suppression = s, file: str = file) -> Problem:
                return make(code, zh, en, file=file, line=s.line, column=s.column)

            if not s.reason:
                about.append(at("N001", "抑制注释必须写明理由：# svccat: disable=代码 -- 理由",
                                "a suppression needs a reason: # svccat: disable=CODE -- reason"))
                continue
            for code in s.codes:
                if code not in known:
                    about.append(at("N003", f"抑制注释中的代码“{code}”未知",
                                    f"unknown code '{code}' in a suppression"))
                elif code in enabled and (file, s.line, code) not in used:
                    about.append(at("N002", f"抑制注释没有抑制任何 {code} 问题，请删除",
                                    f"the suppression of {code} suppresses nothing; remove it"))
    return Outcome(kept, suppressed, about)
