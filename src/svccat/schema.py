"""The bundled JSON Schemas, compiled once, and their errors mapped to file:line:column."""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any

from svccat.loader import Document, escape
from svccat.problems import Problem, make
from svccat.resources import schemas_dir

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError


class Kind(StrEnum):
    """What a catalogue file holds; each kind has its own schema."""

    ITEM = "item"
    REGIONS = "regions"
    DEPARTMENTS = "departments"
    LEGAL_DOCUMENTS = "legal-documents"
    CERTIFICATES = "certificates"

    @property
    def schema_file(self) -> str:
        return f"{self.value}.schema.json"


REGISTRY_KINDS = tuple(k for k in Kind if k is not Kind.ITEM)


@cache
def load_schemas() -> dict[str, dict[str, Any]]:
    """Every bundled schema by file name."""
    return {p.name: json.loads(p.read_text(encoding="utf-8"))
            for p in sorted(schemas_dir().glob("*.schema.json"))}


COMMON = "common.schema.json"
_COMMON_REF = f"{COMMON}#/$defs/"


@cache
def bundled(kind: Kind) -> dict[str, Any]:
    """The kind's schema with every reference to common.schema.json written out in place.

    One self-contained schema validates twice as fast as one that resolves references, and
    the property's own title stays beside the shared definition's description (which says
    what form the value takes, the useful part of a format error).
    """
    shared = load_schemas()[COMMON]["$defs"]

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(_COMMON_REF):
                merged = copy.deepcopy(shared[ref.removeprefix(_COMMON_REF)])
                merged.update({k: v for k, v in node.items() if k not in ("$ref", "description")})
                return inline(merged)
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    schema: dict[str, Any] = inline(load_schemas()[kind.schema_file])
    return schema


@cache
def validator(kind: Kind) -> Draft202012Validator:
    """The full validator, which lists every error with its path."""
    # Imported here: jsonschema only explains problems (jsonschema-rs finds them), and most
    # runs, those of a clean or cached catalogue, need no explaining.
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(bundled(kind), format_checker=FormatChecker(formats=["date"]))


@cache
def _fast_check(kind: Kind) -> Callable[[Any], bool] | None:
    """jsonschema-rs (compiled Rust, ~100 times faster) answers "valid?" for the common case;
    only invalid documents go through the full validator for their errors."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - the wheel exists for the usual platforms
        return None
    compiled = jsonschema_rs.validator_for(bundled(kind), validate_formats=True)
    check: Callable[[Any], bool] = compiled.is_valid
    return check


def _pointer(path: Any) -> str:
    return "".join(f"/{escape(str(p))}" for p in path)


def _describe(schema: dict[str, Any]) -> tuple[str, str]:
    text = str(schema.get("description", ""))
    zh, _, en = text.partition(" / ")
    return zh, en or zh


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


_TYPE_ZH = {"string": "文本", "integer": "整数", "number": "数字", "boolean": "布尔值（true/false）",
            "array": "列表", "object": "键值映射", "null": "空值"}
_TYPE_EN = {"boolean": "boolean (true/false)", "object": "mapping", "array": "list"}
_YAML11_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off",
                              "YES", "NO", "ON", "OFF"})


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


@dataclass(frozen=True)
class _Mapper:
    document: Document
    item: str | None

    def at(self, code: str, zh: str, en: str, pointer: str, *, key: bool = False) -> Problem:
        m = self.document.key_mark(pointer) if key else self.document.mark(pointer)
        return make(code, zh, en, file=self.document.file, line=m.line, column=m.column,
                    path=pointer, item=self.item)

    def problems(self, error: ValidationError) -> Iterator[Problem]:
        pointer = _pointer(error.absolute_path)
        kind: Any = error.validator
        value: Any = error.instance
        schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
        bound: Any = error.validator_value
        if kind == "required":
            for key in bound:
                if isinstance(value, dict) and key not in value:
                    title = schema.get("properties", {}).get(key, {}).get("title", key)
                    yield self.at("S001", f"缺少必填字段“{key}”（{title}）",
                                  f"missing required key '{key}'", pointer)
            return
        if kind == "additionalProperties" and isinstance(value, dict):
            known = sorted(schema.get("properties", {}))
            for key in value:
                if key in known:
                    continue
                close = difflib.get_close_matches(key, known, n=1)
                hint_zh = f"，是否应为“{close[0]}”？" if close else ""
                hint_en = f"; did you mean '{close[0]}'?" if close else ""
                yield self.at("S002", f"未知字段“{key}”{hint_zh}", f"unknown key '{key}'{hint_en}",
                              f"{pointer}/{escape(key)}", key=True)
            return
        if kind == "type":
            names = [bound] if isinstance(bound, str) else list(bound)
            actual = _type_of(value)
            zh = "或".join(_TYPE_ZH.get(n, n) for n in names)
            en = " or ".join(_TYPE_EN.get(n, n) for n in names)
            hint_zh = hint_en = ""
            if "boolean" in names and isinstance(value, str) and value in _YAML11_BOOLEANS:
                hint_zh, hint_en = f"；“{value}”是文本，请写 true 或 false", \
                    f"; '{value}' is text here, write true or false"
            yield self.at("S003", f"应为{zh}，实为{_TYPE_ZH.get(actual, actual)} {_show(value)}{hint_zh}",
                          f"expected {en}, got {_TYPE_EN.get(actual, actual)} {_show(value)}{hint_en}",
                          pointer)
            return
        if kind in ("enum", "const"):
            allowed = bound if kind == "enum" else [bound]
            listed = "、".join(_show(a) for a in allowed)
            yield self.at("S004", f"取值“{_show(value)}”不允许，可选：{listed}",
                          f"value '{_show(value)}' is not allowed; allowed: "
                          f"{', '.join(_show(a) for a in allowed)}", pointer)
            return
        if kind in ("pattern", "format", "not"):  # "not": a reserved name the pattern allows
            zh, en = _describe(schema)
            yield self.at("S005", f"“{_show(value)}”格式不正确：{zh}",
                          f"'{_show(value)}' is not in the required form: {en}", pointer)
            return
        if kind in ("minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems",
                    "exclusiveMinimum", "exclusiveMaximum"):
            limits = {"minLength": ("长度至少为", "at least {} characters long"),
                      "maxLength": ("长度至多为", "at most {} characters long"),
                      "minimum": ("不小于", "at least {}"), "maximum": ("不大于", "at most {}"),
                      "exclusiveMinimum": ("大于", "more than {}"),
                      "exclusiveMaximum": ("小于", "less than {}"),
                      "minItems": ("条目数至少为", "at least {} entries"),
                      "maxItems": ("条目数至多为", "at most {} entries")}
            zh, en = limits[kind]
            yield self.at("S006", f"“{_show(value)}”应{zh} {bound}",
                          f"'{_show(value)}' must be {en.format(bound)}", pointer)
            return
        yield self.at("S007", f"不符合模式：{error.message}", f"schema violation: {error.message}",
                      pointer)


def validate(document: Document, kind: Kind, *, item: str | None = None) -> list[Problem]:
    """Schema problems of one document, at the line of the offending value or key.

    Plain scalars that YAML read as numbers or booleans are turned back into the text the
    editor typed wherever the schema wants text (`phone: 12345`, `version: 1.10`), and the
    document is checked again, so that a pattern or enum still applies to them.
    """
    fast = _fast_check(kind)
    if fast is not None and fast(document.data):
        return []
    check = validator(kind)
    errors = list(check.iter_errors(document.data))
    fixed = False
    for error in errors:
        if error.validator != "type":
            continue
        expected = error.validator_value
        wants_text = expected == "string" or (isinstance(expected, list) and "string" in expected)
        pointer = _pointer(error.absolute_path)
        if wants_text and pointer in document.plain_text and error.absolute_path:
            parent: Any = document.data
            *parents, last = error.absolute_path
            for step in parents:
                parent = parent[step]
            parent[last] = document.plain_text[pointer]
            fixed = True
    if fixed:
        errors = list(check.iter_errors(document.data))
    mapper = _Mapper(document, item)
    problems = [p for error in errors for p in mapper.problems(error)]
    return sorted(problems, key=lambda p: p.sort_key)
