"""The sample site in headless Chromium, as a visitor meets it: search from the home page, read a
guide's materials, and no console error, no request to another host and no serious or
critical accessibility violation on the main kinds of page.

The site is `svccat build` of the repository's catalogue/, built and served once per session
(tests/browser/conftest.py); these tests skip until that command exists.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from svccat.catalogue import load_catalogue
from svccat.model import Catalogue, Item
from tests.browser.checks import external_css_urls, external_resources, first_result, materials_problems
from tests.browser.conftest import Browse, Site
from tests.browser.harness import format_violations, run_axe, serious
from tests.conftest import CASES, REPO

QUERIES = CASES / "search" / "queries.yaml"
REGION = "370784"
# Stop searching after this many queries in a row found nothing at all: search is broken, and
# waiting out every remaining query would only make the report slower.
GIVE_UP_AFTER = 5


@pytest.fixture(scope="module")
def sample() -> Catalogue:
    return load_catalogue(REPO / "catalogue").catalogue


@pytest.fixture(scope="module")
def guides(sample: Catalogue) -> list[Item]:
    """A few published leaf items (no sub-items) with materials: the one with the most
    materials, the county's with the most, and a main item with no sub-items."""
    parents = sample.children()
    leaves = sorted((i for i in sample.items.values()
                     if i.id not in parents and i.materials and i.status == "published"),
                    key=lambda i: (-len(i.materials), i.id))
    assert leaves, "the sample has no leaf item with materials"
    picks = [leaves[0], *[i for i in leaves if i.region == REGION][:1],
             *[i for i in leaves if i.parent is None][:1]]
    return list({i.id: i for i in picks}.values())


def report(problems: list[str], heading: str = "") -> None:
    """Fail with every problem, one a line, and no traceback to read past."""
    if problems:
        pytest.fail("\n  ".join([heading, *problems] if heading else problems), pytrace=False)


def load_queries() -> list[dict[str, Any]]:
    if not QUERIES.is_file():
        pytest.skip(f"no search cases yet: {QUERIES.relative_to(REPO)} is missing")
    data = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    cases = data.get("queries", data) if isinstance(data, dict) else data
    assert isinstance(cases, list), f"{QUERIES.name}: want a list of {{query, first, ...}}"
    return [c for c in cases if isinstance(c, dict) and "first" in c]


def test_search_from_the_home_page_finds_each_first_result(site: Site, browse: Browse) -> None:
    cases = load_queries()
    assert cases, f"{QUERIES.name} has no query with an expected first result"
    tab = browse.context.new_page()
    wrong: list[str] = []
    nothing_in_a_row = 0
    for number, case in enumerate(cases):
        want = f"/items/{case['first']}.html" if case["first"] else None
        found = first_result(tab, site.url, str(case["query"]), want)
        path = found and found.removeprefix(site.url.rstrip("/"))
        if path != want:
            wrong.append(f"{case['query']!r}: first result {path or 'none'}, want {want or 'none'}")
        nothing_in_a_row = nothing_in_a_row + 1 if found is None and want else 0
        if nothing_in_a_row >= GIVE_UP_AFTER:
            wrong.append(f"gave up after {GIVE_UP_AFTER} queries in a row showed no result; "
                         f"{len(cases) - number - 1} not tried")
            break
    tab.wait_for_load_state("networkidle")
    if wrong:
        wrong.insert(0, f"{len(wrong)} of {len(cases)} search cases failed (typed into #q on the "
                        "home page, Enter, first link in #search-results li):")
    report(wrong + browse.watch.problems())


def test_a_guide_lists_each_material_in_its_table(site: Site, browse: Browse, guides: list[Item]) -> None:
    problems: list[str] = []
    for item in guides:
        tab = browse.open(site.page_url(f"items/{item.id}.html"))
        problems += materials_problems(tab, [m.name for m in item.materials])
    report(problems + browse.watch.problems())


PAGES = {
    "home": "index.html",
    "region": f"regions/{REGION}.html",
    "guide": "items/{guide}.html",
    "register": "certificates.html",
    "dashboard": "dashboard.html",
    "consistency": "consistency/370700.html",
    # Not required by the issue, but the results list is built by script: check it too.
    "search": "search.html?q=%E8%BA%AB%E4%BB%BD%E8%AF%81",  # 身份证
}


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_is_quiet_self_contained_and_accessible(kind: str, site: Site, browse: Browse,
                                                     guides: list[Item], axe_source: str) -> None:
    path = PAGES[kind].format(guide=guides[0].id)
    assert (site.root / path.split("?")[0]).is_file(), f"svccat build wrote no {path}"
    tab = browse.open(site.page_url(path))
    if kind == "search":
        tab.locator("#search-results li").first.wait_for()
    contract = tab.evaluate("""() => ({
      "meta[name=svccat-root]": document.querySelectorAll('meta[name="svccat-root"]').length,
      ".site-search input#q[name=q]": document.querySelectorAll('.site-search input#q[name="q"]').length,
    })""")
    problems = [f"{selector}: {count} on the page, want 1" for selector, count in contract.items()
                if count != 1]
    found = serious(run_axe(tab, axe_source))
    if found:
        problems.append(format_violations("axe-core", found))
    report(problems + browse.watch.problems(), f"{path}:")


def test_no_page_loads_anything_from_another_host(site: Site) -> None:
    """Every page, not only the ones opened above: each script, style, image, font and frame
    comes from the built folder."""
    offenders = []
    for file in sorted(site.root.rglob("*")):
        if file.suffix in (".html", ".css"):
            text = file.read_text(encoding="utf-8")
            found = external_resources(text) if file.suffix == ".html" else external_css_urls(text)
            offenders += [f"{file.relative_to(site.root)}: {url}" for url in found]
    assert not offenders, f"{len(offenders)} resource(s) from another host:\n  " + "\n  ".join(offenders[:30])
