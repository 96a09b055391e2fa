"""Phase two of a build: one Jinja environment renders each planned page to bytes."""

from __future__ import annotations

import pickle

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from svccat.resources import templates_dir
from svccat.site.labels import HTML_LANG, Labels
from svccat.site.pages import Page

# Every page carries this policy in a meta tag; docs/site.md gives it as a server header too.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'")
# Links that leave the site (online services, official texts) pass on no opener or referrer.
EXTERNAL_REL = "noopener noreferrer"


def environment(lang: str) -> Environment:
    """The one environment of a build: autoescape on, undefined names are errors."""
    env = Environment(
        loader=FileSystemLoader(templates_dir()), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False)
    labels = Labels(lang)
    env.globals.update(l=labels.html_table(), t=labels.text_table(), csp=Markup(CSP),
                       html_lang=HTML_LANG, external_rel=EXTERNAL_REL)
    return env


def render_page(env: Environment, page: Page) -> bytes:
    return _render(env, page.template, page.meta, page.view)


def render_pickled(env: Environment, pickled: bytes) -> bytes:
    """render_page for a page as svccat.site.fingerprint.page_pickle gives it (this build's
    own bytes: a rendering worker's input)."""
    return _render(env, *pickle.loads(pickled))


def _render(env: Environment, template: str, meta: object, view: object) -> bytes:
    return env.get_template(template).render(page=meta, view=view).encode("utf-8")
