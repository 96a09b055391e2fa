"""The plain data the templates are given (svccat.site.views and the pages' views), and its
bytes: what a page's digest is made of and what a render worker is sent.

Views are msgspec Structs, not dataclasses: frozen and typed alike, but cheaper at every
step. A page's view is made, encoded and decoded once for each of a province's 90,000 pages,
and pickle alone cost more CPU than rendering the page; at 10,000 items, a page's view is
now made in 0.28 ms (0.39), encoded in 0.05 ms (pickle: 0.31) and decoded in 0.21 ms (0.38).

What comes back must be what was made, kind for kind, or the page would change:
- Markup (text that is already HTML) travels as an extension value, so a field declared
  `str` that is given Markup, or `Markup` given text, fails to decode instead of being
  escaped differently;
- a field declared `float` turns an int into a float (190 would show as 190.0): a number
  that may be either is declared `int | float`. tests/site/test_data.py decodes every page
  of the sample catalogue and compares each value and its type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from markupsafe import Markup
from msgspec import Struct
from msgspec.msgpack import Decoder, Encoder, Ext

_MARKUP = 1  # the extension code of Markup

T = TypeVar("T")


class Data(Struct, frozen=True, array_like=True):
    """Base of every view class: frozen, and encoded as arrays (field order, no names)."""


def _enc_hook(value: object) -> Ext:
    if isinstance(value, Markup):
        return Ext(_MARKUP, str(value).encode("utf-8"))
    raise TypeError(f"not view data: {type(value).__name__}")


def _ext_hook(code: int, data: memoryview) -> Markup:
    if code != _MARKUP:
        raise ValueError(f"unknown extension {code}")
    return Markup(bytes(data).decode("utf-8"))


def _dec_hook(kind: type, value: object) -> object:
    # Called for a field declared Markup: the value was decoded by _ext_hook already.
    if kind is Markup and isinstance(value, Markup):
        return value
    raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")


_encoder = Encoder(enc_hook=_enc_hook)
encode: Callable[[object], bytes] = _encoder.encode


def decoder(kind: type[T] | Any) -> Callable[[bytes], T]:
    """A function that decodes what `encode` made of a value of this type."""
    decode: Callable[[bytes], T] = Decoder(kind, dec_hook=_dec_hook, ext_hook=_ext_hook).decode
    return decode
