"""The preview server: serves the site on 127.0.0.1 and rebuilds when the catalogue changes."""

from __future__ import annotations

import io
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from svccat.config import load_config
from svccat.site.build import BuildOptions
from svccat.site.render import CSP
from svccat.site.serve import serve, snapshot


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def fetch(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8"), dict(response.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8"), dict(e.headers)


@contextmanager
def serving(project: Path) -> Iterator[tuple[str, io.StringIO]]:
    """The preview of `project`'s catalogue running in a thread: its address and its stderr."""
    out, err = io.StringIO(), io.StringIO()
    stop = threading.Event()
    config = load_config(cwd=project)
    codes: list[int] = []
    thread = threading.Thread(target=lambda: codes.append(serve(
        config, BuildOptions(out=project / "site"), port=0, stream=err, out=out, interval=0.05,
        stop=stop.is_set)))
    thread.start()
    try:
        wait_for(lambda: "http://127.0.0.1:" in out.getvalue())
        found = re.search(r"http://127\.0\.0\.1:\d+/", out.getvalue())
        assert found
        yield found.group(0), err
    finally:
        stop.set()
        thread.join(timeout=60)
    assert codes == [0]


def test_serves_the_site_and_rebuilds_on_change(project: Path) -> None:
    with serving(project) as (base, _):
        status, body, headers = fetch(base + "items/370784-sfz-sl.html")
        assert status == 200 and "<h1>居民身份证首次申领</h1>" in body
        assert headers["Content-Security-Policy"] == CSP
        status, body, _ = fetch(base + "items/no-such-item.html")
        assert status == 404 and "页面不存在" in body

        item = project / "catalogue/items/370784/370784-sfz-sl.yaml"
        item.write_text(item.read_text("utf-8").replace("name: 居民身份证首次申领",
                                                        "name: 居民身份证首次申请领取"),
                        encoding="utf-8")
        wait_for(lambda: "居民身份证首次申请领取" in fetch(base + "items/370784-sfz-sl.html")[1])


def test_a_lint_error_keeps_the_last_good_site(project: Path) -> None:
    with serving(project) as (base, err):
        before = snapshot(project / "catalogue")
        (project / "catalogue/items/370784/370784-sfz.yaml").write_text("id: [", encoding="utf-8")
        assert snapshot(project / "catalogue") != before
        wait_for(lambda: "未生成网站" in err.getvalue())
        status, body, _ = fetch(base + "items/370784-sfz.html")
        assert status == 200 and "<h1>居民身份证办理</h1>" in body


def test_nothing_is_served_when_the_first_build_is_refused(project: Path) -> None:
    (project / "catalogue/items/370784/370784-sfz.yaml").write_text("id: [", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    config = load_config(cwd=project)
    assert serve(config, BuildOptions(out=project / "site"), port=0, stream=err, out=out,
                 stop=lambda: True) == 1
    assert out.getvalue() == "" and not (project / "site").exists()
