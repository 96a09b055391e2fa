"""Fixtures of the browser tests: Chromium and axe-core once per session, the sample site built
and served once per session, and a fresh watched browser context for every test."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser.harness import (
    AXE_JS,
    INSTALL_HINT,
    Watch,
    find_chromium,
    launch,
    need,
    serve,
    watched_context,
)
from tests.conftest import REPO, run_svccat


@dataclass(frozen=True)
class Site:
    root: Path  # the built site
    url: str  # where it is served, ending in '/'

    def page_url(self, path: str) -> str:
        return self.url + path.lstrip("/")


@dataclass
class Browse:
    """One test's browser context: open pages in it, then assert nothing went wrong."""

    context: Any
    watch: Watch

    def open(self, url: str, *, settle: bool = True) -> Any:
        """A new page at url, loaded; with settle, also wait until the network is idle, so the
        errors of late scripts and fetches are recorded too."""
        page = self.context.new_page()
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
        if settle:
            page.wait_for_load_state("networkidle")
        return page


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = find_chromium()
    where = os.environ.get("SVCCAT_CHROMIUM") or "/usr/bin/chromium, nor chromium on PATH"
    need(executable, f"no Chromium at {where}: {INSTALL_HINT}")
    need(importlib.util.find_spec("playwright") is not None,
         "the playwright package is missing: pip install -e '.[test]'")
    assert executable is not None
    with launch(executable) as running:
        yield running


@pytest.fixture(scope="session")
def axe_source() -> str:
    need(AXE_JS.is_file(), f"axe-core missing ({AXE_JS.relative_to(REPO)}): {INSTALL_HINT}")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def browse(browser: Any) -> Iterator[Browse]:
    with watched_context(browser) as (context, watch):
        yield Browse(context, watch)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """`svccat build` of the sample catalogue, served on 127.0.0.1.

    SVCCAT_SITE=<folder> serves a site built beforehand instead (to rerun the browser tests
    quickly while working on the templates).
    """
    prebuilt = os.environ.get("SVCCAT_SITE")
    if prebuilt:
        out = Path(prebuilt).resolve()
    else:
        probe = run_svccat("build", "--help", cwd=REPO)
        said = (probe.stderr + probe.stdout).strip()
        if probe.returncode != 0 and "No such command" in said:
            pytest.skip("`svccat build` does not exist yet, so there is no site to test")
        assert probe.returncode == 0, f"svccat build --help failed ({probe.returncode}):\n{said}"
        out = tmp_path_factory.mktemp("site") / "site"
        done = run_svccat("build", "--out", str(out), cwd=REPO)
        assert done.returncode == 0, f"svccat build failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    assert (out / "index.html").is_file(), f"no index.html in {out}"
    with serve(out) as url:
        yield Site(out, url)
