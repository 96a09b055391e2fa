"""Phase two of a build: one Jinja environment renders each planned page to bytes."""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping
from types import CodeType
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context
from markupsafe import Markup, escape

from svccat.resources import templates_dir
from svccat.site.html import escape_value, link_html
from svccat.site.labels import HTML_LANG, Labels
from svccat.site.pages import Page, page_from_bytes
from svccat.site.published import Link

# Every page carries this policy in a meta tag; docs/site.md gives it as a server header too.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'")
# Links that leave the site (online services, official texts) pass on no opener or referrer.
EXTERNAL_REL = "noopener noreferrer"


# `{{ l.key }}` (a label's HTML) or `{{ t.key }}` (its text), alone in its braces.
_LABEL = re.compile(r"\{\{ ([lt])\.([A-Za-z0-9_]+) \}\}")


class _FoldLabels(Extension):
    """Writes each label into the template's source: labels are fixed for an environment
    (one language), and a label looked up and escaped at every render was a tenth of a
    page's rendering, hundreds of times a page."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        html: dict[str, str] = self.environment.globals["l"]  # type: ignore[assignment]
        text: dict[str, str] = self.environment.globals["t"]  # type: ignore[assignment]
        tables: dict[str, dict[str, str]] = {
            "l": html, "t": {key: escape(value) for key, value in text.items()}}

        def fold(found: re.Match[str]) -> str:
            label = tables[found[1]].get(found[2])
            # Left to the renderer: an unknown label fails there, by name, as before; a
            # label with template syntax in it would not survive as source.
            if label is None or any(c in label for c in "{}#%"):
                return found[0]
            return str(label)

        return _LABEL.sub(fold, source)


@pass_context
def link(context: Context, x: Link) -> Markup:
    """`{{ x|link }}`: a link of the site, relative to the page's root; text alone when it
    leads nowhere. A filter, neither a macro nor a global function: dozens a page, and Jinja
    calls a filter directly, a function through the context and a macro through much more."""
    return link_html(context["page"].root, x.text, x.url)


def external(url: str, text: str) -> Markup:
    """`{{ url|external(text) }}`: a link that leaves the site (see EXTERNAL_REL)."""
    return Markup(f'<a class="external" href="{escape(url)}" rel="{EXTERNAL_REL}">'
                  f'{escape(text)}</a>')


class _Template(Template):
    """A template whose autoescaping is escape_value (the compiled code calls `escape` from its
    module's namespace)."""

    @classmethod
    def from_code(cls, environment: Environment, code: CodeType,
                  globals: MutableMapping[str, Any],
                  uptodate: Callable[[], bool] | None = None) -> Template:
        template = super().from_code(environment, code, globals, uptodate)
        template.root_render_func.__globals__["escape"] = escape_value
        return template


def environment(lang: str) -> Environment:
    """The one environment of a build: autoescape on, undefined names are errors."""
    env = Environment(
        loader=FileSystemLoader(templates_dir()), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
        extensions=[_FoldLabels])
    env.template_class = _Template
    labels = Labels(lang)
    env.globals.update(l=labels.html_table(), t=labels.text_table(), csp=Markup(CSP),
                       html_lang=HTML_LANG)
    env.filters.update(link=link, external=external)
    return env


def render_page(env: Environment, page: Page) -> bytes:
    return _render(env, page.template, page.meta, page.view)


def render_encoded(env: Environment, encoded: bytes) -> bytes:
    """render_page for a page as svccat.site.pages.page_bytes gives it (this build's own
    bytes: a rendering worker's input)."""
    return render_page(env, page_from_bytes(encoded))


def _render(env: Environment, template: str, meta: object, view: object) -> bytes:
    return env.get_template(template).render(page=meta, view=view).encode("utf-8")
