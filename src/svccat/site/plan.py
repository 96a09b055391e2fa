"""Phase one of a build: gather every page and file of the site before anything is written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from svccat.catalogue import Loaded
from svccat.resources import templates_dir
from svccat.site import paths, search
from svccat.site.labels import Labels
from svccat.site.opendata import MakeFile, open_data
from svccat.site.pages import Page, Pages
from svccat.site.published import Published, published

STATIC = "static"
SEARCH_FOLDER = "search/"


class PlanError(Exception):
    """Two things would be written to one path, or a path would leave the site."""


@dataclass(frozen=True, kw_only=True)
class SiteOptions:
    drafts: bool = False
    base_url: str | None = None
    lang: str = "zh"


@dataclass(frozen=True)
class SitePlan:
    """Every output of the site: pages still to make and render, and files to make."""

    pages: Iterable[Page]  # made as they are iterated, once
    count: int  # of pages
    files: Mapping[str, MakeFile]  # each made when written (open data needs the documents)
    items: int
    # What the search index is made of (search_index): its files are named only once it is
    # made, which svccat.site.build does beside the rest.
    search_docs: Sequence[search.SearchDoc] = ()

    def each_page(self) -> Iterator[Page]:
        """The pages, refusing a second output to any path. The iterator does not hold the
        plan: the files' makers (and the documents they read) can go once written."""
        return _unique(self.pages, set(self.files))


def _unique(pages: Iterable[Page], seen: set[str]) -> Iterator[Page]:
    for page in pages:
        if page.meta.path in seen:
            raise PlanError(f"two outputs would be written to {page.meta.path}")
        seen.add(page.meta.path)
        yield page


def _ready(files: Mapping[str, bytes]) -> dict[str, MakeFile]:
    return {path: partial(bytes, data) for path, data in files.items()}


def _merge(*groups: Mapping[str, MakeFile]) -> dict[str, MakeFile]:
    merged: dict[str, MakeFile] = {}
    for group in groups:
        for path, data in group.items():
            if path in merged:
                raise PlanError(f"two outputs would be written to {path}")
            merged[path] = data
    return merged


def static_files() -> dict[str, bytes]:
    """The stylesheets and scripts shipped in templates/static, copied as they are."""
    folder = templates_dir() / STATIC
    return {f"{STATIC}/{p.relative_to(folder).as_posix()}": p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def search_docs(site: Published) -> list[search.SearchDoc]:
    """What the search index holds of every item on the site."""
    return [search.SearchDoc(
        id=item.id, url=paths.item(item.id), title=item.name,
        region=site.region_name(item.region), department=site.department_name(item.department),
        type=item.type,
        codes=tuple(c for c in (item.basic_code, item.implementation_code, item.handling_code)
                    if c),
        materials=tuple(m.name for m in item.materials), conditions=item.conditions)
        for item in site.items.values()]


def search_index(docs: Sequence[search.SearchDoc]) -> dict[str, bytes]:
    """The search index's files (svccat.site.search), all in SEARCH_FOLDER."""
    files = search.index_files(docs)
    for path in files:
        if not path.startswith(SEARCH_FOLDER):
            raise PlanError(f"the search index wrote {path}, outside {SEARCH_FOLDER}")
    return files


def plan_site(loaded: Loaded, options: SiteOptions) -> SitePlan:
    site = published(loaded.catalogue, drafts=options.drafts)
    pages = Pages(site, Labels(options.lang), options.base_url)
    files = _merge(_ready(static_files()), open_data(loaded, site))
    return SitePlan(pages.each(), pages.count(), files, len(site.items), search_docs(site))
