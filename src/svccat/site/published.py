"""The part of the catalogue the site shows, indexed the ways its pages look things up.

Only published items appear unless drafts are asked for. Every registry entry (region,
department, legal document, certificate) has its page, so links to them always resolve;
a link to an item that is not on the site becomes plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from svccat.model import Catalogue, Item, Region
from svccat.site import paths
from svccat.site.data import Data
from svccat.site.html import link_html

_NAME = attrgetter("name")
_TITLE = attrgetter("title")

PUBLISHED = "published"


class Link(Data, frozen=True):
    """Text and where it leads, relative to the site root; url None: nothing to link to."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class Citation:
    item: Item
    kind: str  # setting, implementing, material, fee
    article: str | None
    detail: str | None  # the material's or fee's name


@dataclass(frozen=True)
class Published:
    catalogue: Catalogue
    drafts: bool
    items: dict[str, Item]
    children: dict[str, tuple[Item, ...]]
    by_region: dict[str, tuple[Item, ...]]
    by_department: dict[str, tuple[Item, ...]]
    by_theme: dict[str, tuple[Item, ...]]
    by_type: dict[str, tuple[Item, ...]]
    implementations: dict[str, tuple[Item, ...]]
    citations: dict[str, tuple[Citation, ...]]
    demanded: dict[str, tuple[Item, ...]]
    subregions: dict[str, tuple[Region, ...]]
    # Links to registry entries, made once: each guide shows a dozen (its peers' regions).
    _links: dict[tuple[Callable[[str], str], str], Link] = field(
        default_factory=dict, compare=False, repr=False)
    _related: dict[tuple[str, str], tuple[tuple[str, str], ...]] = field(
        default_factory=dict, compare=False, repr=False)

    def is_leaf(self, item: Item) -> bool:
        return item.id not in self.children

    def leaves(self, items: Iterable[Item]) -> list[Item]:
        return [i for i in items if self.is_leaf(i)]

    def item_link(self, item_id: str | None) -> Link | None:
        if item_id is None:
            return None
        found = self.items.get(item_id) or self.catalogue.items.get(item_id)
        text = found.name if found else item_id
        return Link(text, paths.item(item_id) if item_id in self.items else None)

    def related(self, baseline_id: str, root: str) -> tuple[tuple[str, str], ...]:
        """The items that implement a baseline item, by region and id: each one's id, and its
        entry in a guide's lists of related items, for pages at `root`. Made once a build,
        markup and all (svccat.site.html says why): every one of them lists the others (its
        peers), about twenty a guide in a province."""
        found = self._related.get((baseline_id, root))
        if found is None:
            entries = []
            for p in sorted(self.implementations.get(baseline_id, ()),
                            key=lambda p: (p.region, p.id)):
                region = self.region_link(p.region)
                entries.append((p.id, f"<li>{link_html(root, region.text, region.url)}："
                                      f"{link_html(root, p.name, paths.item(p.id))}</li>\n"))
            found = self._related[baseline_id, root] = tuple(entries)
        return found

    def region_link(self, code: str) -> Link:
        return self._registry_link(self.catalogue.regions, code, paths.region, _NAME)

    def department_link(self, department_id: str) -> Link:
        return self._registry_link(self.catalogue.departments, department_id, paths.department,
                                   _NAME)

    def legal_link(self, document_id: str) -> Link:
        return self._registry_link(self.catalogue.legal_documents, document_id, paths.legal,
                                   _TITLE)

    def _registry_link(self, table: Mapping[str, Any], key: str, path: Callable[[str], str],
                       text: Callable[[Any], str]) -> Link:
        """A link to a registry entry's page, made once a build; the key alone, unlinked,
        when the registry has no such entry."""
        found = self._links.get((path, key))
        if found is None:
            entry = table.get(key)
            found = self._links[(path, key)] = (Link(text(entry), path(key)) if entry
                                                else Link(key))
        return found

    def region_name(self, code: str) -> str:
        region = self.catalogue.regions.get(code)
        return region.name if region else code

    def department_name(self, department_id: str) -> str:
        department = self.catalogue.departments.get(department_id)
        return department.name if department else department_id

    def roots(self) -> list[Region]:
        """Regions without a parent in the registry: where browsing starts."""
        regions = self.catalogue.regions
        return [r for code, r in sorted(regions.items())
                if r.parent is None or r.parent not in regions]

    def ancestors(self, code: str) -> list[Region]:
        """The regions above `code`, top first (a loop in the registry stops the walk)."""
        chain: list[Region] = []
        seen = {code}
        region = self.catalogue.regions.get(code)
        while region is not None and region.parent and region.parent not in seen:
            seen.add(region.parent)
            region = self.catalogue.regions.get(region.parent)
            if region is not None:
                chain.append(region)
        return chain[::-1]

    def item_ancestors(self, item: Item) -> list[Item]:
        chain: list[Item] = []
        seen = {item.id}
        current = item
        while current.parent and current.parent in self.items and current.parent not in seen:
            seen.add(current.parent)
            current = self.items[current.parent]
            chain.append(current)
        return chain[::-1]

    def in_tree_order(self, items: Iterable[Item]) -> Iterator[tuple[Item, int]]:
        """Items with their depth, each parent followed by its children (all sorted by id)."""
        chosen = {i.id: i for i in items}
        below: dict[str, list[Item]] = {}
        tops: list[Item] = []
        for item in sorted(chosen.values(), key=lambda i: i.id):
            if item.parent and item.parent in chosen and item.parent != item.id:
                below.setdefault(item.parent, []).append(item)
            else:
                tops.append(item)
        seen: set[str] = set()

        def walk(item: Item, depth: int) -> Iterator[tuple[Item, int]]:
            if item.id in seen:  # a parent loop (only reachable under --force)
                return
            seen.add(item.id)
            yield item, depth
            for child in below.get(item.id, ()):
                yield from walk(child, depth + 1)

        for top in tops:
            yield from walk(top, 0)
        # Items caught in a parent loop have no top; list them rather than drop them.
        for item in sorted(chosen.values(), key=lambda i: i.id):
            if item.id not in seen:
                yield from walk(item, 0)


def _group(items: Iterable[Item], key: str) -> dict[str, tuple[Item, ...]]:
    found: dict[str, list[Item]] = {}
    for item in items:
        value = getattr(item, key)
        if value:
            found.setdefault(value, []).append(item)
    return {k: tuple(v) for k, v in sorted(found.items())}


def published(catalogue: Catalogue, *, drafts: bool) -> Published:
    items = {i.id: i for _, i in sorted(catalogue.items.items())
             if drafts or i.status == PUBLISHED}
    ordered = list(items.values())
    children = _group((i for i in ordered if i.parent in items), "parent")
    themes: dict[str, list[Item]] = {}
    for item in ordered:
        for theme in item.themes:
            themes.setdefault(theme, []).append(item)
    citations: dict[str, list[Citation]] = {}
    demanded: dict[str, list[Item]] = {}
    # (certificate, item id) pairs seen: `item in list` compared whole items, quadratic in
    # the items demanding one certificate (minutes at 100,000 items).
    demanding: set[tuple[str, str]] = set()
    for item in ordered:
        for ref in item.setting_basis:
            citations.setdefault(ref.document, []).append(
                Citation(item, "setting", ref.article, None))
        for ref in item.implementing_basis:
            citations.setdefault(ref.document, []).append(
                Citation(item, "implementing", ref.article, None))
        for material in item.materials:
            if material.basis:
                citations.setdefault(material.basis.document, []).append(
                    Citation(item, "material", material.basis.article, material.name))
            if material.certificate and (material.certificate, item.id) not in demanding:
                demanding.add((material.certificate, item.id))
                demanded.setdefault(material.certificate, []).append(item)
        for fee in item.fees:
            if fee.basis:
                citations.setdefault(fee.basis.document, []).append(
                    Citation(item, "fee", fee.basis.article, fee.name))
    subregions: dict[str, list[Region]] = {}
    for code, region in sorted(catalogue.regions.items()):
        if region.parent and region.parent != code:
            subregions.setdefault(region.parent, []).append(region)
    return Published(
        catalogue=catalogue, drafts=drafts, items=items, children=children,
        by_region=_group(ordered, "region"), by_department=_group(ordered, "department"),
        by_theme={k: tuple(v) for k, v in sorted(themes.items())},
        by_type=_group(ordered, "type"), implementations=_group(ordered, "implements"),
        citations={k: tuple(v) for k, v in sorted(citations.items())},
        demanded={k: tuple(v) for k, v in sorted(demanded.items())},
        subregions={k: tuple(v) for k, v in sorted(subregions.items())})
