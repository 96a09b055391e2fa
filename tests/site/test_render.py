"""Every rendered page: valid structure, accessible, and nothing loaded from elsewhere."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from jinja2 import UndefinedError
from markupsafe import Markup, escape

from svccat.site.html import escape_text
from svccat.site.published import Link
from svccat.site.render import CSP, environment
from tests.site import htmlcheck
from tests.site.conftest import Built


def test_every_sample_page_passes_the_checks(sample_site: Built) -> None:
    pages = sample_site.pages()
    assert len(pages) > 300
    problems = {path: page.problems for path, page in pages.items() if page.problems}
    assert problems == {}


def test_no_sample_link_leads_nowhere(sample_site: Built) -> None:
    assert htmlcheck.broken_links(sample_site.root, sample_site.pages()) == []


def test_only_the_404_page_links_from_the_server_root(sample_site: Built) -> None:
    rooted = sorted(path for path, page in sample_site.pages().items()
                    if any(link.startswith("/") for link in page.links))
    assert rooted == ["404.html"]


@pytest.mark.parametrize("path", ["index.html", "items/370784-sfz-sl.html", "dashboard.html",
                                  "certificates.html", "regions/370784.html", "search.html"])
def test_security_rules_hold_on_every_kind_of_page(small_site: Built, path: str) -> None:
    html = small_site.html(path)
    assert '<html lang="zh-CN">' in html
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in html
    assert not re.search(r"\son[a-z]+\s*=", html)  # no inline event handler
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)  # every script has a src
    assert not re.search(r"<script[^>]*>[^<]", html)  # and no body
    assert not re.search(r'<(?:script|link|img)\b[^>]*\s(?:src|href)="(?:https?:)?//', html)
    assert "style=" not in html
    assert htmlcheck.check(html).problems == []


def test_landmarks_skip_link_and_keyboard_focus(small_site: Built) -> None:
    html = small_site.html("items/370784-sfz-sl.html")
    assert html.index('<a class="skip-link" href="#main">跳到正文</a>') < html.index("<header")
    assert '<main id="main"' in html
    # Scrollable tables can be reached and scrolled with the keyboard, and have a name.
    assert ('<div class="table-scroll" role="region" aria-labelledby="materials-caption" '
            'tabindex="0">') in html
    css = (small_site.root / "static/style.css").read_text("utf-8")
    assert ":focus-visible" in css and "outline" in css


def test_print_stylesheet_prints_a_guide_without_navigation(small_site: Built) -> None:
    html = small_site.html("items/370784-sfz-sl.html")
    assert '<link rel="stylesheet" href="../static/print.css" media="print">' in html
    css = (small_site.root / "static/print.css").read_text("utf-8")
    found = re.search(r"([^{}]+)\{\s*display:\s*none", css)
    assert found
    hidden = found.group(1)
    for selector in (".site-header", ".site-nav", ".site-search", ".breadcrumbs", ".site-footer"):
        assert selector in hidden


def test_stylesheets_load_nothing_from_elsewhere(small_site: Built) -> None:
    for name in ("style.css", "print.css"):
        css = (small_site.root / "static" / name).read_text("utf-8")
        assert "@import" not in css and "url(" not in css and "@font-face" not in css



def test_a_link_is_relative_to_the_page_and_escaped() -> None:
    template = environment("zh").from_string("{{ a|link }}|{{ b|link }}")
    html = template.render(page=SimpleNamespace(root="../"),
                           a=Link("A&B <x>", "items/a.html?x=1&y=2"), b=Link("<none>"))
    assert html == ('<a href="../items/a.html?x=1&amp;y=2">A&amp;B &lt;x&gt;</a>|'
                    "&lt;none&gt;")


def test_an_external_link_passes_nothing_on_and_is_escaped() -> None:
    html = environment("zh").from_string("{{ url|external(text) }}").render(
        url='https://example.gov.cn/a?x=1&y="2"', text="<办事>")
    assert html == ('<a class="external" href="https://example.gov.cn/a?x=1&amp;y=&#34;2&#34;" '
                    'rel="noopener noreferrer">&lt;办事&gt;</a>')


def test_autoescaping_keeps_markup_and_escapes_everything_else() -> None:
    template = environment("zh").from_string("{{ a }}|{{ b }}|{{ c }}|{{ d }}")
    html = template.render(a=Markup("<b>安</b>"), b="<b>&'\"", c=12, d=Link("x"))
    assert html == "<b>安</b>|&lt;b&gt;&amp;&#39;&#34;|12|Link(text=&#39;x&#39;, url=None)"


def test_escaped_output_is_escaped_once_in_macros_blocks_and_joins() -> None:
    # Text comes out of the autoescaping as plain str: whatever then joins it must not
    # take it for unescaped text again.
    template = environment("zh").from_string(
        "{% macro m(v) %}[{{ v }}]{% endmacro %}"
        "{% macro c() %}({{ caller() }}){% endmacro %}"
        "{% set block %}{{ a }}{% endset %}"
        "{{ m(a) }}|{% call c() %}{{ a }}{% endcall %}|{{ block }}|{{ a ~ b }}"
        "|{{ [a, b]|join(',') }}|{{ m(a)|upper }}")
    html = template.render(a="<&>", b=Markup("<i>"))
    assert html == ("[&lt;&amp;&gt;]|(&lt;&amp;&gt;)|&lt;&amp;&gt;|&lt;&amp;&gt;<i>"
                    "|&lt;&amp;&gt;,<i>|[&LT;&AMP;&GT;]")


@pytest.mark.parametrize("text", ["", "plain 文本", "<b>&'\"</b>", "&amp;", "'\"" * 3])
def test_text_escaping_matches_markupsafe(text: str) -> None:
    assert escape_text(text) == str(escape(text))


def test_labels_are_written_into_the_templates_and_unknown_ones_still_fail() -> None:
    env = environment("zh")
    assert env.loader is not None
    source = env.loader.get_source(env, "base.html")[0]
    # The folded source is what is compiled: the label's text, not its lookup.
    folded = env.preprocess(source, "base.html")
    assert "{{ l.skip }}" in source and "{{ l.skip }}" not in folded
    assert '<a class="skip-link" href="#main">跳到正文</a>' in folded
    assert environment("en").preprocess("{{ l.skip }} {{ t.nav_label }}", "x") == (
        '<span lang="en">Skip to main content</span> Site navigation')
    with pytest.raises(UndefinedError, match="no_such_label"):
        env.from_string("{{ l.no_such_label }}").render()
