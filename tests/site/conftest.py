"""Built sites to look at: the bundled sample (once per session) and the small catalogue."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from svccat.catalogue import Loaded, load_catalogue
from svccat.config import load_config
from svccat.site.build import BuildOptions, BuildReport, build_site
from tests.conftest import REPO
from tests.site import htmlcheck
from tests.site.small import write_small


def build(project: Path, out: Path, *, lang: str | None = None, **options: Any) -> BuildReport:
    """Build the catalogue of `project` (its svccat.toml applies) into `out`."""
    config = load_config(cwd=project, lang=lang)
    return build_site(config, BuildOptions(out=out, **options))


@dataclass
class Built:
    """A built site and its parsed pages (parsed once, on first look)."""

    root: Path
    report: BuildReport
    _pages: dict[str, htmlcheck.Page] = field(default_factory=dict)

    def html(self, path: str) -> str:
        return (self.root / path).read_text(encoding="utf-8")

    def page(self, path: str) -> htmlcheck.Page:
        if path not in self._pages:
            self._pages[path] = htmlcheck.check(self.html(path))
        return self._pages[path]

    def html_paths(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))

    def pages(self) -> dict[str, htmlcheck.Page]:
        return {path: self.page(path) for path in self.html_paths()}

    def files(self) -> dict[str, bytes]:
        return {p.relative_to(self.root).as_posix(): p.read_bytes()
                for p in sorted(self.root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def sample() -> Loaded:
    return load_catalogue(REPO / "catalogue")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("sample") / "site"
    report = build(REPO, out)
    assert report.built, f"the sample catalogue has {report.errors} lint errors"
    return Built(out, report)


@pytest.fixture(scope="module")
def small_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small(tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="module")
def small_site(small_project: Path) -> Built:
    out = small_project / "site"
    return Built(out, build(small_project, out))


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of the small catalogue, for tests that change it."""
    yield write_small(tmp_path)


def table(html: str, table_id: str) -> list[list[str]]:
    """The text of each row of a table (header row first), whitespace collapsed."""
    found = re.search(rf'<table id="{re.escape(table_id)}"[^>]*>(.*?)</table>', html, re.S)
    assert found, f"no table {table_id!r}"
    body = re.sub(r"<caption.*?</caption>", "", found.group(1), flags=re.S)
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([text(cell) for cell in cells])
    return rows


def text(html: str) -> str:
    """What a reader sees of a fragment: tags removed, entities decoded, spaces collapsed."""
    plain = re.sub(r"</?(?:a|span|code|em|strong)\b[^>]*>", "", html)  # inline: no gap
    plain = re.sub(r"<[^>]+>", " ", plain)  # the edge of a block is a gap
    return re.sub(r"\s+", " ", htmllib.unescape(plain)).strip()


def section(html: str, heading_id: str) -> str:
    """The markup inside the <section> labelled by the heading with this id (nesting counted)."""
    found = re.search(rf'<section[^>]*aria-labelledby="{re.escape(heading_id)}"[^>]*>', html)
    assert found, f"no section {heading_id!r}"
    depth, position = 1, found.end()
    for tag in re.finditer(r"<(/?)section\b[^>]*>", html[position:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[position:position + tag.start()]
    raise AssertionError(f"section {heading_id!r} is not closed")
