"""Views as bytes (svccat.site.data): what a render worker decodes is what the main process
made, kind for kind, or decoding fails; never text escaped differently or 190 shown as 190.0."""

from __future__ import annotations

import pytest
from markupsafe import Markup
from msgspec import ValidationError

from svccat.catalogue import Loaded
from svccat.site.data import Data, decoder, encode
from svccat.site.pages import Page, PageMeta, page_bytes, page_from_bytes
from svccat.site.plan import SiteOptions, plan_site
from svccat.site.published import Link


def differences(made: object, decoded: object, where: str = "") -> list[str]:
    """Where two values differ in value or in type, however deep (Markup is not str, int
    is not float)."""
    if type(made) is not type(decoded):
        return [f"{where}: {type(made).__name__} became {type(decoded).__name__}"]
    if isinstance(made, Data):
        return [d for name in made.__struct_fields__
                for d in differences(getattr(made, name), getattr(decoded, name),
                                     f"{where}.{name}")]
    if isinstance(made, tuple):
        assert isinstance(decoded, tuple)
        if len(made) != len(decoded):
            return [f"{where}: {len(made)} entries became {len(decoded)}"]
        return [d for n, (a, b) in enumerate(zip(made, decoded, strict=True))
                for d in differences(a, b, f"{where}[{n}]")]
    return [] if made == decoded else [f"{where}: {made!r} became {decoded!r}"]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("drafts", [False, True])
def test_every_page_of_the_sample_comes_back_as_it_was_made(sample: Loaded, lang: str,
                                                           drafts: bool) -> None:
    plan = plan_site(sample, SiteOptions(drafts=drafts, base_url=None, lang=lang))
    templates = set()
    for page in plan.each_page():
        encoded = page_bytes(page)
        assert encoded is not None, page.meta.path
        back = page_from_bytes(encoded)
        assert differences((page.template, page.meta, page.view),
                           (back.template, back.meta, back.view), page.meta.path) == []
        templates.add(page.template)
    # every kind of page was among them
    assert templates >= {"index.html", "search.html", "404.html", "region.html", "item.html",
                         "department.html", "legal.html", "certificates.html", "list.html",
                         "dashboard.html", "consistency.html"}


def test_equal_views_make_equal_bytes(sample: Loaded) -> None:
    # A page's digest is its bytes' digest: the same catalogue must give the same bytes.
    options = SiteOptions(drafts=False, base_url=None, lang="zh")
    first = [page_bytes(p) for p in plan_site(sample, options).each_page()]
    second = [page_bytes(p) for p in plan_site(sample, options).each_page()]
    assert first == second


class _Row(Data, frozen=True):
    label: Markup
    link: Link
    note: Markup | None = None


_decode_row = decoder(_Row)


def test_markup_stays_markup() -> None:
    row = _Row(Markup("<b>必要</b>"), Link("办理", "items/a.html"), Markup("&amp;"))
    back = _decode_row(encode(row))
    assert differences(row, back) == []
    assert type(back.label) is Markup and type(back.note) is Markup


def test_markup_where_text_is_declared_fails_to_decode() -> None:
    # Text given as Markup would no longer be escaped: a template would show it as HTML.
    with pytest.raises(ValidationError, match=r"\$\[1\]\[0\]"):
        _decode_row(encode(_Row(Markup("x"), Link(Markup("<i>a</i>")))))


def test_text_where_markup_is_declared_fails_to_decode() -> None:
    # Text as Markup would reach the page unescaped.
    with pytest.raises(ValidationError, match=r"Markup, got str - at `\$\[0\]`"):
        _decode_row(encode(_Row("<script>", Link("a"))))  # type: ignore[arg-type]


def test_a_view_that_is_not_view_data_has_no_bytes() -> None:
    # The build then renders the page on its own process, from the view itself.
    meta = PageMeta(path="x.html", root="", title="x")
    assert page_bytes(Page(meta, "item.html", object())) is None  # type: ignore[arg-type]
