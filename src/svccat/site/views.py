"""View data shared by several pages: rows of item lists, facts, legal citations, time limits.

Everything a template shows is computed here, in Python; templates only lay it out.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from svccat.model import Item, LegalRef, TimeLimit
from svccat.site import paths
from svccat.site.data import Data
from svccat.site.labels import TYPE_SLUGS, Labels
from svccat.site.published import PUBLISHED, Link, Published

MAX_DEPTH_CLASS = 4  # deeper levels indent no further on a phone screen


class Fact(Data, frozen=True):
    """One row of a definition list: a label and one or more values (linked or not)."""

    label: Markup
    values: tuple[Link, ...]


def fact(label: Markup, *values: str | Link | None) -> Fact | None:
    """A fact, or None when there is no value to show."""
    links = tuple(v if isinstance(v, Link) else Link(v) for v in values if v)
    return Fact(label, links) if links else None


def facts(*found: Fact | None) -> tuple[Fact, ...]:
    return tuple(f for f in found if f is not None)


class ItemRow(Data, frozen=True):
    """An item in a list: its link, what kind of item it is and where it sits in the tree."""

    link: Link
    type: str
    department: Link
    region: Link
    handling_type: str
    tier: Markup
    depth: int
    status: Markup | None  # shown when the item is not published (only with --drafts)


def item_rows(site: Published, labels: Labels, items: Iterable[Item]) -> tuple[ItemRow, ...]:
    """Rows in tree order: each parent followed by its children, indented by depth."""
    return tuple(ItemRow(
        link=Link(item.name, paths.item(item.id)), type=item.type,
        department=site.department_link(item.department), region=site.region_link(item.region),
        handling_type=item.handling_type or "", tier=tier_label(labels, item.tier),
        depth=min(depth, MAX_DEPTH_CLASS), status=status_tag(labels, item.status))
        for item, depth in site.in_tree_order(items))


def tier_label(labels: Labels, tier: str) -> Markup:
    return labels.html(f"tier_{tier}") if labels.has(f"tier_{tier}") else escape(tier)


def status_tag(labels: Labels, status: str) -> Markup | None:
    if status == PUBLISHED:
        return None
    key = f"status_{status}"
    return labels.html(key) if labels.has(key) else labels.html("draft_tag")


class Count(Data, frozen=True):
    link: Link
    count: int


class CountTable(Data, frozen=True):
    """Items per row (department) and column (item type), with totals."""

    caption: Markup
    columns: tuple[str, ...]
    rows: tuple[tuple[Link, tuple[int, ...], int], ...]
    totals: tuple[int, ...]
    total: int


def count_table(site: Published, caption: Markup, items: Iterable[Item]) -> CountTable:
    chosen = list(items)
    columns = tuple(sorted({i.type for i in chosen}, key=type_order))
    departments = sorted({i.department for i in chosen})
    rows = []
    for department in departments:
        mine = [i for i in chosen if i.department == department]
        counts = tuple(sum(1 for i in mine if i.type == t) for t in columns)
        rows.append((site.department_link(department), counts, len(mine)))
    totals = tuple(sum(1 for i in chosen if i.type == t) for t in columns)
    return CountTable(caption, columns, tuple(rows), totals, len(chosen))


def type_order(name: str) -> tuple[int, str]:
    # The national order of the seven types; anything else (only under --force) after them.
    order = list(TYPE_SLUGS)
    return (order.index(name) if name in order else len(order), name)


class LegalCitation(Data, frozen=True):
    document: Link
    article: str | None
    text: str | None


def citation(site: Published, ref: LegalRef) -> LegalCitation:
    return LegalCitation(site.legal_link(ref.document), ref.article, ref.text)


def limit_text(labels: Labels, limit: TimeLimit | None) -> str:
    if limit is None:
        return labels.text("limit_unknown")
    if limit.days == 0:
        return labels.text("limit_on_the_spot")
    return labels.text("limit_days", days=limit.days, unit=limit.unit)


def compression_percent(statutory: TimeLimit | None, committed: TimeLimit | None) -> int | None:
    """How much shorter the committed limit is, in percent; None when not comparable."""
    if statutory is None or committed is None or statutory.unit != committed.unit \
            or statutory.days <= 0:
        return None
    return round(100 * (statutory.days - committed.days) / statutory.days)
