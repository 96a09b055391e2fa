"""The browser harness checked on small pages of its own: it must see a request to another host,
a console error, an uncaught exception, a broken local link, a serious accessibility violation,
a wrong first search result and a wrong materials table, and must not see them on a clean page.
A detector that cannot fail would let the site tests pass on a broken site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.checks import external_css_urls, external_resources, first_result, materials_problems
from tests.browser.conftest import Browse
from tests.browser.harness import CHROMIUM_ARGS, is_local, need, run_axe, serious, serve

HEAD = ('<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="svccat-root" content="{root}"><link rel="icon" href="data:,">'
        '<link rel="stylesheet" href="{root}style.css"><title>{title}</title></head>\n<body>\n'
        '<header><form class="site-search" action="{root}search.html" role="search">'
        '<label for="q">搜索事项</label> <input id="q" name="q" type="search"> '
        '<button type="submit">搜索</button></form></header>\n<main>\n')
FOOT = "</main>\n</body></html>\n"


def page(title: str, body: str, *, root: str = "") -> str:
    return HEAD.format(root=root, title=title) + body + FOOT


# A tiny site that keeps the DOM contract: search.html searches data/index.json on ?q=.
SEARCH_JS = """
const q = new URLSearchParams(location.search).get("q") || "";
document.getElementById("q").value = q;
fetch("data/index.json").then(r => r.json()).then(items => {
  const ol = document.getElementById("search-results");
  for (const item of items.filter(i => q && i.name.includes(q))) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = "items/" + item.id + ".html";
    a.textContent = item.name;
    li.append(a);
    ol.append(li);
  }
});
"""
MATERIALS = ('<h1>出生登记</h1>\n<table id="materials"><thead><tr><th scope="col">材料名称</th>'
             '<th scope="col">份数</th></tr></thead>\n<tbody><tr><td>出生医学证明</td><td>1</td></tr>'
             '<tr><td>父母一方的居民户口簿</td><td>1</td></tr></tbody></table>\n')
FILES = {
    "style.css": "body { font-family: sans-serif; color: #111; background: #fff; }\n",
    "index.html": page("首页", '<h1>服务事项</h1>\n<ol id="search-results"></ol>\n'),
    "search.html": page("搜索", '<h1>搜索结果</h1>\n<ol id="search-results"></ol>\n'
                        '<script src="search.js"></script>\n'),
    "search.js": SEARCH_JS,
    "data/index.json": '[{"id": "a", "name": "出生登记（证明）"}, {"id": "b", "name": "死亡证明"}]',
    "items/a.html": page("出生登记", MATERIALS, root="../"),
    # Header row missing and one material short.
    "items/b.html": page("死亡证明", '<h1>死亡证明</h1>\n<table id="materials">'
                         "<tr><td>死亡医学证明</td></tr></table>\n", root="../"),
    "clean.html": page("干净", MATERIALS + '<p id="loaded">…</p>\n<script src="clean.js"></script>\n'),
    "clean.js": 'console.log("a log is not an error");\n'
                'fetch("data/index.json").then(r => r.json()).then(d => {\n'
                '  document.getElementById("loaded").textContent = d.length + " 项"; });\n',
    "dirty.html": page("出错", '<h1>出错的页面</h1>\n'
                       '<link rel="stylesheet" href="https://cdn.example.invalid/lib.css">\n'
                       '<script src="missing.js"></script>\n'
                       '<script>console.error("deliberate console error");\n'
                       'fetch("http://api.example.invalid/v1").catch(() => {});</script>\n'
                       '<script>throw new Error("deliberate uncaught error");</script>\n'),
    # No lang, an image without alt, an unlabelled input, grey on white.
    "inaccessible.html": '<!doctype html>\n<html><head><meta charset="utf-8"><title>x</title></head>'
                         '<body><main><h1>无障碍问题</h1>\n<img src="data:image/gif;base64,'
                         'R0lGODlhAQABAAAAACw=">\n<input type="text">\n'
                         '<p style="color:#ccc;background:#fff">浅灰色的字</p></main></body></html>\n',
}


@pytest.fixture(scope="module")
def fake_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("fake-site")
    for name, text in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    with serve(root) as url:
        yield url


# --- without a browser -------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "local"), [
    ("http://127.0.0.1:8123/index.html", True),
    ("http://localhost/x.js", True),
    ("http://[::1]:80/", True),
    ("data:image/gif;base64,R0lGOD", True),
    ("about:blank", True),
    ("https://cdn.jsdelivr.net/npm/x.js", False),
    ("http://127.0.0.1.example.com/", False),
    ("http://10.0.0.1/", False),
    ("ftp://127.0.0.1/", False),
])
def test_is_local(url: str, local: bool) -> None:
    assert is_local(url) is local


def test_a_missing_prerequisite_skips_locally_and_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    need(True, "present")
    with pytest.raises(pytest.skip.Exception, match="no browser"):
        need(None, "no browser")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"no browser.*CI is set"):
        need(None, "no browser")


def test_resources_from_another_host_are_found_in_the_html() -> None:
    html = FILES["dirty.html"] + (
        '<img src="//img.example.invalid/a.png" alt="">'
        '<img srcset="a.png 1x, https://x.invalid/b.png 2x" alt="">'
        '<a href="https://www.gov.cn/">a link is not a fetch</a><script src="app.js"></script>'
        '<style>@font-face { src: url("https://fonts.example.invalid/f.woff2"); }</style>'
        '<div style="background: url(data:image/gif;base64,R0lG)"></div>')
    assert external_resources(html) == [
        "<link href=https://cdn.example.invalid/lib.css>",
        "<img src=//img.example.invalid/a.png>",
        "<img srcset=https://x.invalid/b.png 2x>",
        "<style> https://fonts.example.invalid/f.woff2",
    ]
    assert external_resources(FILES["clean.html"]) == []
    assert external_css_urls("@import 'http://x.invalid/a.css'; a { background: url(img/a.png) }") == [
        "http://x.invalid/a.css"]


def test_the_server_serves_the_folder_and_nothing_outside(tmp_path: Path) -> None:
    import urllib.error
    import urllib.request

    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.txt").write_text("served", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not served", encoding="utf-8")
    with serve(tmp_path / "site") as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "a.txt", timeout=5) as response:
            assert response.read() == b"served"
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(url + "../secret.txt", timeout=5)


# --- in Chromium -------------------------------------------------------------------------------

def test_chromium_runs_headless_with_the_required_flags(browse: Browse) -> None:
    tab = browse.context.new_page()
    tab.goto("chrome://version")
    command_line = tab.locator("#command_line").inner_text()
    for flag in [*CHROMIUM_ARGS[:6], "--headless", "--user-data-dir="]:
        assert flag in command_line, f"{flag} missing from {command_line}"
    browse.watch.assert_clean("chrome://version")


def test_a_clean_page_shows_no_problem(browse: Browse, fake_site: str, axe_source: str) -> None:
    tab = browse.open(fake_site + "clean.html")
    assert tab.locator("#loaded").inner_text() == "2 项"  # its script and fetch did run
    assert materials_problems(tab, ["出生医学证明", "父母一方的居民户口簿"]) == []
    assert serious(run_axe(tab, axe_source)) == []
    browse.watch.assert_clean()


def test_foreign_requests_console_errors_and_broken_links_are_caught(browse: Browse,
                                                                      fake_site: str) -> None:
    browse.open(fake_site + "dirty.html")
    watch = browse.watch
    assert sorted(watch.foreign_requests) == ["http://api.example.invalid/v1",
                                              "https://cdn.example.invalid/lib.css"]
    errors = "\n".join(watch.console_errors)
    assert "deliberate console error" in errors
    assert "uncaught Error: deliberate uncaught error" in errors
    assert "404" in errors and "missing.js" in errors  # a broken local link
    with pytest.raises(AssertionError, match=r"request to another host: https://cdn\.example\.invalid"):
        watch.assert_clean()


def test_axe_reports_serious_violations(browse: Browse, fake_site: str, axe_source: str) -> None:
    tab = browse.open(fake_site + "inaccessible.html")
    found = {v["id"]: v["impact"] for v in serious(run_axe(tab, axe_source))}
    assert {"html-has-lang", "image-alt", "label", "color-contrast"} <= found.keys(), found
    browse.watch.assert_clean()


def test_the_search_check_follows_the_form_and_sees_a_wrong_first_result(browse: Browse,
                                                                         fake_site: str) -> None:
    tab = browse.context.new_page()
    found = first_result(tab, fake_site, "证明", "/items/a.html")
    assert found == fake_site + "items/a.html"
    assert tab.url.startswith(fake_site + "search.html?q=")  # Enter submitted the header form
    wrong = first_result(tab, fake_site, "死亡", "/items/a.html", timeout=0.5)
    assert wrong == fake_site + "items/b.html"
    assert first_result(tab, fake_site, "没有这个事项", "/items/a.html", timeout=0.5) is None
    assert first_result(tab, fake_site, "没有这个事项", None) is None  # must find nothing, and does not
    assert first_result(tab, fake_site, "死亡", None) == fake_site + "items/b.html"  # finds one all the same
    browse.watch.assert_clean()


def test_the_materials_check_sees_a_wrong_table(browse: Browse, fake_site: str) -> None:
    good = browse.open(fake_site + "items/a.html", settle=False)
    assert materials_problems(good, ["出生医学证明", "父母一方的居民户口簿"]) == []
    one_short = materials_problems(good, ["出生医学证明", "父母一方的居民户口簿", "结婚证"])
    assert len(one_short) == 2 and "2 material row(s)" in one_short[0] and "结婚证" in one_short[1]
    bad = materials_problems(browse.open(fake_site + "items/b.html", settle=False),
                             ["死亡医学证明", "户口簿"])
    assert "no header row" in bad[0] and "1 material row(s)" in bad[1]
    no_table = materials_problems(browse.open(fake_site + "index.html", settle=False), ["x"])
    assert "0 table#materials" in no_table[0]
    browse.watch.assert_clean()
