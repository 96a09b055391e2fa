"""Headless Chromium for the browser tests: a local static server, watched pages, axe-core.

Chromium is Debian's (/usr/bin/chromium, installed by scripts/install-browser.sh) driven by
the `playwright` package over its pipe; Playwright never downloads a browser here. Every
request to a host other than 127.0.0.1/localhost is recorded and aborted before it leaves
the machine, and every console error and uncaught exception is recorded, so a test can
assert that a page is self-contained and quiet.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
INSTALL_HINT = "run `bash scripts/install-browser.sh` (Debian chromium + axe-core from npm)"

# The flags the project requires. Playwright adds --headless and a fresh --user-data-dir (a new
# temporary profile for every launch; it refuses one passed by hand). The resolver rule is a
# second fence behind the request interception: Chromium itself resolves no host name.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# URLs that never touch the network.
LOCAL_SCHEMES = frozenset({"data", "blob", "about", "chrome", "chrome-error", "devtools"})
SERIOUS = frozenset({"serious", "critical"})


def need(condition: object, reason: str) -> None:
    """Skip when a prerequisite is missing on a developer's machine; fail under CI.

    CI sets CI=true: there a missing browser must not turn the browser tests into a silent
    skip, so the run fails and says what to install.
    """
    if condition:
        return
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    """SVCCAT_CHROMIUM, else Debian's /usr/bin/chromium, else chromium on PATH."""
    wanted = os.environ.get("SVCCAT_CHROMIUM")
    if wanted:
        return wanted if os.access(wanted, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and (parts.hostname or "") in LOCAL_HOSTS


# --- the static server -------------------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve root on 127.0.0.1 on a free port, in a thread; yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="svccat-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- watched pages -----------------------------------------------------------------------------

@dataclass
class Watch:
    """What the pages of one browser context did that a self-contained, quiet site must not."""

    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return ([f"console error: {e}" for e in self.console_errors]
                + [f"request to another host: {u}" for u in self.foreign_requests])

    def assert_clean(self, what: str = "the pages") -> None:
        found = self.problems()
        assert not found, f"{what}: {len(found)} problem(s)\n  " + "\n  ".join(found)


def _console(watch: Watch, message: Any) -> None:
    if message.type == "error":
        where = message.location or {}
        at = f" ({where.get('url')}:{where.get('lineNumber')})" if where.get("url") else ""
        page = message.page.url if message.page else "?"
        watch.console_errors.append(f"[{page}] {message.text}{at}")


def _web_error(watch: Watch, error: Any) -> None:
    page = error.page.url if error.page else "?"
    thrown = error.error
    name = getattr(thrown, "name", None) or "Error"
    watch.console_errors.append(f"[{page}] uncaught {name}: {getattr(thrown, 'message', thrown)}")


def _request(watch: Watch, request: Any) -> None:
    if not is_local(request.url):
        watch.foreign_requests.append(request.url)


@contextmanager
def watched_context(browser: Any) -> Iterator[tuple[Any, Watch]]:
    """A fresh browser context whose every page is watched and whose foreign requests abort."""
    watch = Watch()
    context = browser.new_context(locale="zh-CN", service_workers="block")
    context.set_default_timeout(10_000)
    context.on("request", functools.partial(_request, watch))
    context.on("console", functools.partial(_console, watch))
    context.on("weberror", functools.partial(_web_error, watch))
    # Nothing leaves the machine: a foreign request is recorded (above) and then aborted.
    context.route(lambda url: not is_local(url), lambda route: route.abort("blockedbyclient"))
    try:
        yield context, watch
    finally:
        context.close()


@contextmanager
def launch(executable: str) -> Iterator[Any]:
    """Launch headless Chromium with the project's flags; yields a Playwright Browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=list(CHROMIUM_ARGS), timeout=30_000)
        try:
            yield browser
        finally:
            browser.close()


# --- axe-core ----------------------------------------------------------------------------------

# Runs inside the page: only the fields a reader needs to find and fix each violation.
_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html,
                              summary: n.failureSummary || ""})),
  }));
}"""


def run_axe(page: Any, axe_source: str) -> list[dict[str, Any]]:
    """Inject axe-core into the page and return every violation it finds.

    The source is evaluated over the DevTools protocol rather than added as a <script>, so a
    Content-Security-Policy on the page neither blocks it nor has to be bypassed.
    """
    page.evaluate(axe_source)
    violations: list[dict[str, Any]] = page.evaluate(_AXE_RUN)
    return violations


def serious(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in violations if v.get("impact") in SERIOUS]


def format_violations(page_name: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{page_name}: {len(violations)} axe violation(s)"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {node['target']}: {node['html'][:160]}")
            for line in node["summary"].splitlines():
                if line.strip():
                    lines.append(f"      {line.strip()}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more element(s)")
    return "\n".join(lines)
