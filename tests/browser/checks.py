"""What the browser tests check on a page, against the site's DOM contract.

The contract (from the site): every page has a header search form `.site-search` with
`<input id="q" name="q">`; the home page and search.html have `<ol id="search-results">`, one
`<li>` per result with a link to the guide; a guide has `<table id="materials">`, a header row
and one row per material. These checks return what is wrong, in words, so that one test can
report every failing query or row at once; tests/browser/test_harness.py runs them on pages
that break the contract to prove that they catch it.
"""

from __future__ import annotations

import contextlib
import re
import time
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # the fixtures skip (or fail under CI) with the reason
    PlaywrightError = Exception  # type: ignore[misc,assignment]

_FIRST_RESULT = """() => {
  const li = document.querySelector("#search-results li");
  const a = li && li.querySelector("a[href]");
  return a ? a.href : null;
}"""

_TABLE_ROWS = """table => Array.from(table.rows, row => ({
  th: row.querySelectorAll("th").length,
  td: row.querySelectorAll("td").length,
  text: row.innerText,
}))"""


def first_result(page: Any, home_url: str, query: str, want_path: str | None, *,
                 timeout: float = 5.0) -> str | None:
    """Search as a person does: open the home page, type the query into #q, press Enter.

    Returns the absolute URL of the first result's link (on the home page or on the page the
    form leads to), or None when no result appeared within the timeout. The results may be
    rendered as the user types or after a navigation, so this polls; a first link other than
    want_path is taken as final once the page has settled (network idle). With want_path None
    (the query must find nothing) it waits for the page to settle, then looks once.
    """
    page.goto(home_url, wait_until="load")
    page.fill("#q", query)
    page.press("#q", "Enter")
    if want_path is None:
        page.wait_for_timeout(200)  # a navigation the form starts has begun by now
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        found: str | None = page.evaluate(_FIRST_RESULT)
        return found
    deadline = time.monotonic() + timeout
    seen: str | None = None
    while True:
        with contextlib.suppress(PlaywrightError):  # the form navigates: look on the next page
            seen = page.evaluate(_FIRST_RESULT)
        if seen and urlsplit(seen).path != want_path:
            # A wrong first result: final once the page has settled (no need to wait it out).
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)
            with contextlib.suppress(PlaywrightError):
                seen = page.evaluate(_FIRST_RESULT)
            return seen
        if seen or time.monotonic() > deadline:
            return seen
        page.wait_for_timeout(100)


def materials_problems(page: Any, names: list[str]) -> list[str]:
    """What is wrong with the page's table#materials, given the item's material names."""
    tables = page.locator("table#materials")
    if tables.count() != 1:
        return [f"{page.url}: {tables.count()} table#materials, want 1"]
    rows: list[dict[str, Any]] = tables.first.evaluate(_TABLE_ROWS)
    header = [r for r in rows if r["th"] and not r["td"]]
    data = [r for r in rows if r["td"]]
    problems = []
    if not header:
        problems.append(f"{page.url}: table#materials has no header row (a row of <th> only)")
    if len(data) != len(names):
        problems.append(f"{page.url}: table#materials has {len(data)} material row(s), "
                        f"the item has {len(names)} material(s): {names}")
    for name in names:
        if not any(name in r["text"] for r in data):
            problems.append(f"{page.url}: no row of table#materials names the material {name!r}")
    return problems


# Attributes through which a page makes the browser fetch something by itself (a link the
# visitor may follow, <a href>, is not among them).
_FETCHING = {
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"), "iframe": ("src",),
    "audio": ("src",), "video": ("src", "poster"), "track": ("src",), "embed": ("src",),
    "object": ("data",), "input": ("src",),
}
_FETCHING_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest",
                   "apple-touch-icon", "preconnect", "dns-prefetch"}
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.IGNORECASE)


def _remote(url: str) -> bool:
    """A URL with a host of its own (`//host/x`, `https://host/x`); relative paths, data: and
    blob: URLs stay in the site."""
    url = url.strip().lower()
    if url.startswith(("data:", "blob:", "about:")):
        return False
    return url.startswith("//") or bool(re.match(r"[a-z][a-z0-9+.-]*:", url))


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        names: tuple[str, ...] = _FETCHING.get(tag, ())
        if tag == "link" and _FETCHING_LINKS & set(values.get("rel", "").lower().split()):
            names = ("href",)
        for name in names:
            for url in values.get(name, "").split(",") if name.endswith("srcset") else [values.get(name, "")]:
                if url.strip() and _remote(url.split()[0] if url.split() else url):
                    self.found.append(f"<{tag} {name}={url.strip()}>")
        if "style" in values:
            self.found += [f"<{tag} style> {u}" for u in external_css_urls(values["style"])]


def external_resources(html: str) -> list[str]:
    """The resources a page would fetch from another host, as `<tag attr=url>`."""
    parser = _Resources()
    parser.feed(html)
    for block in re.findall(r"<style[^>]*>(.*?)</style>", html, re.DOTALL | re.IGNORECASE):
        parser.found += [f"<style> {u}" for u in external_css_urls(block)]
    return parser.found


def external_css_urls(css: str) -> list[str]:
    return [u for u in _CSS_URL.findall(css) if _remote(u)]
