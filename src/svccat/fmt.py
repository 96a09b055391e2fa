"""Canonical layout of catalogue files: schema key order, one quoting rule, comments kept.

The text is rebuilt from the YAML nodes (their styles, the typed text of numbers) by PyYAML's
emitter, and each comment is put back by the rule suppressions follow: a comment on a line of
its own belongs to the next line with content, a comment after content to its own line. The
new text is loaded again and kept only if svccat reads the same data, the same comments and
suppressions that reach the same keys and values; otherwise the file is left as it is.
"""

from __future__ import annotations

import io
import os
import re
import stat
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.emitter import Emitter
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver, Resolver

from svccat import suppress
from svccat.atomic import write_atomically
from svccat.catalogue import SourceFile, discover, paths_inside
from svccat.config import Config
from svccat.loader import Document, escape, load_file, load_text, plain_reads_as_text
from svccat.problems import Problem, Text
from svccat.schema import Kind, bundled

_COMPOSER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_C_DUMPER: Any = getattr(yaml, "CDumper", None)
_STR = BaseResolver.DEFAULT_SCALAR_TAG
# What YAML 1.1 readers (PyYAML, older tools) take for a boolean, number, date or null.
_YAML11 = Resolver()
_YAML11_EXTRA = frozenset({"y", "Y", "n", "N"})  # booleans in the 1.1 spec PyYAML leaves out
_YAML12_INT = re.compile(r"0o[0-7]+|0x[0-9a-fA-F]+")
# Numbers and codes: ASCII text starting with a digit, quoted so that every reader sees text
# at a glance, unless its letters are all lower-case (ids such as 370784-gaj stay plain).
_CODE_LIKE = re.compile(r"[+-]?[0-9][0-9A-Za-z ()+\-.:/]*")
_INDENT = 2
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_EOL_GAP = "  "


class Status(StrEnum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"  # rewritten, or with --check: would be
    BROKEN = "broken"  # cannot be formatted: left as it is


@dataclass(frozen=True)
class Formatted:
    """The canonical text of a file, or why there is none."""

    text: str | None
    problems: tuple[Problem, ...] = ()  # the loader's: the file does not load cleanly
    refusal: Text | None = None  # formatting would change what svccat reads


@dataclass(frozen=True)
class FileOutcome:
    file: str
    status: Status
    problems: tuple[Problem, ...] = ()
    refusal: Text | None = None


@dataclass(frozen=True)
class FmtResult:
    outcomes: tuple[FileOutcome, ...]
    check: bool

    def of(self, status: Status) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status is status]

    @property
    def exit_code(self) -> int:
        """0: every file is formatted; 1: a file could not be, or (--check) would change."""
        if self.of(Status.BROKEN) or (self.check and self.of(Status.CHANGED)):
            return 1
        return 0


def run(config: Config, paths: Sequence[Path] = (), *, check: bool = False) -> FmtResult:
    """Format the catalogue's files (or those under paths); with check, write nothing."""
    outcomes = []
    for source in select(config.catalogue, paths):
        formatted = format_file(source, max_size=config.max_file_size)
        if formatted.text is None:
            outcomes.append(FileOutcome(source.file, Status.BROKEN, formatted.problems,
                                        formatted.refusal))
            continue
        if formatted.text == _read(source.path):
            outcomes.append(FileOutcome(source.file, Status.UNCHANGED))
            continue
        if not check:
            try:
                mode = stat.S_IMODE(os.stat(source.path).st_mode)
                write_atomically(source.path, formatted.text, mode=mode)
            except OSError as e:
                reason = e.strerror or type(e).__name__
                outcomes.append(FileOutcome(source.file, Status.BROKEN, refusal=Text(
                    f"无法写入：{reason}", f"cannot write: {reason}")))
                continue
        outcomes.append(FileOutcome(source.file, Status.CHANGED))
    return FmtResult(tuple(outcomes), check)


def render(result: FmtResult, lang: str) -> str:
    """One line per file that changed (or would) or could not be formatted, for people and
    editors: `file:line:column:` first where there is a position."""
    en = lang == "en"
    lines = []
    for outcome in result.outcomes:
        if outcome.status is Status.CHANGED:
            label = ("would reformat" if en else "需要格式化") if result.check else \
                ("reformatted" if en else "已格式化")
            lines.append(f"{outcome.file}: {label}")
        for problem in outcome.problems:
            where = ":".join(str(n) for n in (problem.line, problem.column) if n)
            lines.append(f"{problem.file}{':' + where if where else ''}: "
                         f"{'cannot format' if en else '无法格式化'}: {problem.code} "
                         f"{problem.message.get(lang)}")
        if outcome.refusal is not None:
            lines.append(f"{outcome.file}: {'cannot format' if en else '无法格式化'}: "
                         f"{outcome.refusal.get(lang)}")
    return "".join(f"{line}\n" for line in lines)


def summary(result: FmtResult, lang: str) -> str:
    changed, broken = len(result.of(Status.CHANGED)), len(result.of(Status.BROKEN))
    files = len(result.outcomes)
    if lang == "en":
        done = "would be reformatted" if result.check else "reformatted"
        return f"svccat: {files} files: {changed} {done}, {broken} could not be formatted\n"
    done = "需要格式化" if result.check else "已格式化"
    return f"svccat: {files} 个文件：{changed} 个{done}，{broken} 个无法格式化\n"


def select(root: Path, paths: Sequence[Path]) -> list[SourceFile]:
    """The catalogue's item and registry files, or those at or under paths. Links are left
    alone (their targets inside the catalogue are formatted under their own names), and so are
    files under registries/ that are no known registry."""
    files, _ = discover(root)
    chosen = [f for f in files if f.kind is not None and not f.path.is_symlink()]
    if not paths:
        return chosen
    wanted = paths_inside(paths, root)
    return [f for f in chosen if any(f.path == w or f.path.is_relative_to(w) for w in wanted)]


def format_file(source: SourceFile, *, max_size: int) -> Formatted:
    """The canonical text of a catalogue file, or the problems that keep it from loading."""
    loaded = load_file(source.path, source.file, max_size=max_size)
    if loaded.document is None or loaded.problems:
        return Formatted(None, tuple(loaded.problems))
    assert source.kind is not None
    return _format(_read(source.path), loaded.document, source.kind)


def _read(path: Path) -> str:
    """The text exactly as stored: line breaks are not translated."""
    return path.read_bytes().decode("utf-8")


def format_text(text: str, kind: Kind, *, file: str = "<text>") -> Formatted:
    """The canonical text of one file's content (the same text when it is canonical)."""
    loaded = load_text(text, file)
    if loaded.document is None or loaded.problems:
        return Formatted(None, tuple(loaded.problems))
    return _format(text, loaded.document, kind)


def _format(text: str, source: Document, kind: Kind) -> Formatted:
    file = source.file
    root = yaml.compose(text, Loader=_COMPOSER)
    assert isinstance(root, MappingNode)
    events = [StreamStartEvent(), DocumentStartEvent(explicit=False),
              *_node_events(root, source.data, bundled(kind), flow=False),
              DocumentEndEvent(explicit=False), StreamEndEvent()]
    bare = _emit(events)
    shaped = load_text(bare, file).document
    if shaped is None:
        return Formatted(None, refusal=_REFUSED_DATA)
    result = _place_comments(text, root, source, bare, shaped)
    return _verified(text, root, source, result)


# --- the text without comments ------------------------------------------------------------


def _node_events(node: Node, data: Any, schema: dict[str, Any] | None, *, flow: bool
                 ) -> Iterator[Event]:
    if isinstance(node, MappingNode):
        flow = flow or bool(node.flow_style)
        yield MappingStartEvent(None, None, True, flow_style=flow)
        for key_node, value_node in _schema_order(node, schema):
            key = key_node.value
            yield _scalar(key, _key_style(key, flow=flow))
            yield from _node_events(value_node, data[key], _member(schema, key), flow=flow)
        yield MappingEndEvent()
    elif isinstance(node, SequenceNode):
        flow = flow or bool(node.flow_style)
        yield SequenceStartEvent(None, None, True, flow_style=flow)
        entry = schema.get("items") if schema else None
        for child, value in zip(node.value, data, strict=True):
            yield from _node_events(child, value, entry if isinstance(entry, dict) else None,
                                    flow=flow)
        yield SequenceEndEvent()
    else:
        assert isinstance(node, ScalarNode)
        if not isinstance(data, str):  # a number, boolean or null: exactly as typed
            typed = node.value or ("~" if flow else "")
            yield _scalar(typed, None)
        else:
            yield _scalar(data, _text_style(data, typed=node.style or "", flow=flow,
                                            text_here=_wants_text(schema)))


def _scalar(value: str, style: str | None) -> ScalarEvent:
    return ScalarEvent(None, None, (True, True), value, style=style)


def _schema_order(node: MappingNode, schema: dict[str, Any] | None) -> list[tuple[Node, Node]]:
    """Keys in the order of the schema's properties; keys it does not know after them."""
    rank = {name: i for i, name in enumerate((schema or {}).get("properties", {}))}
    known = sorted((p for p in node.value if p[0].value in rank), key=lambda p: rank[p[0].value])
    return [*known, *(p for p in node.value if p[0].value not in rank)]


def _member(schema: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
    if not schema:
        return None
    found = schema.get("properties", {}).get(key, schema.get("additionalProperties"))
    return found if isinstance(found, dict) else None


def _wants_text(schema: dict[str, Any] | None) -> bool:
    if not schema:
        return False
    kind = schema.get("type")
    if kind == "string" or (isinstance(kind, list) and "string" in kind):
        return True
    choices: list[Any] = schema.get("enum") or ([schema["const"]] if "const" in schema else [])
    return bool(choices) and all(isinstance(c, str) for c in choices)


_ANALYSER = Emitter(io.StringIO(), allow_unicode=True)


@lru_cache(maxsize=4096)
def _analysis(value: str) -> Any:
    """What the emitter allows for this text (keys and values repeat a lot)."""
    return _ANALYSER.analyze_scalar(value)


def _plain_possible(value: str, *, flow: bool, key: bool = False) -> bool:
    analysis = _analysis(value)
    if key and (analysis.empty or analysis.multiline):
        return False
    fits = analysis.allow_flow_plain if flow else analysis.allow_block_plain
    return bool(fits) and plain_reads_as_text(value)


def _misread_elsewhere(value: str) -> bool:
    """Whether some YAML reader takes this text, unquoted, for more than text (YAML 1.1
    booleans yes, no, on, off, y, n; numbers such as 0755, 0x1F, 1_000, 1:30; dates; null), or
    whether it looks like a number or a code."""
    return (_YAML11.resolve(ScalarNode, value, (True, False)) != _STR  # type: ignore[no-untyped-call]
            or value in _YAML11_EXTRA or bool(_YAML12_INT.fullmatch(value))
            or _code_like(value))


def _code_like(value: str) -> bool:
    """Region codes, phone numbers, dates, times, item and credit codes; not lower-case ids."""
    return bool(_CODE_LIKE.fullmatch(value)) and (
        not any(c.islower() for c in value) or any(c.isupper() for c in value))


def _key_style(key: str, *, flow: bool) -> str | None:
    plain = _plain_possible(key, flow=flow, key=True) and not _misread_elsewhere(key)
    return None if plain else '"'


def _text_style(value: str, *, typed: str, flow: bool, text_here: bool) -> str | None:
    """None for plain, '"', or a block style kept from the file.

    Where the schema wants text, text that could be read as anything else is double-quoted
    and the rest is plain. Where it wants another type (or does not know the key), the text
    is a mistake lint reports: it keeps its quotes or their absence, so that `commitment: yes`
    still reads as the slip it is.
    """
    if typed in ("|", ">") and not flow and _analysis(value).allow_block:
        return typed
    if not _plain_possible(value, flow=flow):
        return '"'
    if text_here:
        return '"' if _misread_elsewhere(value) else None
    return None if typed == "" else '"'


def _emit(events: list[Event]) -> str:
    """The text of the events; no line is ever folded (libyaml: width -1)."""
    if _C_DUMPER is not None:  # libyaml's emitter: the same text, ten times faster
        text: str = yaml.emit(events, Dumper=_C_DUMPER, indent=_INDENT, width=-1,
                              allow_unicode=True, line_break="\n")
        return text
    stream = io.StringIO()
    emitter = Emitter(stream, indent=_INDENT, width=sys.maxsize, allow_unicode=True,
                      line_break="\n")
    for event in events:
        emitter.emit(event)
    return stream.getvalue()


# --- comments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Comment:
    line: int  # from 0
    text: str  # from the #; "" for a blank line
    own_line: bool


def _scalar_spans(root: Node) -> dict[int, list[tuple[int, int]]]:
    """Columns covered by scalars, by line: a # there is text, not a comment."""
    spans: dict[int, list[tuple[int, int]]] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            start, end = node.start_mark, node.end_mark
            for line in range(start.line, end.line + 1):
                first = start.column if line == start.line else 0
                last = end.column if line == end.line else sys.maxsize
                spans.setdefault(line, []).append((first, last))
        elif isinstance(node, MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return spans


def _comments(lines: list[str], spans: dict[int, list[tuple[int, int]]]
              ) -> tuple[list[_Comment], set[int]]:
    """Every comment and blank line outside scalars, and the lines with content."""
    found: list[_Comment] = []
    content: set[int] = set()
    for number, line in enumerate(lines):
        covered = spans.get(number, [])
        if not line.strip():
            if not covered:
                found.append(_Comment(number, "", True))
            else:
                content.add(number)
            continue
        start = next((i for i, char in enumerate(line) if char == "#"
                      and (i == 0 or line[i - 1] in " \t")
                      and not any(a <= i < b for a, b in covered)), None)
        if start is None:
            content.add(number)
            continue
        own = not line[:start].strip()
        found.append(_Comment(number, line[start:].rstrip(), own))
        if not own:
            content.add(number)
    return found, content


def _lines(text: str) -> list[str]:
    """The file's lines as YAML counts them (it breaks lines at \\r and U+2028 too), without
    the empty one after the last line break."""
    lines = _LINE_BREAK.split(text)
    return lines[:-1] if lines and not lines[-1] else lines


def _entries(document: Document) -> list[tuple[str, int]]:
    """Each mapping entry and list item with the line it starts on (from 1), in file order:
    a mapping entry at its key, a list item where its value begins."""
    found: list[tuple[str, int]] = []

    def walk(value: Any, pointer: str) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                at = f"{pointer}/{escape(key)}"
                found.append((at, document.keys[at].line))
                walk(child, at)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                at = f"{pointer}/{index}"
                found.append((at, document.values[at].line))
                walk(child, at)

    walk(document.data, "")
    return found


def _place_comments(text: str, root: Node, source: Document, bare: str, shaped: Document
                    ) -> str:
    lines = _lines(text)
    comments, content = _comments(lines, _scalar_spans(root))
    entries = _entries(source)
    starting: dict[int, str] = {}  # line (from 0) → the outermost entry starting there
    for pointer, line in entries:
        starting.setdefault(line - 1, pointer)
    first_line = entries[0][1] - 1 if entries else len(lines)
    ordered = sorted(starting)

    def next_entry(after: int) -> str | None:
        return next((starting[n] for n in ordered if n > after), None)

    header: list[str] = []
    trailer: list[str] = []
    before: dict[str, list[str]] = {}
    after: dict[str, list[str]] = {}
    for comment in comments:
        if comment.line < first_line:
            header.append(comment.text)
            continue
        if comment.own_line:
            following = next((n for n in range(comment.line + 1, len(lines)) if n in content),
                             None)
            anchor = None if following is None else starting.get(following) \
                or next_entry(following)
            if anchor is None:
                trailer.append(comment.text)
            else:
                before.setdefault(anchor, []).append(comment.text)
        else:
            anchor = starting.get(comment.line) or \
                [starting[n] for n in ordered if n < comment.line][-1]
            after.setdefault(anchor, []).append(comment.text)

    out_start = {pointer: line - 1 for pointer, line in _entries(shaped)}
    above: dict[int, list[str]] = {}
    behind: dict[int, list[str]] = {}
    for pointer, texts in before.items():
        above.setdefault(out_start[pointer], []).extend(texts)
    for pointer, texts in after.items():
        behind.setdefault(out_start[pointer], []).extend(texts)

    result: list[str] = []
    _add(result, header)
    for number, emitted in enumerate(bare.rstrip("\n").split("\n")):
        indent = emitted[: len(emitted) - len(emitted.lstrip(" "))]
        tails = behind.get(number, [])
        # A second comment for one line goes above it, where it still applies to that line.
        _add(result, [*above.get(number, []), *tails[1:]], indent)
        result.append(emitted + (_EOL_GAP + tails[0] if tails else ""))
    _add(result, trailer)
    while result and not result[-1]:
        result.pop()
    return "\n".join(result) + "\n"


def _add(result: list[str], comments: list[str], indent: str = "") -> None:
    """Comments and blank lines, indented; one blank line where there were several, and none
    at the start of the file."""
    for comment in comments:
        if comment:
            result.append(indent + comment)
        elif result and result[-1]:
            result.append("")


# --- the safety net ------------------------------------------------------------------------

_REFUSED_DATA = Text("格式化会改变 svccat 读到的数据，未改动该文件（请报告这个问题）",
                     "formatting would change the data svccat reads; the file is left as it is "
                     "(please report this)")
_REFUSED_COMMENTS = Text("格式化会丢失或改变注释，未改动该文件（请报告这个问题）",
                         "formatting would lose or alter a comment; the file is left as it is "
                         "(please report this)")
_REFUSED_SUPPRESSION = Text(
    "键的排序会让一条抑制注释（# svccat: disable=…）作用到别的行，未改动该文件；"
    "请把它移到所针对的那一行，或先按模式顺序排列这些键",
    "reordering the keys would make a suppression comment (# svccat: disable=...) apply to "
    "other lines; the file is left as it is: move the comment to the line it is meant for, or "
    "put those keys in schema order first")


def _verified(original: str, root: Node, source: Document, text: str) -> Formatted:
    loaded = load_text(text, source.file)
    after = loaded.document
    if after is None or loaded.problems or not _same(source.data, after.data) \
            or source.plain_text != after.plain_text:
        return Formatted(None, refusal=_REFUSED_DATA)
    if _comment_texts(original, root) != _comment_texts(text):
        return Formatted(None, refusal=_REFUSED_COMMENTS)
    if _suppression_reach(original, source) != _suppression_reach(text, after):
        return Formatted(None, refusal=_REFUSED_SUPPRESSION)
    return Formatted(text)


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (True == 1 in Python, not in YAML)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _comment_texts(text: str, root: Node | None = None) -> Counter[str]:
    root = root or yaml.compose(text, Loader=_COMPOSER)
    assert root is not None
    comments, _ = _comments(_lines(text), _scalar_spans(root))
    return Counter(c.text for c in comments if c.text)


def _suppression_reach(text: str, document: Document) -> Counter[tuple[Any, ...]]:
    """Each suppression with the keys and values on the line it applies to."""
    on_line: dict[int, set[tuple[str, str]]] = {}
    for pointer, mark in document.values.items():
        on_line.setdefault(mark.line, set()).add(("value", pointer))
    for pointer, mark in document.keys.items():
        on_line.setdefault(mark.line, set()).add(("key", pointer))
    return Counter(
        (s.codes, s.reason, "file" if s.target == suppress.WHOLE_FILE
         else frozenset(on_line.get(s.target, ())))
        for s in suppress.parse(text))
