"""What every reporter is: a LintResult and a language in, text out."""

from __future__ import annotations

from abc import ABC, abstractmethod

from svccat.lint import LintResult


class Reporter(ABC):
    name: str

    def __init__(self, *, lang: str, color: bool = False) -> None:
        self.lang = lang
        self.color = color

    @abstractmethod
    def render(self, result: LintResult) -> str:
        """The whole report; the caller writes it to a stream or file in one go."""
