"""Script payloads in every text field of an item and of the registries: the built pages, the
diff reports and the lint reports show them as text and never run them (issue #8).

The payloads: `<script>`, an attribute break-out with an `onerror` handler, Jinja-looking
`{{ 7*7 }}` (it must stay text, never become 49), `</details>` (it must not close the
reports' folded blocks) and an HTML comment opener. URL fields take no `javascript:` at all:
the schema refuses every scheme but http(s).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from markupsafe import escape

from svccat.loader import load_text
from svccat.schema import Kind, bundled, validate
from svccat.site.output import MARKER
from svccat.site.render import CSP
from tests.conftest import REPO
from tests.security.conftest import svccat
from tests.site import htmlcheck
from tests.site.small import ITEMS, REGISTRIES, write_small

PAYLOAD = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>{{ 7*7 }}</details>'<!--"
# What must never appear raw in markup: each would start an element, an attribute or a comment.
RAW = ["<script>alert", "<img src=x", "\"><img", "</details>'", "<!--", "{{ 7*7 }}</details>"]
URL_BREAKOUT = "https://zwfw.example.gov.cn/a\"><script>alert(2)</script>"

FULL_NAME = "370784/370784-sfz-sl.yaml"
# Fields the small catalogue leaves out, so that every free-text field of the schemas is here.
ADDED: dict[str, dict[str, Any]] = {
    FULL_NAME: {
        "committed_limit": {"days": 15, "unit": "自然日", "note": "不含制证时间"},
        "materials": {0: {"acceptance_standard": "真实有效",
                          "basis": {"document": "sfzf", "article": "第十条", "text": "条文"}}},
        "steps": {0: {"limit": {"days": 0, "unit": "自然日", "note": "当场"}}},
        "legal_basis": {"implementing": {0: {"text": "条文"}}},
        "fees": {0: {"basis": {"document": "sfzf", "article": "第二十条", "text": "条文"}}},
        "review": {"public_comment": {"start": "2025-06-01", "end": "2025-06-30",
                                      "url": "https://zwfw.sd.gov.cn/yj",
                                      "response": "已采纳"}},
    },
    "certificates": {"retained": {0: {"basis": {0: {"text": "条文"}}}},
                     "cancelled": {0: {"cancelled_by": {"text": "条文"}}}},
}


def _merge(target: Any, extra: Any) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(target, (dict, list)) and \
                (key in target if isinstance(target, dict) else key < len(target)):
            _merge(target[key], value)
        else:
            target[key] = value


def _schema_at(kind: Kind, path: tuple[Any, ...]) -> dict[str, Any]:
    node: dict[str, Any] = bundled(kind)
    for step in path:
        node = node.get("items", {}) if isinstance(step, int) else \
            node.get("properties", {}).get(step, {})
    return node


def _is_free_text(schema: dict[str, Any]) -> bool:
    return (schema.get("type") == "string" and not ({"enum", "pattern", "format"} & set(schema))) \
        or schema.get("pattern") == "\\S"


def _is_url(schema: dict[str, Any]) -> bool:
    return str(schema.get("pattern", "")).startswith("^https?://")


def _strings(node: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, (*here, index))
    elif isinstance(node, str):
        yield here, node


def _schema_fields(kind: Kind, want: Any) -> set[str]:
    """Every field of a schema that `want` picks, as a path with * for list entries."""
    found: set[str] = set()

    def walk(node: dict[str, Any], path: str) -> None:
        if want(node):
            found.add(path)
        for name, sub in node.get("properties", {}).items():
            walk(sub, f"{path}/{name}")
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{path}/*")

    walk(bundled(kind), "")
    return found


def _shape(path: tuple[Any, ...]) -> str:
    return "".join(f"/{'*' if isinstance(step, int) else step}" for step in path)


KINDS = {"regions": Kind.REGIONS, "departments": Kind.DEPARTMENTS,
         "legal-documents": Kind.LEGAL_DOCUMENTS, "certificates": Kind.CERTIFICATES}


def _poisoned(root: Path) -> dict[Kind, set[str]]:
    """Write the small catalogue with the payload appended to every free-text value (and a
    URL that tries to leave its attribute); the fields poisoned, by kind."""
    write_small(root)
    poisoned: dict[Kind, set[str]] = {kind: set() for kind in Kind}
    files = {f"catalogue/items/{name}": (Kind.ITEM, name) for name in ITEMS}
    files.update({name: (KINDS[Path(name).stem], Path(name).stem) for name in REGISTRIES})
    for file, (kind, key) in files.items():
        data = yaml.safe_load((root / file).read_text(encoding="utf-8"))
        _merge(data, ADDED.get(key, {}))
        for path, value in list(_strings(data)):
            if _is_free_text(_schema_at(kind, path)):
                _set(data, path, f"{value}{PAYLOAD}")
                poisoned[kind].add(_shape(path))
        if key == FULL_NAME:
            data["channels"]["online"]["url"] = URL_BREAKOUT
        (root / file).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return poisoned


def _set(document: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        document = document[step]
    document[path[-1]] = value


@pytest.fixture(scope="module")
def poisoned_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[Kind, set[str]]]:
    root = tmp_path_factory.mktemp("xss") / "project"
    return root, _poisoned(root)


def test_every_free_text_field_of_every_schema_carries_the_payload(
        poisoned_project: tuple[Path, dict[Kind, set[str]]]) -> None:
    """The test below covers the whole format: a new free-text field in a schema fails here
    until the poisoned catalogue fills it too."""
    project, poisoned = poisoned_project
    for kind in Kind:
        assert _schema_fields(kind, _is_free_text) == poisoned[kind], kind
    assert svccat("lint", cwd=project).code == 0  # the payloads are valid text


@pytest.mark.parametrize("options", [[], ["--lang", "en"], ["--drafts", "--base-url", "/zn/"]],
                         ids=["zh", "en", "drafts"])
def test_no_page_contains_a_payload_unescaped(
        poisoned_project: tuple[Path, dict[Kind, set[str]]], options: list[str]) -> None:
    """Protects: autoescaping of every template and every value computed in Python
    (Markup only for svccat's own labels), the CSP meta on every page, rel on external links,
    and no inline script: a payload shows as text, the page structure stays whole."""
    project, _ = poisoned_project
    out = project / f"site-{'-'.join(options) or 'zh'}".replace("/", "")
    built = svccat("build", "--out", out.name, *options, cwd=project)
    built.assert_answered()
    assert built.code == 0 and (out / MARKER).is_file(), built.stderr
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 20
    shown = 0
    for page in pages:
        markup = page.read_text(encoding="utf-8")
        where = page.relative_to(out).as_posix()
        for raw in RAW:
            assert raw not in markup, f"{where}: {raw!r} unescaped"
        assert "alert(2)</script>" not in markup and 'a"><script>' not in markup, where
        problems = htmlcheck.check(markup).problems
        if where == "404.html":  # links from the server root, by design
            problems = [p for p in problems if "root" not in p]
        assert problems == [], (where, problems)
        text = html.unescape(re.sub(r"<[^>]+>", "", markup))
        shown += text.count(PAYLOAD)
        assert "49</details>" not in text, f"{where}: {{{{ 7*7 }}}} was evaluated"
    assert shown > 100  # the payloads are there, as text
    guide = (out / "items/370784-sfz-sl.html").read_text(encoding="utf-8")
    assert f'href="{escape(URL_BREAKOUT)}"' in guide  # the attribute holds it, escaped


def test_reports_show_the_payload_as_text(poisoned_project: tuple[Path, dict[Kind, set[str]]],
                                          tmp_path: Path) -> None:
    """Protects: the diff's Markdown (a pull-request comment, rendered as HTML by GitHub) and
    HTML reports escape catalogue text in every cell, the department and region names
    included (before the fix those two went into the Markdown raw, so a department named
    `</details>` closed the comment's folded block)."""
    project, _ = poisoned_project
    before = tmp_path / "before"
    write_small(before)
    for args in (["before/catalogue", "catalogue"], ["--matrix", "370784", "370785"]):
        for fmt in ("markdown", "html"):
            cwd = project
            if args[0].startswith("before"):
                args = [str(before / "catalogue"), "catalogue"]
            done = svccat("diff", *args, "--format", fmt, cwd=cwd)
            done.assert_answered()
            assert done.code == 0, done.stderr
            assert PAYLOAD[:10] in html.unescape(done.stdout) or "--matrix" in args
            for raw in RAW:
                assert raw not in done.stdout, (args, fmt, raw)


def test_lint_reports_show_a_payload_key_as_text(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects: a key made of markup (reported by S002 with its name) stays text in the
    GitHub step summary (Markdown rendered as HTML) and in the SARIF and JSON outputs."""
    project = write_small(tmp_path / "project")
    item = project / "catalogue/items/370784/370784-sfz.yaml"
    item.write_text(item.read_text(encoding="utf-8") + f"{yaml.safe_dump({PAYLOAD: 1})}",
                    encoding="utf-8")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    done = svccat("lint", "--format", "github", cwd=project)
    assert done.code == 1 and "S002" in done.stdout
    for raw in RAW:
        assert raw not in summary.read_text(encoding="utf-8"), raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summary.read_text(encoding="utf-8")


def test_the_csp_forbids_inline_script_and_the_server_header_is_documented() -> None:
    """Protects: the policy every page carries (checked on each page above) allows scripts,
    styles and everything else from the site itself only, no plugins and no <base>; the
    header documented for nginx and Apache is the same policy plus frame-ancestors."""
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert "unsafe" not in CSP
    guide = (REPO / "docs" / "site.md").read_text(encoding="utf-8")
    header = f"{CSP}; frame-ancestors 'none'"
    assert f'add_header Content-Security-Policy "{header}" always;' in guide
    assert f'Header always set Content-Security-Policy "{header}"' in guide


URL_FIELDS = {
    Kind.ITEM: ["/materials/0/blank_form", "/materials/0/sample", "/channels/online/url",
                "/channels/appointment/url", "/result/sample", "/review/public_comment/url"],
    Kind.LEGAL_DOCUMENTS: ["/legal_documents/0/url"],
}
HOSTILE_URLS = ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                "java\tscript:alert(1)", "javascript://x.example/%0Aalert(1)",
                "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                "file:///etc/passwd", "//evil.example/x", "https:evil.example", "x.html",
                "https://a.example/\n<script>", "ftp://x.example/"]


def test_url_fields_are_the_whole_list() -> None:
    for kind in Kind:
        wanted = {f.replace("/*", "/0") for f in _schema_fields(kind, _is_url)}
        assert wanted == set(URL_FIELDS.get(kind, [])), kind


@pytest.mark.parametrize("url", HOSTILE_URLS)
@pytest.mark.parametrize(("kind", "pointer"), [(k, p) for k, ps in URL_FIELDS.items() for p in ps])
def test_url_fields_refuse_every_scheme_but_http(url: str, kind: Kind, pointer: str) -> None:
    """Protects: the url definition's `^https?://` pattern, on every URL field of every
    schema, so `javascript:`, `data:`, `vbscript:` and `file:` links never reach a page."""
    base = _valid_document(kind)
    steps = [int(s) if s.isdigit() else s for s in pointer.strip("/").split("/")]
    target = base
    for step in steps[:-1]:
        target = target.setdefault(step, {}) if isinstance(step, str) else target[step]
    target[steps[-1]] = url
    loaded = load_text(yaml.safe_dump(base, allow_unicode=True), "t.yaml")
    assert loaded.document is not None
    problems = validate(loaded.document, kind)
    assert (pointer, "S005") in {(p.path, p.code) for p in problems}, problems


def _valid_document(kind: Kind) -> dict[str, Any]:
    if kind is Kind.ITEM:
        document: dict[str, Any] = yaml.safe_load(ITEMS[FULL_NAME])
        _merge(document, ADDED[FULL_NAME])
        document["materials"][0].update(blank_form="https://a.example/f",
                                        sample="https://a.example/s")
        return document
    loaded: dict[str, Any] = yaml.safe_load(REGISTRIES["catalogue/registries/legal-documents.yaml"])
    return loaded
