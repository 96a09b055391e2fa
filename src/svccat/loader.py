"""YAML files → plain data plus the line and column of every node; broken files become problems.

One parse gives both the data and the positions, with YAML 1.2-like typing that never
surprises an editor (`no` stays text, `2024-01-01` stays text, `0755` stays text). A file in
the everyday shape of a catalogue file is parsed by svccat.quickyaml, three times faster;
any other YAML, and every broken file, by libyaml: we let it compose the node graph and
construct the values ourselves.
"""

from __future__ import annotations

import marshal
import os
import re
import stat
import zlib
from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from sys import intern
from typing import Any, NamedTuple

import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from svccat import quickyaml, suppress
from svccat.problems import Problem, make
from svccat.quickyaml import (
    KEYED,
    MAX_DEPTH,
    NULLS,
    SHORT,
    plain_value,
)


class _PureParser(Reader, Scanner, Parser, Composer):
    """The pure-Python parser, for a PyYAML built without libyaml (same nodes, slower)."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)


# libyaml is ten times faster than the pure-Python parser.
_Parser: Any = _PureParser
if yaml.__with_libyaml__:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]


class _Composer(_Parser, BaseResolver):  # type: ignore[misc]
    """Parser with no implicit typing: every untagged scalar arrives as text."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        BaseResolver.__init__(self)

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        # Called for every node: the default tag by kind, unless the file wrote one.
        if kind is ScalarNode:
            return _STR if implicit[0] else BaseResolver.resolve(self, kind, value, implicit)  # type: ignore[no-untyped-call]
        return _SEQ if kind is SequenceNode else _MAP


# libyaml's composer recurses in C and crashes the process past ~20,000 levels, so any
# file long enough to nest that deep is first scanned event by event (no recursion).
_EVENT_SCAN_BYTES = 10_000
DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024

_STR = BaseResolver.DEFAULT_SCALAR_TAG
_SEQ = BaseResolver.DEFAULT_SEQUENCE_TAG
_MAP = BaseResolver.DEFAULT_MAPPING_TAG
_ID_LINE = re.compile(r"^id:\s*['\"]?([A-Za-z0-9._-]+)", re.MULTILINE)


def plain_reads_as_text(text: str) -> bool:
    """Whether this text, written without quotes, loads as text (not null, boolean or number)."""
    return isinstance(plain_value(text, "", {}), str)


class Mark(NamedTuple):
    """A position in a file. A tuple, not a dataclass: one is made for every node."""

    line: int  # from 1
    column: int  # from 1


class Layout:
    """Where each node of a loaded document sits, enough to name it: per node in the order
    the loader meets them (depth first, keys in order) one byte, its depth plus KEYED when
    it is a mapping's value, and the mapping keys in that order. A few bytes a node, made as
    the nodes are met: the pointers themselves, compressed, cost workers eight times more
    (and each document's data would have to be kept to walk them again). Shared by a
    document's value and key Marks; the pointers are made once, when a line is asked for."""

    KEYED = KEYED

    __slots__ = ("_encoded", "_keys", "_pointers", "_shape")

    def __init__(self, shape: bytes | bytearray = b"", keys: list[str] | None = None, *,
                 encoded: bytes = b"") -> None:
        self._shape = shape
        self._keys = keys
        self._encoded = encoded
        self._pointers: tuple[list[str], list[str]] | None = None

    def encode(self) -> bytes:
        if not self._encoded:
            self._encoded = marshal.dumps((bytes(self._shape), self._keys))
        return self._encoded

    def pointers(self) -> tuple[list[str], list[str]]:
        """The pointers of every value and of every mapping key, each list in order."""
        if self._pointers is None:
            shape, keys = ((self._shape, self._keys) if self._keys is not None
                           else marshal.loads(self._encoded))
            self._pointers = _walk(shape, keys)
        return self._pointers


def _walk(shape: bytes | bytearray, keys: list[str]) -> tuple[list[str], list[str]]:
    values: list[str] = []
    keyed: list[str] = []
    ancestors: list[str] = []  # the pointer of the open node at each depth
    counts: list[int] = []  # how many items of each open node were met (for lists)
    names = iter(keys)
    for byte in shape:
        depth = byte & ~Layout.KEYED
        if depth:
            parent = ancestors[depth - 1]
            if byte & Layout.KEYED:
                pointer = f"{parent}/{escape(next(names))}"
                keyed.append(pointer)
            else:
                pointer = f"{parent}/{counts[depth - 1]}"
                counts[depth - 1] += 1
        else:
            pointer = ""
        del ancestors[depth:], counts[depth:]
        ancestors.append(pointer)
        counts.append(0)
        values.append(pointer)
    return values, keyed


class Marks(Mapping[str, Mark]):
    """Pointer → Mark, kept as line and column numbers in a flat list (or encoded, from
    svccat.cache) until a problem asks for a line: most documents never need one, a Mark
    for every node of a province's catalogue would be millions of objects, and parsing
    stays cheap. The loader's Marks name their nodes by the document's Layout (`keys`: the
    Marks of its mapping keys); Marks from anywhere else (`of`) keep their pointers."""

    __slots__ = ("_decoded", "_encoded", "_keys", "_layout", "_numbers", "_pointers")

    def __init__(self, pointers: list[str] | None = None, numbers: list[int] | None = None,
                 *, encoded: bytes = b"", layout: Layout | None = None,
                 keys: bool = False) -> None:
        self._pointers = pointers
        self._numbers = numbers  # line, column of each pointer (or node) in turn
        self._encoded = encoded
        self._layout = layout
        self._keys = keys
        self._decoded: dict[str, Mark] | None = None

    @classmethod
    def of(cls, marks: Mapping[str, Mark]) -> Marks:
        if isinstance(marks, Marks):
            return marks
        return cls(list(marks), [n for m in marks.values() for n in m])

    @property
    def layout(self) -> Layout | None:
        return self._layout

    def encode(self) -> bytes:
        """What the cache stores and workers send (Marks(encoded=..., layout=...)): with a
        layout, the numbers alone, 2 bytes each in all but huge files; otherwise pointers
        and numbers, compressed."""
        if self._encoded:
            return self._encoded
        if self._layout is not None:
            numbers = (self._numbers if self._numbers is not None
                       else [n for m in self._marks().values() for n in m])
            if not numbers or max(numbers) < 0x10000:
                return b"H" + array("H", numbers).tobytes()
            return b"I" + array("I", numbers).tobytes()
        pointers, numbers = self._lists()
        return b"Z" + zlib.compress(marshal.dumps((pointers, numbers)), 1)

    def _lists(self) -> tuple[list[str], list[int]]:
        if self._encoded[:1] == b"Z":
            pointers, numbers = marshal.loads(zlib.decompress(self._encoded[1:]))
            return pointers, numbers
        if self._encoded:
            numbers = array(self._encoded[:1].decode("ascii"), self._encoded[1:]).tolist()
        elif self._numbers is not None:
            numbers = self._numbers
        else:
            marks = self._decoded or {}
            return list(marks), [n for m in marks.values() for n in m]
        if self._pointers is not None:
            return self._pointers, numbers
        if self._layout is None:
            raise ValueError("positions without the layout that names them")
        return self._layout.pointers()[1 if self._keys else 0], numbers

    def _marks(self) -> dict[str, Mark]:
        if self._decoded is None:
            pointers, numbers = self._lists()
            pairs = iter(numbers)
            self._decoded = dict(zip(pointers, map(Mark, pairs, pairs), strict=True))
            self._pointers = self._numbers = None
            self._encoded = b""
        return self._decoded

    def __getitem__(self, pointer: str) -> Mark:
        return self._marks()[pointer]

    def get(self, pointer: str, default: Any = None) -> Any:
        return self._marks().get(pointer, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._marks())

    def __len__(self) -> int:
        return len(self._marks())

    def __repr__(self) -> str:
        return repr(self._marks())


@dataclass(frozen=True)
class Document:
    """One loaded file: its data and where each value (and each mapping key) stands."""

    file: str
    data: dict[str, Any]
    # Mappings, not dicts: a Document from svccat.cache decodes its positions on first use.
    values: Mapping[str, Mark]
    keys: Mapping[str, Mark]
    # Plain scalars read as numbers or booleans, by pointer, with the text the editor typed:
    # where the schema wants text, the text is what they meant (`version: 1.10`).
    plain_text: dict[str, str] = field(default_factory=dict)
    suppressions: tuple[suppress.Suppression, ...] = ()

    def mark(self, pointer: str) -> Mark:
        """The position of a value, or of the nearest enclosing value that has one."""
        while True:
            found = self.values.get(pointer)
            if found is not None:
                return found
            if not pointer:
                return Mark(1, 1)
            pointer = pointer.rsplit("/", 1)[0]

    def key_mark(self, pointer: str) -> Mark:
        """The position of the key whose value is at pointer (for unknown keys)."""
        return self.keys.get(pointer) or self.mark(pointer)


@dataclass(frozen=True)
class LoadResult:
    document: Document | None
    problems: list[Problem]
    # An id read off a file that could not be loaded, so that references to it do not
    # cascade into "unknown item" problems elsewhere.
    salvaged_id: str | None = None


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class _Broken(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message.en)
        self.problem = problem


class _Builder:
    def __init__(self, file: str, text: str, *, aliases: bool) -> None:
        self.file = file
        self.text = text
        self._lines: list[str] | None = None
        self.shape = bytearray()  # Layout: each node's depth, KEYED if a mapping's value
        self.keys: list[str] = []  # Layout: the mapping keys in order
        self.value_numbers: list[int] = []
        self.key_numbers: list[int] = []
        self.plain_text: dict[str, str] = {}
        self.problems: list[Problem] = []
        # libyaml composes an alias as the anchored node itself: seen nodes reveal one. Not
        # needed when the text was scanned for aliases already (or has no "*").
        self.seen: set[int] | None = set() if aliases else None

    def _mark(self, node: Node) -> Mark:
        return Mark(node.start_mark.line + 1, node.start_mark.column + 1)

    def fail(self, code: str, node: Node, zh: str, en: str, pointer: str) -> _Broken:
        m = self._mark(node)
        return _Broken(make(code, zh, en, file=self.file, line=m.line, column=m.column,
                            path=pointer))

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def build(self, node: Node, pointer: str, depth: int, indent: int = -1,
              keyed: int = 0) -> Any:
        """Data of node; indent is the column of the block construct that holds it; keyed
        is Layout.KEYED for a mapping's value. Called for every node of every file: written
        for speed."""
        if depth > MAX_DEPTH:
            raise self.fail("Y011", node, f"嵌套超过 {MAX_DEPTH} 层",
                            f"nesting deeper than {MAX_DEPTH} levels", pointer)
        if self.seen is not None:
            if id(node) in self.seen:
                raise self.fail("Y008", node, "不允许使用 YAML 别名（*name）",
                                "YAML aliases (*name) are not allowed", pointer)
            self.seen.add(id(node))
        start = node.start_mark
        self.shape.append(depth | keyed)
        self.value_numbers += (start.line + 1, start.column + 1)
        if start.line != node.end_mark.line:
            self._check_layout(node, pointer, indent)
        kind = type(node)
        if kind is ScalarNode:
            return self._scalar(node, pointer)  # type: ignore[arg-type]
        if node.tag != (_SEQ if kind is SequenceNode else _MAP):
            raise self.fail("Y015", node, f"不允许使用 YAML 标签 {node.tag}",
                            f"YAML tag {node.tag} is not allowed", pointer)
        if kind is SequenceNode:
            inner = indent if node.flow_style else start.column  # type: ignore[attr-defined]
            depth += 1
            return [self.build(child, f"{pointer}/{i}", depth, inner)
                    for i, child in enumerate(node.value)]
        result: dict[str, Any] = {}
        first: dict[str, int] = {}
        flow = node.flow_style  # type: ignore[attr-defined]
        depth += 1
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode or (not key_node.style
                                                    and key_node.value in NULLS):
                raise self.fail("Y014", key_node, "键必须是文本", "keys must be text", pointer)
            if key_node.tag != _STR:
                raise self.fail("Y015", key_node, f"不允许使用 YAML 标签 {key_node.tag}",
                                f"YAML tag {key_node.tag} is not allowed", pointer)
            key = intern(key_node.value)
            key_start = key_node.start_mark
            child = (f"{pointer}/{escape(key)}" if "~" in key or "/" in key
                     else f"{pointer}/{key}")
            if key in first:
                self.problems.append(make(
                    "Y010", f"重复的键“{key}”（第一次出现在第 {first[key]} 行），保留第一次的值",
                    f"duplicate key '{key}' (first at line {first[key]}); the first value is "
                    "kept", file=self.file, line=key_start.line + 1,
                    column=key_start.column + 1, path=child))
                continue
            first[key] = key_start.line + 1
            self.keys.append(key)
            self.key_numbers += (key_start.line + 1, key_start.column + 1)
            result[key] = self.build(value_node, child, depth,
                                     indent if flow else key_start.column, KEYED)
        return result

    def _check_layout(self, node: Node, pointer: str, indent: int) -> None:
        """What the YAML spec forbids and libyaml lets through (yaml-test-suite 9C9N, QB6E,
        DK95, S98Z): continuation lines of a flow collection or quoted text that are not
        indented past the key they belong to, and over-indented blank lines opening a
        block scalar."""
        style = getattr(node, "style", None)
        if style in ("|", ">"):
            self._check_block_scalar(node, pointer, indent)
            return
        if not style and not getattr(node, "flow_style", False):
            return  # block collections and plain scalars are indented by the parser itself
        for number in range(node.start_mark.line + 1, node.end_mark.line + 1):
            line = self.lines[number] if number < len(self.lines) else ""
            if not line.strip():
                continue
            spaces = len(line) - len(line.lstrip(" "))
            if spaces <= indent:
                raise _Broken(make(
                    "Y001", "YAML 语法错误：多行内容的续行缩进必须多于其所属的键",
                    "YAML syntax error: a continuation line must be indented more than its key",
                    file=self.file, line=number + 1, column=spaces + 1, path=pointer))

    def _check_block_scalar(self, node: Node, pointer: str, indent: int) -> None:
        header = node.start_mark.line
        after = node.start_mark.index + 1
        while after < len(self.text) and self.text[after] in "0123456789+-":
            after += 1
        if after < len(self.text) and self.text[after] == "#":
            raise _Broken(make(
                "Y001", "YAML 语法错误：注释符号 # 前必须有空格",
                "YAML syntax error: a comment needs white space before #", file=self.file,
                line=header + 1, column=after - node.start_mark.index + node.start_mark.column + 1,
                path=pointer))
        blank: list[tuple[int, int]] = []
        for number in range(header + 1, len(self.lines)):
            line = self.lines[number]
            if line.strip(" "):
                content = len(line) - len(line.lstrip(" "))
                for blank_number, spaces in blank:
                    if spaces > content > indent:
                        raise _Broken(make(
                            "Y001", "YAML 语法错误：块文本开头的空行缩进多于第一行内容",
                            "YAML syntax error: a leading blank line of a block scalar is "
                            "indented more than its first line", file=self.file,
                            line=blank_number + 1, column=spaces + 1, path=pointer))
                return
            blank.append((number, len(line)))

    def _check_comment_gap(self, node: ScalarNode, pointer: str) -> None:
        end = node.end_mark.index
        if end < len(self.text) and self.text[end] == "#":
            raise _Broken(make(
                "Y001", "YAML 语法错误：注释符号 # 前必须有空格",
                "YAML syntax error: a comment needs white space before #", file=self.file,
                line=node.end_mark.line + 1, column=node.end_mark.column + 1, path=pointer))

    def _scalar(self, node: ScalarNode, pointer: str) -> Any:
        if node.tag != _STR:
            raise self.fail("Y015", node, f"不允许使用 YAML 标签 {node.tag}",
                            f"YAML tag {node.tag} is not allowed", pointer)
        text: str = node.value
        if node.style:  # quoted or block scalar: always text (libyaml says '' for plain)
            if node.style in ("'", '"'):
                self._check_comment_gap(node, pointer)
            return intern(text) if len(text) <= SHORT else text
        return plain_value(text, pointer, self.plain_text)


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, len(raw[start:offset].decode("utf-8", "replace")) + 1


def _decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [make("Y003", "文件是 UTF-16 编码，请另存为 UTF-8",
                           "file is UTF-16; save it as UTF-8", file=file, line=1, column=1)]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _position(raw, nul)
        return None, [make("Y012", "文件包含 NUL 字节，不是文本文件",
                           "file contains a NUL byte; it is not a text file",
                           file=file, line=line, column=col)]
    problems: list[Problem] = []
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(make("Y004", "文件以 UTF-8 字节顺序标记（BOM）开头，请去掉 BOM 后保存",
                             "file starts with a UTF-8 byte-order mark; save it without BOM",
                             file=file, line=1, column=1))
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), problems
    except UnicodeDecodeError as e:
        line, col = _position(raw, e.start)
        problems.append(make(
            "Y003", f"第 {line} 行有非 UTF-8 字节 0x{raw[e.start]:02x}（可能是 GBK 编码），请另存为 UTF-8",
            f"byte 0x{raw[e.start]:02x} at line {line} is not UTF-8 (GBK?); save the file as UTF-8",
            file=file, line=line, column=col))
        return None, problems


def _scan_events(text: str, file: str) -> Problem | None:
    """Find aliases and excessive nesting without recursion (libyaml's composer would crash)."""
    depth = 0
    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for event in yaml.parse(text, Loader=loader):
        m = event.start_mark
        assert m is not None  # the parser marks every event
        if isinstance(event, yaml.AliasEvent):
            return make("Y008", f"不允许使用 YAML 别名（*{event.anchor}）",
                        f"YAML aliases are not allowed (*{event.anchor})",
                        file=file, line=m.line + 1, column=m.column + 1)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return make("Y011", f"嵌套超过 {MAX_DEPTH} 层", f"nesting deeper than {MAX_DEPTH} levels",
                            file=file, line=m.line + 1, column=m.column + 1)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    if mark is not None and error.context_mark is not None and mark.index >= len(text.rstrip()):
        # "unexpected end of stream": where the unclosed quote or bracket opened helps more
        mark = error.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    if error.context == "expected a single document in the stream":
        return make("Y006", "一个文件只能有一个 YAML 文档（发现第二个 `---` 文档）",
                    "a file holds one YAML document only (found a second `---` document)",
                    file=file, line=line, column=column)
    if "nesting depth" in (error.problem or "") or "max depth" in (error.problem or ""):
        # Newer libyaml builds stop deep nesting themselves (PyYAML 6.0.4): the same problem.
        return make("Y011", f"嵌套超过 {MAX_DEPTH} 层", f"nesting deeper than {MAX_DEPTH} levels",
                    file=file, line=line, column=column)
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        return make("Y002", "YAML 不允许使用制表符（Tab）缩进，请改用空格",
                    "YAML does not allow tab characters for indentation; use spaces",
                    file=file, line=line, column=column)
    what = "; ".join(p for p in (error.context, error.problem) if p)
    return make("Y001", f"YAML 语法错误：{what}", f"YAML syntax error: {what}",
                file=file, line=line, column=column)


def _read_problem(error: yaml.YAMLError, text: str, file: str) -> Problem:
    """A character YAML does not allow (a control character), at its line and column."""
    position = getattr(error, "position", None)
    character = getattr(error, "character", None)
    if not isinstance(position, int) or not isinstance(character, int):
        return make("Y001", f"YAML 读取错误：{error}", f"YAML read error: {error}", file=file)
    raw = text.encode("utf-8")
    # libyaml counts bytes of UTF-8, the pure-Python reader characters.
    offset = position if _Parser is not _PureParser else len(text[:position].encode("utf-8"))
    line, column = _position(raw, offset)
    return make("Y001", f"YAML 不允许的字符 U+{character:04X}（控制字符），请删除",
                f"character U+{character:04X} is not allowed in YAML (a control character); "
                "remove it", file=file, line=line, column=column)


def load_text(text: str, file: str, *, scan: bool = True) -> LoadResult:
    """Parse one file's text; every failure is a problem, never an exception."""
    try:
        quick = quickyaml.parse(text)
    except quickyaml.Unusual:
        return load_with_libyaml(text, file, scan=scan)
    return LoadResult(_document(file, text, *quick), [])


def load_with_libyaml(text: str, file: str, *, scan: bool = True) -> LoadResult:
    """Parse with libyaml's nodes: any YAML, and every problem's message. load_text comes here
    for whatever svccat.quickyaml leaves; the tests hold the two to the same answers."""
    scanned = scan and (len(text) > _EVENT_SCAN_BYTES or "*" in text)
    if scanned:
        try:
            found = _scan_events(text, file)
        except yaml.MarkedYAMLError as e:
            return LoadResult(None, [_syntax_problem(e, text, file)], _salvage(text))
        except yaml.YAMLError as e:  # reader errors, e.g. control characters
            return LoadResult(None, [_read_problem(e, text, file)], _salvage(text))
        if found is not None:
            return LoadResult(None, [found], _salvage(text))
    try:
        composer = _Composer(text)
        try:
            node = composer.get_single_node()
        finally:
            composer.dispose()
    except yaml.MarkedYAMLError as e:
        return LoadResult(None, [_syntax_problem(e, text, file)], _salvage(text))
    except yaml.YAMLError as e:  # reader errors, e.g. control characters
        return LoadResult(None, [_read_problem(e, text, file)], _salvage(text))
    if node is None:
        return LoadResult(None, [make("Y005", "文件为空（没有 YAML 内容）",
                                      "file is empty (no YAML content)", file=file, line=1)])
    if not isinstance(node, MappingNode):
        kind = "列表" if isinstance(node, SequenceNode) else "单个值"
        kind_en = "a list" if isinstance(node, SequenceNode) else "a single value"
        return LoadResult(None, [make("Y007", f"顶层应为键值映射，实为{kind}",
                                      f"top level must be a mapping, not {kind_en}",
                                      file=file, line=node.start_mark.line + 1,
                                      column=node.start_mark.column + 1)])
    # An alias needs a "*"; a text with one was scanned for aliases above, if scan was asked.
    builder = _Builder(file, text, aliases=not scanned and "*" in text)
    try:
        data = builder.build(node, "", 0)
    except _Broken as broken:
        return LoadResult(None, [*builder.problems, broken.problem], _salvage(text))
    return LoadResult(_document(file, text, data, builder.shape, builder.keys,
                                builder.value_numbers, builder.key_numbers, builder.plain_text),
                      builder.problems)


def _document(file: str, text: str, data: dict[str, Any], shape: bytearray, keys: list[str],
              value_numbers: list[int], key_numbers: list[int],
              plain_text: dict[str, str]) -> Document:
    layout = Layout(shape, keys)
    return Document(file, data, Marks(numbers=value_numbers, layout=layout),
                    Marks(numbers=key_numbers, layout=layout, keys=True), plain_text,
                    suppress.parse(text))


def _salvage(text: str) -> str | None:
    found = _ID_LINE.search(text)
    return found.group(1) if found else None


def load_file(path: Path, file: str, *, max_size: int = DEFAULT_MAX_FILE_SIZE) -> LoadResult:
    """Read and parse one file. `file` is the name problems carry (relative to the cwd)."""
    raw = read_file(path, file, max_size=max_size)
    return raw if isinstance(raw, LoadResult) else load_bytes(raw, file)


def read_file(path: Path | str, file: str, *, max_size: int = DEFAULT_MAX_FILE_SIZE) -> bytes | LoadResult:
    """A file's bytes, or the problem of a file that cannot be read as one."""
    try:
        # Opened without blocking and checked on the open handle: a FIFO named x.yaml would
        # otherwise wait for a writer forever, and a device would never end.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                             | getattr(os, "O_BINARY", 0))
        with open(descriptor, "rb") as handle:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                return LoadResult(None, [make(
                    "Y013", "不是普通文件（文件夹、管道或设备），未读取",
                    "not a regular file (a folder, pipe or device); not read", file=file)])
            size = status.st_size
            if size > max_size:
                return LoadResult(None, [make(
                    "Y009", f"文件大小 {size} 字节，超过上限 {max_size} 字节，未读取",
                    f"file is {size} bytes, over the limit of {max_size}; not read", file=file)])
            return handle.read(max_size + 1)
    except OSError as e:
        reason = e.strerror or type(e).__name__
        return LoadResult(None, [make("Y013", f"文件无法读取：{reason}",
                                      f"file cannot be read: {reason}", file=file)])


def load_bytes(raw: bytes, file: str) -> LoadResult:
    """Decode and parse a file's bytes (from disk, or from a git object)."""
    text, problems = _decode(raw, file)
    if text is None:
        return LoadResult(None, problems)
    result = load_text(text, file)
    return LoadResult(result.document, [*problems, *result.problems], result.salvaged_id)
