"""What every page of the site must keep true, checked with the standard library's parser.

Not a full HTML5 validator: the structure the templates could get wrong (balanced elements,
unique ids, one h1 and no skipped heading levels, labelled inputs, landmarks) and the
security rules of the issue (CSP meta, no inline script or handler or style, nothing loaded
from another site, rel on external links).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from svccat.site.render import CSP, EXTERNAL_REL

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
# Elements whose end tag HTML lets one leave out: the templates always write them, but
# the parser closes them implicitly too, so they are not reported twice.
OPTIONAL_END = {"li", "dt", "dd", "p", "tr", "td", "th", "thead", "tbody", "tfoot", "option"}
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


@dataclass
class Page:
    """What one page contains, and what is wrong with it."""

    problems: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)  # every href and src
    headings: list[int] = field(default_factory=list)
    landmarks: set[str] = field(default_factory=set)
    lang: str | None = None
    csp: str | None = None
    root_meta: str | None = None
    text: str = ""


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[str] = []
        self.labels: set[str] = set()
        self.inputs: list[tuple[str, dict[str, str | None]]] = []
        self.in_script = False
        self.text: list[str] = []

    def _problem(self, message: str) -> None:
        self.page.problems.append(f"line {self.getpos()[0]}: {message}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)  # <rect .../> in SVG: opened and closed at once

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        page = self.page
        for name, value in attrs:
            if name.startswith("on"):
                self._problem(f"inline event handler {name}= on <{tag}>")
            if name == "style":
                self._problem(f"style attribute on <{tag}>")
            if name == "id" and value is not None:
                if value in page.ids:
                    self._problem(f"duplicate id {value!r}")
                page.ids.add(value)
        if tag == "html":
            page.lang = found.get("lang")
        if tag == "style":
            self._problem("<style> element")
        if tag == "meta" and found.get("http-equiv") == "Content-Security-Policy":
            page.csp = found.get("content")
        if tag == "meta" and found.get("name") == "svccat-root":
            page.root_meta = found.get("content")
        if tag in ("header", "nav", "main", "footer"):
            page.landmarks.add(tag)
        if re.fullmatch(r"h[1-6]", tag):
            page.headings.append(int(tag[1]))
        if tag == "label" and found.get("for"):
            self.labels.add(found["for"] or "")
        if tag in ("input", "select", "textarea") and found.get("type") not in ("hidden",
                                                                                 "submit"):
            self.inputs.append((tag, found))
        if tag == "script":
            self.in_script = True
            if not found.get("src"):
                self._problem("inline <script>")
        for name in ("href", "src"):
            value = found.get(name)
            if value is None:
                continue
            page.links.append(value)
            if tag in ("script", "link", "img", "iframe", "source") and EXTERNAL.match(value):
                self._problem(f"<{tag} {name}> loads from elsewhere: {value}")
            if tag == "a" and re.match(r"^https?://", value) and found.get("rel") != EXTERNAL_REL:
                self._problem(f"external link without rel=\"{EXTERNAL_REL}\": {value}")
            if value.lower().startswith("javascript:"):
                self._problem(f"javascript: URL in <{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self._problem(f"end tag for void element </{tag}>")
            return
        if tag == "script":
            self.in_script = False
        while self.stack and self.stack[-1] != tag and self.stack[-1] in OPTIONAL_END:
            self.stack.pop()
        if not self.stack or self.stack[-1] != tag:
            self._problem(f"</{tag}> does not close the open <{self.stack[-1] if self.stack else ''}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self._problem("inline script text")
        self.text.append(data)

    def finish(self) -> Page:
        page = self.page
        if self.stack:
            page.problems.append(f"elements left open: {self.stack}")
        for tag, found in self.inputs:
            if found.get("id") not in self.labels and not found.get("aria-label"):
                page.problems.append(f"<{tag} id={found.get('id')!r}> has no label")
        if page.headings.count(1) != 1:
            page.problems.append(f"{page.headings.count(1)} h1 elements, not one")
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            if after > before + 1:
                page.problems.append(f"heading level skips from h{before} to h{after}")
        if page.lang != "zh-CN":
            page.problems.append(f"<html lang={page.lang!r}>, not zh-CN")
        if page.csp != CSP:
            page.problems.append(f"Content-Security-Policy meta is {page.csp!r}")
        missing = {"header", "nav", "main", "footer"} - page.landmarks
        if missing:
            page.problems.append(f"landmarks missing: {sorted(missing)}")
        page.text = re.sub(r"\s+", " ", "".join(self.text))
        return page


def check(html: str) -> Page:
    """Parse one page; its problems are in .problems."""
    parser = _Parser()
    if not html.startswith("<!DOCTYPE html>\n"):
        parser.page.problems.append("does not start with <!DOCTYPE html>")
    parser.feed(html)
    parser.close()
    return parser.finish()


def broken_links(site: Path, pages: dict[str, Page], *, base_url: str | None = None
                 ) -> list[str]:
    """Internal links (and #fragments) that lead nowhere, as 'page: link'."""
    broken = []
    for path, page in sorted(pages.items()):
        for link in page.links:
            parts = urlsplit(link)
            if link.startswith("#"):
                target = path
            elif base_url is not None and link.startswith(base_url):
                target = unquote(urlsplit(link[len(base_url):]).path)
            elif parts.scheme in ("http", "https", "mailto", "tel"):
                continue  # another site
            elif base_url is not None:
                broken.append(f"{path}: {link} does not start with {base_url}")
                continue
            elif parts.path.startswith("/"):  # root-relative: only 404.html uses them
                target = unquote(parts.path).lstrip("/")
            else:
                target = _normalise(PurePosixPath(path).parent / unquote(parts.path))
            target = target or "index.html"
            if not (site / target).is_file():
                broken.append(f"{path}: {link}")
                continue
            if parts.fragment and target in pages and parts.fragment not in pages[target].ids:
                broken.append(f"{path}: {link} (no id {parts.fragment!r})")
    return broken


def _normalise(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)
