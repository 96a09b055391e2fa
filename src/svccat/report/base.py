"""What every reporter is: a LintResult and a language in, the whole report out."""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod

from svccat.lint import LintResult
from svccat.problems import CODES, Problem, Severity, Text
from svccat.rules import RULES


class Reporter(ABC):
    name: str
    suffix: str = ".txt"

    def __init__(self, *, lang: str, color: bool = False, statistics: bool = False,
                 fail_on: Severity = Severity.ERROR) -> None:
        self.lang = lang
        self.color = color
        self.statistics = statistics
        self.fail_on = fail_on

    @abstractmethod
    def render(self, result: LintResult) -> str:
        """The whole report; the caller writes it to a stream or file in one go."""


def code_name(code: str) -> str:
    if code in RULES:
        return RULES[code].name
    return CODES[code].name


def code_title(code: str) -> Text:
    if code in RULES:
        return RULES[code].title
    return CODES[code].title


def code_doc(code: str) -> str:
    return RULES[code].doc() if code in RULES else CODES[code].doc


def fingerprint(problem: Problem) -> str:
    """Stable across commits: the item (or file), the code and the path, not the line."""
    subject = problem.item or problem.file
    return hashlib.sha256(f"{subject}\0{problem.code}\0{problem.path}".encode()).hexdigest()[:32]


# C0 and C1 control characters (but tab), the bidirectional overrides and the two
# non-characters XML refuses: catalogue text (a key written "\e[2J", a file name) must not
# clear a reviewer's terminal, retitle it, reorder what it shows, or break an XML report.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def printable(text: str, *, keep: str = "") -> str:
    """Text for a terminal or a log: control characters (but those in keep) shown as
    escapes, never obeyed."""
    return _UNPRINTABLE.sub(lambda m: m.group() if m.group() in keep else
                            f"\\u{ord(m.group()):04x}", text)
