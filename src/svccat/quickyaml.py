"""The everyday shape of a catalogue file, parsed in Python without libyaml, or refused.

Item files use a small part of YAML: block mappings and lists, one-line flow collections,
one-line plain and quoted text, comments. For that part this parser gives svccat.loader
exactly what libyaml's nodes would (the values, the typing of plain text, each node's line
and column, the layout), three times faster: libyaml through PyYAML makes a Python node and
two marks for every value, most of the loader's cost. Anything outside that part (a tab, a
backslash, an anchor or tag, text over several lines, a block scalar, a duplicate key, an
empty value, a flow collection over several lines, odd indentation) raises `Unusual`, and
the loader parses the file with libyaml as before: so every error message, and every
corner of YAML, still comes from one place. The tests hold the two parsers to the same
answer on the YAML test suite, the sample and generated catalogues, and mutated files.
"""

from __future__ import annotations

import re
from sys import intern
from typing import Any, NamedTuple

# Shared with svccat.loader's libyaml path, so that both read a file alike.
MAX_DEPTH = 64  # deeper documents are refused (Y011)
SHORT = 12  # texts this short are interned: one object however many files hold them
KEYED = 0x80  # svccat.loader.Layout: a node that is a mapping's value

# Characters that need libyaml: a tab or CR (indentation, line ends), a backslash (escapes
# in double quotes), YAML's other line breaks, and what YAML forbids (control characters,
# a BOM inside the text, surrogates, non-characters).
_NEEDS_LIBYAML = re.compile(
    "[\t\r\\\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
# A block mapping key: plain, ASCII, followed by ": " or the line's end. At most 256
# characters: libyaml refuses a key whose ':' comes more than 1,024 after its start.
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]{0,255}):(?: +|$)")
_FLOW_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]{0,255}): +")
# A flow mapping's key and a plain value (not starting with an indicator), up to the next
# flow indicator, without the spaces before it.
_FLOW_PAIR = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]{0,255}): +([^-?:,\[\]{}#&*!|>'\"%@` ]"
                        r"(?:[^,\[\]{}:]*[^,\[\]{}: ])?)")
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
# Plain text in a flow collection runs to the next flow indicator (a ':' there goes to libyaml).
_FLOW_PLAIN = re.compile(r"[^,\[\]{}:]*")
_SPACES = re.compile(r" *")
# Plain text cannot start with an indicator (libyaml allows "-x", "?x" and ":x": not here).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# The typing of plain text: YAML 1.2-like, never surprising (`no`, `2024-01-01` and `0755`
# stay text).
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
BOOLEANS = {"true": True, "True": True, "TRUE": True,
            "false": False, "False": False, "FALSE": False}
INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
FLOAT = re.compile(
    r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+")
# Every text INT or FLOAT matches starts with one of these.
NUMBER_STARTS = frozenset("+-.0123456789")
# Plain text that starts otherwise is text: not null, a boolean or a number.
_TYPED_STARTS = frozenset("~nNtTfF") | NUMBER_STARTS


def plain_value(text: str, pointer: str, plain_text: dict[str, str]) -> Any:
    """Plain text typed as both parsers type it: null, a boolean, a number or text. What the
    editor typed for a boolean or number is kept in plain_text by pointer, for where the schema
    wants text (`version: 1.10`)."""
    if len(text) <= SHORT:
        text = intern(text)
    if text in NULLS:
        return None
    if text in BOOLEANS:
        plain_text[pointer] = text
        return BOOLEANS[text]
    if text[0] not in NUMBER_STARTS:  # most plain text: no pattern need be tried
        return text
    if INT.fullmatch(text):
        plain_text[pointer] = text
        return int(text)
    if FLOAT.fullmatch(text):
        plain_text[pointer] = text
        return float(text)
    return text


class Unusual(Exception):
    """The text leaves the part of YAML this parser knows: libyaml must parse it."""


class Parsed(NamedTuple):
    """What svccat.loader's builder collects for a document, here made without nodes."""

    data: dict[str, Any]
    shape: bytearray
    keys: list[str]
    value_numbers: list[int]
    key_numbers: list[int]
    plain_text: dict[str, str]


def parse(text: str) -> Parsed:
    """Parse a whole file's text; raises Unusual for anything libyaml should read."""
    if _NEEDS_LIBYAML.search(text):
        raise Unusual
    lines: list[tuple[int, int, str]] = []  # (line from 1, indentation, content)
    for number, line in enumerate(text.split("\n"), 1):
        content = line.lstrip(" ")
        if content and content[0] != "#":
            lines.append((number, len(line) - len(content), content.rstrip(" ")))
    if not lines or lines[0][1] != 0:
        raise Unusual
    parser = _Parser(lines)
    # At column 0 the mapping takes every line, or raises.
    data, _ = parser.mapping(0, 0, lines[0][2], 0, "", 0)
    return Parsed(data, parser.shape, parser.keys, parser.value_numbers, parser.key_numbers,
                  parser.plain_text)


class _Parser:
    """Recursive descent over content lines; each method returns the value and the index of
    the first line it did not take. Called for every node of every file: written for speed."""

    __slots__ = ("key_numbers", "keys", "lines", "plain_text", "shape", "value_numbers")

    def __init__(self, lines: list[tuple[int, int, str]]) -> None:
        self.lines = lines
        self.shape = bytearray()  # svccat.loader.Layout: each node's depth, KEYED if a value
        self.keys: list[str] = []  # the mapping keys in order
        self.value_numbers: list[int] = []  # line and column of each node in turn
        self.key_numbers: list[int] = []  # line and column of each key in turn
        self.plain_text: dict[str, str] = {}

    def mapping(self, i: int, column: int, content: str, depth: int, pointer: str,
                keyed: int) -> tuple[dict[str, Any], int]:
        """A block mapping whose first key starts `content`, at `column` of line i."""
        lines = self.lines
        number = lines[i][0]
        self.shape.append(depth | keyed)
        self.value_numbers += (number, column + 1)
        depth += 1
        if depth > MAX_DEPTH:
            raise Unusual
        result: dict[str, Any] = {}
        count = len(lines)
        while True:
            found = _KEY.match(content)
            if found is None:
                raise Unusual
            key = intern(found.group(1))
            if key in result or key in NULLS:
                raise Unusual  # libyaml's path reports duplicates and null keys
            self.keys.append(key)
            self.key_numbers += (number, column + 1)
            child = f"{pointer}/{key}"
            rest = content[found.end():]
            i += 1
            if rest and rest[0] not in _INDICATORS and " #" not in rest and ": " not in rest \
                    and rest[-1] != ":":
                # Plain text, most values: taken here, without inline's calls.
                self.shape.append(depth | KEYED)
                self.value_numbers += (number, column + found.end() + 1)
                if rest[0] in _TYPED_STARTS:
                    result[key] = plain_value(rest, child, self.plain_text)
                else:
                    result[key] = intern(rest) if len(rest) <= SHORT else rest
            elif rest and rest[0] != "#":
                result[key] = self.inline(rest, number, column + found.end(), depth, child,
                                          KEYED)
            else:
                if i >= count:
                    raise Unusual  # an empty value
                below = lines[i]
                if below[1] > column:
                    result[key], i = self.block(i, depth, child, KEYED)
                elif below[1] == column and below[2].startswith("- "):
                    result[key], i = self.sequence(i, column, depth, child, KEYED)
                else:
                    raise Unusual  # an empty value
            if i >= count:
                return result, i
            number, indent, content = lines[i]
            if indent < column:
                return result, i
            if indent > column:
                raise Unusual  # text continued on the next line, or a stray indentation

    def sequence(self, i: int, indent: int, depth: int, pointer: str,
                 keyed: int) -> tuple[list[Any], int]:
        """A block list whose first "- " is line i's content, at column indent."""
        lines = self.lines
        number, _, content = lines[i]
        self.shape.append(depth | keyed)
        self.value_numbers += (number, indent + 1)
        depth += 1
        if depth > MAX_DEPTH:
            raise Unusual
        result: list[Any] = []
        count = len(lines)
        while True:
            entry = content[2:].lstrip(" ")  # not empty: lines are stripped at the end
            column = indent + len(content) - len(entry)
            child = f"{pointer}/{len(result)}"
            if _KEY.match(entry):
                value, i = self.mapping(i, column, entry, depth, child, 0)
            else:
                value = self.inline(entry, number, column, depth, child, 0)
                i += 1
            result.append(value)
            if i >= count:
                return result, i
            number, below, content = lines[i]
            if below != indent or not content.startswith("- "):
                return result, i  # the mapping above checks what comes next

    def block(self, i: int, depth: int, pointer: str, keyed: int) -> tuple[Any, int]:
        """The block collection that starts on line i, below its key."""
        _, indent, content = self.lines[i]
        if content.startswith("- "):
            return self.sequence(i, indent, depth, pointer, keyed)
        if _KEY.match(content):
            return self.mapping(i, indent, content, depth, pointer, keyed)
        raise Unusual  # text on the line below its key

    def inline(self, text: str, number: int, column: int, depth: int, pointer: str,
               keyed: int) -> Any:
        """A value that ends on its line: text, or a flow collection (column from 0)."""
        first = text[0]
        if first == "[" or first == "{":
            value, end = self.flow(text, 0, number, column, depth, pointer, keyed)
        elif first == '"' or first == "'":
            value, end = self.quoted(text, 0, number, column, depth, keyed)
        else:
            if first in _INDICATORS:
                raise Unusual
            cut = text.find(" #")
            if cut >= 0:
                text = text[:cut].rstrip(" ")
            if ": " in text or text[-1] == ":":
                raise Unusual  # libyaml's error ("mapping values are not allowed here")
            self.shape.append(depth | keyed)
            self.value_numbers += (number, column + 1)
            return plain_value(text, pointer, self.plain_text)
        if end < len(text) and (text[end] != " " or text[end:].lstrip(" ")[:1] != "#"):
            raise Unusual  # something after the closing quote or bracket
        return value

    def quoted(self, text: str, start: int, number: int, column: int, depth: int,
               keyed: int) -> tuple[str, int]:
        if text[start] == '"':
            end = text.find('"', start + 1)
            if end < 0:
                raise Unusual  # continued on the next line
            value = text[start + 1:end]
            end += 1
        else:
            found = _SINGLE.match(text, start)
            if found is None:
                raise Unusual
            value = found.group(1).replace("''", "'")
            end = found.end()
        self.shape.append(depth | keyed)
        self.value_numbers += (number, column + start + 1)
        return (intern(value) if len(value) <= SHORT else value), end

    def flow(self, text: str, start: int, number: int, column: int, depth: int, pointer: str,
             keyed: int) -> tuple[Any, int]:
        """A flow collection that closes on its line; returns it and the index after it."""
        self.shape.append(depth | keyed)
        self.value_numbers += (number, column + start + 1)
        depth += 1
        if depth > MAX_DEPTH:
            raise Unusual
        size = len(text)
        at = _SPACES.match(text, start + 1).end()  # type: ignore[union-attr]
        close = "]" if text[start] == "[" else "}"
        items: list[Any] | None = [] if close == "]" else None
        result: dict[str, Any] = {}
        if at < size and text[at] == close:
            return (result if items is None else items), at + 1
        while True:
            if items is not None:
                value, at = self.flow_node(text, at, number, column, depth,
                                           f"{pointer}/{len(items)}", 0)
                items.append(value)
            else:
                at = self.flow_pair(result, text, at, number, column, depth, pointer)
            at = _SPACES.match(text, at).end()  # type: ignore[union-attr]
            if at >= size:
                raise Unusual
            if text[at] == close:
                return (result if items is None else items), at + 1
            if text[at] != ",":
                raise Unusual
            at = _SPACES.match(text, at + 1).end()  # type: ignore[union-attr]

    def flow_pair(self, result: dict[str, Any], text: str, at: int, number: int, column: int,
                  depth: int, pointer: str) -> int:
        """A flow mapping's key and value at `at`, put into result; the index after them."""
        pair = _FLOW_PAIR.match(text, at)
        found = pair or _FLOW_KEY.match(text, at)
        if found is None:
            raise Unusual
        key = intern(found.group(1))
        if key in result or key in NULLS:
            raise Unusual
        self.keys.append(key)
        self.key_numbers += (number, column + at + 1)
        if pair is None:
            result[key], at = self.flow_node(text, found.end(), number, column, depth,
                                             f"{pointer}/{key}", KEYED)
            return at
        value = pair.group(2)  # a plain value, most of them: taken here
        if " #" in value:
            raise Unusual  # a comment inside a flow collection
        self.shape.append(depth | KEYED)
        self.value_numbers += (number, column + pair.start(2) + 1)
        if value[0] in _TYPED_STARTS:
            result[key] = plain_value(value, f"{pointer}/{key}", self.plain_text)
        else:
            result[key] = intern(value) if len(value) <= SHORT else value
        return pair.end(2)

    def flow_node(self, text: str, at: int, number: int, column: int, depth: int,
                  pointer: str, keyed: int) -> tuple[Any, int]:
        if at >= len(text):
            raise Unusual
        first = text[at]
        if first == "[" or first == "{":
            return self.flow(text, at, number, column, depth, pointer, keyed)
        if first == '"' or first == "'":
            return self.quoted(text, at, number, column, depth, keyed)
        if first in _INDICATORS:
            raise Unusual  # an empty entry, a trailing comma, or an indicator
        end = _FLOW_PLAIN.match(text, at).end()  # type: ignore[union-attr]
        chunk = text[at:end]
        if " #" in chunk:
            raise Unusual  # a comment inside a flow collection
        self.shape.append(depth | keyed)
        self.value_numbers += (number, column + at + 1)
        return plain_value(chunk.rstrip(" "), pointer, self.plain_text), end
