"""Escaping and a link's markup, in one place for the templates (svccat.site.render) and for
the markup that is made once a build instead of once a page (the related items of a guide).

Templates hold the markup of a page. The exception is markup that every one of thousands of
pages would make alike: a province's guides each list the same item in about twenty other
regions, and those lists were a quarter of an item page's rendering and a third of its
view's bytes. Each entry is made here once a build (svccat.site.published.Published.related)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any, cast

from markupsafe import Markup, escape


def escape_text(text: str, /) -> str:
    """What markupsafe's escape makes of text, as plain str."""
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


_escape_text: Callable[[str], str] = escape_text
# markupsafe's own escaping of text, in C, before it wraps the result in Markup; kept to
# escape_text where markupsafe was built without its C speedups, or moved them.
with suppress(ImportError):
    from markupsafe._speedups import _escape_inner as _escape_text


def escape_value(value: Any) -> str:
    """markupsafe's escape for the compiled templates' output, hundreds of times a page,
    without its two Python calls: Markup (labels, links) is safe already and goes as it is;
    text is escaped in C and goes as plain str, not wrapped in a Markup that only its join
    into the page would read. (What `escape` gives is only ever written out: filters and
    `~` get the values themselves.) Anything else (numbers) takes markupsafe's way."""
    kind = type(value)
    if kind is str:
        return _escape_text(value)
    if kind is Markup:
        return cast(Markup, value)
    return escape(value)


def link_html(root: str, text: str, url: str | None) -> Markup:
    """A link of the site, relative to the page's root; the text alone when it leads
    nowhere."""
    if not url:
        return escape(text)
    return Markup(f'<a href="{escape_value(root)}{escape_value(url)}">'
                  f'{escape_value(text)}</a>')
