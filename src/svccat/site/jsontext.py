"""JSON text of the open data: the document's keys and the entries of its lists each on a line,
every entry written whole by the standard library's C encoder. Read back, it is the same data
as json.dumps(data, ensure_ascii=False, indent=2, default=str).

json.dumps uses its C encoder only without an indent; indented, it encodes in pure Python, and
the open-data files (the whole catalogue, twice) were about 8% of a 10,000-item build's CPU.
An entry per line also reads well in a diff and in grep."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

# json.dumps(value, ensure_ascii=False, default=str): the C encoder, its ", " and ": "
# separators; NaN and the infinities as JavaScript writes them, anything else as its str().
# No check for cycles (a tenth of the time): the loader refuses YAML aliases, so the entries
# are trees.
_one_line: Callable[[Any], str] = json.JSONEncoder(
    ensure_ascii=False, default=str, check_circular=False).encode

# Entries joined into one piece of dumps_pieces: a few hundred kilobytes of the catalogue.
_PIECE_ENTRIES = 100


class Encoded(str):
    """A value's JSON text, made already (by `line`): written as it is, where the value
    would be. The open data holds each item twice (the catalogue and its region)."""


def line(value: Any) -> Encoded:
    """The JSON text of value on one line, as dumps writes it in a list or a dict."""
    return Encoded(_one_line(value))


def _text(value: Any) -> str:
    return value if type(value) is Encoded else _one_line(value)


def dumps(data: Any) -> str:
    """The JSON text of data (dicts, lists, tuples, strings, numbers, booleans, None; anything
    else as its str()): a dict with each key on a line, the entries of a list each on a line,
    everything else on one line."""
    return "".join(dumps_pieces(data))


def dumps_pieces(data: Any) -> Iterator[str]:
    """dumps(data) in pieces of a few entries: the whole catalogue's text (hundreds of megabytes
    at 100,000 items) never exists at once."""
    if isinstance(data, dict) and data:
        separator = "{\n  "
        for key, value in data.items():
            yield separator + _key(key) + ": "
            separator = ",\n  "
            if isinstance(value, (list, tuple)):
                yield from _lines(value, "\n  ")
            else:
                yield _text(value)
        yield "\n}"
    elif isinstance(data, (list, tuple)):
        yield from _lines(data, "\n")
    else:
        yield _text(data)


def _key(key: Any) -> str:
    # The encoder's own key text (an int, float, bool or None key as a string; other keys
    # refused), cut out of a one-entry dict: its rules stay in one place.
    return _one_line({key: None})[1:-len(": null}")]


def _lines(values: list[Any] | tuple[Any, ...], newline: str) -> Iterator[str]:
    if not values:
        yield "[]"
        return
    inner = newline + "  "
    separator = "," + inner
    yield "[" + inner
    for start in range(0, len(values), _PIECE_ENTRIES):
        if start:
            yield separator
        yield separator.join(map(_text, values[start:start + _PIECE_ENTRIES]))
    yield newline + "]"
