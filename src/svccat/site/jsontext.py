"""JSON text exactly as `json.dumps(data, ensure_ascii=False, indent=2, default=str)` writes it,
about half again as fast: with an indent the standard library encodes in pure Python through
nested generators, and the open data files (the whole catalogue, twice) were a third of a
large build."""

from __future__ import annotations

import json.encoder
from collections.abc import Callable, Iterator
from typing import Any

# The C escaper that json.dumps uses without ensure_ascii.
_string: Callable[[str], str] = json.encoder.encode_basestring
_repr_float = float.__repr__
_repr_int = int.__repr__


def _float(o: float) -> str:
    if o != o:
        return "NaN"
    if o == float("inf"):
        return "Infinity"
    if o == -float("inf"):
        return "-Infinity"
    return _repr_float(o)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return _string(key)
    if isinstance(key, float):
        return _string(_float(key))
    if key is True:
        return '"true"'
    if key is False:
        return '"false"'
    if key is None:
        return '"null"'
    if isinstance(key, int):
        return _string(_repr_int(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _encode(o: Any, parts: list[str], newline: str) -> None:
    # The checks in the order json.encoder makes them: bool before int, str subclasses as str.
    if isinstance(o, str):
        parts.append(_string(o))
    elif o is None:
        parts.append("null")
    elif o is True:
        parts.append("true")
    elif o is False:
        parts.append("false")
    elif isinstance(o, int):
        parts.append(_repr_int(o))
    elif isinstance(o, float):
        parts.append(_float(o))
    elif isinstance(o, (list, tuple)):
        if not o:
            parts.append("[]")
            return
        inner = newline + "  "
        separator = "," + inner
        parts.append("[" + inner)
        first = True
        for value in o:
            if first:
                first = False
            else:
                parts.append(separator)
            if isinstance(value, str):
                parts.append(_string(value))
            else:
                _encode(value, parts, inner)
        parts.append(newline + "]")
    elif isinstance(o, dict):
        if not o:
            parts.append("{}")
            return
        inner = newline + "  "
        separator = "," + inner
        parts.append("{" + inner)
        first = True
        for key, value in o.items():
            if first:
                first = False
            else:
                parts.append(separator)
            parts.append(_key(key) + ": ")
            if isinstance(value, str):
                parts.append(_string(value))
            else:
                _encode(value, parts, inner)
        parts.append(newline + "}")
    else:
        _encode(str(o), parts, newline)


def dumps(data: Any) -> str:
    """The JSON text of data (dicts, lists, tuples, strings, numbers, booleans, None; anything
    else as its str()), indented by two spaces."""
    parts: list[str] = []
    _encode(data, parts, "\n")
    return "".join(parts)


# Parts joined into one piece of dumps_pieces: a few hundred kilobytes of text.
_PIECE_PARTS = 20_000


def dumps_pieces(data: Any, *, depth: int = 2) -> Iterator[str]:
    """dumps(data) in pieces, walking the containers down to `depth` one element at a time:
    the whole catalogue's text (hundreds of megabytes at 100,000 items, and its parts several
    times that) never exists at once."""
    parts: list[str] = []
    for _ in _walk(data, parts, "\n", depth):
        if len(parts) >= _PIECE_PARTS:
            yield "".join(parts)
            parts.clear()
    yield "".join(parts)


def _walk(o: Any, parts: list[str], newline: str, depth: int) -> Iterator[None]:
    """_encode, yielding after each element of the outer containers."""
    if depth == 0 or not isinstance(o, (list, tuple, dict)) or not o:
        _encode(o, parts, newline)
        yield
        return
    inner = newline + "  "
    separator = "," + inner
    if isinstance(o, dict):
        parts.append("{" + inner)
        for index, (key, value) in enumerate(o.items()):
            if index:
                parts.append(separator)
            parts.append(_key(key) + ": ")
            yield from _walk(value, parts, inner, depth - 1)
        parts.append(newline + "}")
    else:
        parts.append("[" + inner)
        for index, value in enumerate(o):
            if index:
                parts.append(separator)
            yield from _walk(value, parts, inner, depth - 1)
        parts.append(newline + "]")
