"""What a rule is: a code, a name, a default severity, options and a documented check.

Rules only yield findings (a pointer and a message); the engine in lint.py stamps the code,
the configured severity, the file and the line. A rule never prints, reads settings files
or exits.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from svccat.model import Catalogue, Item
from svccat.problems import Severity, Text


@dataclass(frozen=True)
class Option:
    """A rule option: its type, default and meaning (shown by `svccat rules CODE`)."""

    kind: type
    default: Any
    help: str


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One problem found by a rule: where (file + JSON Pointer) and what."""

    message: Text
    pointer: str = ""
    item: Item | None = None
    file: str | None = None  # for findings about registry entries

    @property
    def where(self) -> str:
        if self.file is not None:
            return self.file
        assert self.item is not None
        return self.item.file


@dataclass(frozen=True)
class Context:
    """The catalogue as the rules see it, with the indexes several rules need."""

    catalogue: Catalogue

    @cached_property
    def children(self) -> dict[str, list[Item]]:
        return self.catalogue.children()

    @cached_property
    def implementations(self) -> dict[str, list[Item]]:
        """Baseline item id → the items that implement it."""
        found: dict[str, list[Item]] = {}
        for item in self.catalogue.items.values():
            if item.implements:
                found.setdefault(item.implements, []).append(item)
        return found

    def is_leaf(self, item: Item) -> bool:
        return item.id not in self.children

    def department_name(self, item: Item) -> str | None:
        department = self.catalogue.departments.get(item.department)
        return department.name if department else None


class Rule:
    """Base of every rule. Subclasses set the class attributes and implement check."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    title: ClassVar[Text]
    options: ClassVar[Mapping[str, Option]] = {}

    def check(self, context: Context, options: Mapping[str, Any]) -> Iterator[Finding]:
        """Every finding of this rule over the whole catalogue."""
        for item in context.catalogue.items.values():
            yield from self.check_item(item, context, options)

    def check_item(self, item: Item, context: Context, options: Mapping[str, Any]
                   ) -> Iterator[Finding]:
        """Findings about one item; rules over the whole catalogue override check instead."""
        return iter(())

    @classmethod
    def doc(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        return {key: option.default for key, option in cls.options.items()}
