"""What a cell may hold, both ways: cell text → item data (or a CellError), item data → cell text.

Every codec reads the trimmed, non-empty text of one cell and returns the value to put in the
item document (None: leave the field out); `format` is the inverse, so that an export reads
back as the same item. Registry look-ups (departments, the legal register) go through
`Registers`, which also decides how an id is written back: by name when the name leads back
to the same id, by id otherwise.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from svccat.model import Department, LegalDocument
from svccat.problems import Text


class CellError(Exception):
    """A cell that cannot be read: the row is reported and no file is written for it."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.text = Text(zh, en)


YES = frozenset({"是", "有", "√", "✓", "y", "yes", "true", "1", "支持", "提供"})
NO = frozenset({"否", "无", "×", "✗", "n", "no", "false", "0", "不支持", "不提供"})
# Separators inside one field of a record line, and of short lists within a cell.
_FIELD_SPLIT = re.compile(r"[|｜]")
_LIST_SPLIT = re.compile(r"[\n、，,；;]")


def _fold(text: str) -> str:
    """Text compared without spaces and case: what an editor means is what counts."""
    return re.sub(r"\s+", "", text).casefold()


def one_line(text: str) -> str:
    """A value inside a record or a line-per-entry cell cannot hold a separator or a line break."""
    return _FIELD_SPLIT.sub("/", re.sub(r"\s*\n\s*", " ", text))


@dataclass(frozen=True)
class Registers:
    """The registries a cell may name: departments and the legal register."""

    region: str
    departments: Mapping[str, Department]
    legal_documents: Mapping[str, LegalDocument]

    def department_id(self, text: str) -> str:
        """A department by id, or by its full name (this region's departments first)."""
        if text in self.departments:
            return text
        named = [d for d in self.departments.values() if _fold(d.name) == _fold(text)]
        chosen = [d for d in named if d.region == self.region] or named
        if len(chosen) == 1:
            return chosen[0].id
        if chosen:
            ids = "、".join(sorted(d.id for d in chosen))
            raise CellError(f"部门名称“{text}”不唯一（{ids}），请填写部门标识",
                            f"department name '{text}' is ambiguous ({ids}); give its id")
        close = difflib.get_close_matches(text, [d.name for d in self.departments.values()
                                                 if d.region == self.region], n=1)
        hint_zh, hint_en = (f"，是否为“{close[0]}”？", f"; did you mean '{close[0]}'?") if close \
            else ("", "")
        raise CellError(f"“{text}”不在部门登记簿中（填部门标识或全称）{hint_zh}",
                        f"'{text}' is not in the departments registry (give its id or full "
                        f"name){hint_en}")

    def department_label(self, ident: str) -> str:
        department = self.departments.get(ident)
        if department is None:
            return ident
        try:
            return department.name if self.department_id(department.name) == ident else ident
        except CellError:
            return ident

    def document_id(self, text: str) -> str:
        """A legal document by title, by number (文号) or by id; in force first."""
        if text in self.legal_documents:
            return text
        key = _fold(text)
        found = [d for d in self.legal_documents.values()
                 if _fold(d.title) == key or (d.number and _fold(d.number) == key)]
        chosen = [d for d in found if d.in_force] if len(found) > 1 else found
        if len(chosen) == 1:
            return chosen[0].id
        if chosen:
            ids = "、".join(sorted(d.id for d in chosen))
            raise CellError(f"法律文件“{text}”不唯一（{ids}），请在书名号中填写文件标识",
                            f"legal document '{text}' is ambiguous ({ids}); give its id in 《》")
        close = difflib.get_close_matches(text, [d.title for d in self.legal_documents.values()],
                                          n=1, cutoff=0.5)
        hint_zh, hint_en = (f"，是否为《{close[0]}》？", f"; did you mean 《{close[0]}》?") if close \
            else ("", "")
        raise CellError(f"《{text}》不在法律文件登记簿中{hint_zh}",
                        f"《{text}》 is not in the legal register{hint_en}")

    def document_label(self, ident: str) -> str:
        document = self.legal_documents.get(ident)
        if document is None:
            return ident
        try:
            return document.title if self.document_id(document.title) == ident else ident
        except CellError:
            return ident


class Codec(Protocol):
    """Reads one cell's text (trimmed, never empty) and writes a value back as text."""

    @property
    def hint(self) -> str:
        """How the cell is written, for the documentation and error messages (Chinese)."""

    def parse(self, text: str, registers: Registers) -> Any: ...

    def format(self, value: Any, registers: Registers) -> str | int: ...


class Plain:
    hint = "文本"

    def parse(self, text: str, registers: Registers) -> Any:
        return text

    def format(self, value: Any, registers: Registers) -> str | int:
        return str(value)


PLAIN = Plain()


@dataclass(frozen=True)
class Choice:
    """One of a fixed set; each value has the label written in the sheet and other spellings."""

    options: Sequence[tuple[str, str]]  # (value in the file, label in the sheet)
    aliases: Mapping[str, str] | None = None  # other spelling → value

    @property
    def hint(self) -> str:
        return "、".join(label for _, label in self.options)

    def parse(self, text: str, registers: Registers) -> Any:
        key = _fold(text)
        for value, label in self.options:
            if key in (_fold(value), _fold(label)):
                return value
        for alias, value in (self.aliases or {}).items():
            if key == _fold(alias):
                return value
        return self._fail(text)

    def _fail(self, text: str) -> Any:
        raise CellError(f"“{text}”不是可选值（可选：{self.hint}）",
                        f"'{text}' is not one of: {', '.join(label for _, label in self.options)}")

    def format(self, value: Any, registers: Registers) -> str | int:
        return next((label for v, label in self.options if v == value), str(value))


def choice(*values: str, aliases: Mapping[str, str] | None = None) -> Choice:
    """A choice whose labels are the values themselves (the schema's Chinese enums)."""
    return Choice(tuple((v, v) for v in values), aliases)


@dataclass(frozen=True)
class Integer:
    unit: str = ""  # an optional unit after the number: 次, 份

    @property
    def hint(self) -> str:
        return f"整数，如 1 或 1{self.unit}" if self.unit else "整数"

    def parse(self, text: str, registers: Registers) -> Any:
        found = re.fullmatch(rf"(\d+)\s*{re.escape(self.unit)}?", text) if self.unit \
            else re.fullmatch(r"\d+", text)
        if not found:
            raise CellError(f"“{text}”不是整数（应写作如 1{self.unit}）",
                            f"'{text}' is not a whole number")
        return int(found.group(1) if self.unit else found.group(0))

    def format(self, value: Any, registers: Registers) -> str | int:
        return int(value)


class Flag:
    hint = "是 或 否"

    def parse(self, text: str, registers: Registers) -> Any:
        key = _fold(text)
        if key in YES:
            return True
        if key in NO:
            return False
        raise CellError(f"“{text}”应为“是”或“否”", f"'{text}' must be 是 (yes) or 否 (no)")

    def format(self, value: Any, registers: Registers) -> str | int:
        return "是" if value else "否"


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


class Date:
    hint = "日期，如 2025-07-04"

    def parse(self, text: str, registers: Registers) -> Any:
        found = _DATE.fullmatch(text)
        if not found:
            raise CellError(f"“{text}”不是日期（应写作如 2025-07-04）",
                            f"'{text}' is not a date (write e.g. 2025-07-04)")
        year, month, day = found.groups()
        return f"{year}-{int(month):02d}-{int(day):02d}"

    def format(self, value: Any, registers: Registers) -> str | int:
        return str(value)


@dataclass(frozen=True)
class Lines:
    """A list of texts: one per line, or (short lists) also separated by 、，；."""

    short: bool = False
    each: Codec = PLAIN

    @property
    def hint(self) -> str:
        shown = "每行一项，或在一行中用“、”分隔" if self.short else "每行一项"
        return shown if self.each is PLAIN else f"{shown}：{self.each.hint}"

    def parse(self, text: str, registers: Registers) -> Any:
        # One per line; a short list on one line may also use 、，；.
        parts = _LIST_SPLIT.split(text) if self.short and "\n" not in text else text.split("\n")
        values = [self.each.parse(p.strip(), registers) for p in parts if p.strip()]
        return values or None

    def format(self, value: Any, registers: Registers) -> str | int:
        shown = [one_line(str(self.each.format(v, registers))) for v in value]
        # Entries that hold a separator themselves go one per line.
        short = self.short and not any(_LIST_SPLIT.search(v) for v in shown)
        return ("、" if short else "\n").join(shown)


_INSTANT = frozenset({"即办", "当场办结", "即时办结", "立即办结"})
_LIMIT = re.compile(r"(\d+)\s*个?\s*(工作日|自然日)\s*(?:[（(](.*)[）)])?", re.DOTALL)


class Limit:
    """A time limit: `20个工作日`, `5 自然日`, `15个工作日（不含公告时间）`, `即办` (0 days)."""

    hint = "如“20个工作日”“5 自然日”，括号中可加说明；“即办”为 0 个工作日"

    def parse(self, text: str, registers: Registers) -> Any:
        if text in _INSTANT:
            return {"days": 0, "unit": "工作日"}
        found = _LIMIT.fullmatch(text)
        if not found:
            raise CellError(f"“{text}”不是时限（应写作如“20个工作日”或“5 自然日”）",
                            f"'{text}' is not a time limit (write e.g. 20个工作日 or 5 自然日)")
        days, unit, note = found.groups()
        limit: dict[str, Any] = {"days": int(days), "unit": unit}
        if note and note.strip():
            limit["note"] = note.strip()
        return limit

    def format(self, value: Any, registers: Registers) -> str | int:
        note = value.get("note")
        return f"{value['days']}个{value['unit']}" + (f"（{one_line(note)}）" if note else "")


_ARTICLE = re.compile(r"\s*(?P<article>[^：:]*?)\s*(?:[：:]\s*(?P<text>.*))?", re.DOTALL)


def _split_title(text: str) -> tuple[str, str] | None:
    """`《title》rest` → (title, rest); titles may nest book-title marks (…印发《规定》的通知)."""
    if not text.startswith("《"):
        return None
    depth = 0
    for index, ch in enumerate(text):
        depth += 1 if ch == "《" else -1 if ch == "》" else 0
        if depth == 0:
            return text[1:index], text[index + 1:]
    return None


class Citation:
    """One legal reference: `《中华人民共和国居民身份证法》第十条`, optionally `：条款原文`."""

    hint = "《法律文件名称》条款，可加“：条款原文”"

    def parse(self, text: str, registers: Registers) -> Any:
        split = _split_title(text)
        found = _ARTICLE.fullmatch(split[1]) if split else None
        if not split or not split[0].strip() or not found:
            raise CellError(f"“{text}”应写作《法律文件名称》条款，如《中华人民共和国居民身份证法》第十条",
                            f"'{text}' should read 《title of the law》article, e.g. "
                            "《中华人民共和国居民身份证法》第十条")
        ref: dict[str, Any] = {"document": registers.document_id(split[0].strip())}
        if found["article"]:
            ref["article"] = found["article"]
        if found["text"] and found["text"].strip():
            ref["text"] = found["text"].strip()
        return ref

    def format(self, value: Any, registers: Registers) -> str | int:
        shown = f"《{registers.document_label(value['document'])}》{value.get('article') or ''}"
        return one_line(shown + (f"：{value['text']}" if value.get("text") else ""))


class DepartmentName:
    hint = "部门全称或部门标识"

    def parse(self, text: str, registers: Registers) -> Any:
        return registers.department_id(text)

    def format(self, value: Any, registers: Registers) -> str | int:
        return registers.department_label(str(value))


@dataclass(frozen=True)
class Field:
    """One field of a record: its key in the item file, its label in the sheet, its codec."""

    key: str
    label: str
    codec: Codec = PLAIN


@dataclass(frozen=True)
class Records:
    """Entries with fields, one per line: `a|b|c`; the first `positional` fields go by
    position, every field also as `标签=值` anywhere on the line."""

    fields: Sequence[Field]
    positional: int
    many: bool = True
    # With one field only, that value also fills this field (办理地点: name and address).
    copy_single: tuple[str, str] | None = None

    @property
    def hint(self) -> str:
        shown = "|".join(f.label for f in self.fields[:self.positional])
        rest = "、".join(f.label for f in self.fields[self.positional:])
        return f"{'每行一项：' if self.many else ''}{shown}" + (
            f"，其余写作“标签=值”：{rest}" if rest else "")

    def parse(self, text: str, registers: Registers) -> Any:
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        if not self.many and len(lines) > 1:
            lines = [" ".join(lines)]
        entries = [self._line(line, number if len(lines) > 1 else None, registers)
                   for number, line in enumerate(lines, 1)]
        return entries if self.many else entries[0]

    def _line(self, line: str, number: int | None, registers: Registers) -> dict[str, Any]:
        by_label = {_fold(f.label): f for f in self.fields} | {f.key: f for f in self.fields}
        where_zh = f"第 {number} 行" if number else ""
        where_en = f"line {number}: " if number else ""
        given: dict[str, str] = {}
        position = 0
        for part in _FIELD_SPLIT.split(line):
            label, equals, value = part.partition("=")
            keyed = by_label.get(_fold(label)) if equals else None
            if keyed is not None:
                given[keyed.key] = value.strip()
                continue
            if position >= self.positional:
                order = "|".join(f.label for f in self.fields[:self.positional])
                raise CellError(f"{where_zh}多出一段“{part.strip()}”：前 {self.positional} 段依次为 "
                                f"{order}，其余写作“标签=值”",
                                f"{where_en}extra field '{part.strip()}': the first "
                                f"{self.positional} fields are {order}, others are written "
                                "label=value")
            if part.strip():
                given[self.fields[position].key] = part.strip()
            position += 1
        if self.copy_single and len(given) == 1 and self.copy_single[0] in given:
            source, target = self.copy_single
            given[target] = given[source]
        entry: dict[str, Any] = {}
        for field in self.fields:
            if not given.get(field.key):
                continue
            try:
                value = field.codec.parse(given[field.key], registers)
            except CellError as e:
                raise CellError(f"{where_zh}“{field.label}”：{e.text.zh}",
                                f"{where_en}{field.label}: {e.text.en}") from None
            if value is not None:
                entry[field.key] = value
        return entry

    def format(self, value: Any, registers: Registers) -> str | int:
        entries = value if self.many else [value]
        return "\n".join(self._format_one(e, registers) for e in entries)

    def _format_one(self, entry: Mapping[str, Any], registers: Registers) -> str:
        def shown(field: Field) -> str:
            if entry.get(field.key) is None:
                return ""
            return one_line(str(field.codec.format(entry[field.key], registers)))

        parts = [shown(f) for f in self.fields[:self.positional]]
        while parts and not parts[-1]:
            parts.pop()
        parts += [f"{f.label}={shown(f)}" for f in self.fields[self.positional:]
                  if entry.get(f.key) is not None]
        return "|".join(parts)


@dataclass(frozen=True)
class Offered:
    """A channel: `是` offers it without details, `否` leaves it out, any other text gives
    its details (read by `inner`, stored under `key` when the channel has one text field)."""

    inner: Codec
    key: str | None = None

    @property
    def hint(self) -> str:
        return f"“是”“否”，或{self.inner.hint}"

    def parse(self, text: str, registers: Registers) -> Any:
        if _fold(text) in YES:
            return {}
        if _fold(text) in NO:
            return None
        value = self.inner.parse(text, registers)
        return {self.key: value} if self.key else value

    def format(self, value: Any, registers: Registers) -> str | int:
        inner = value.get(self.key) if self.key else value
        if not inner:
            return "是"
        return self.inner.format(inner, registers)


_FREE = frozenset({"不收费", "免费", "无", "否"})


@dataclass(frozen=True)
class Fees:
    """Fees as records, or `不收费` for an item that is free (an empty list)."""

    records: Records

    @property
    def hint(self) -> str:
        return f"“不收费”，或{self.records.hint}"

    def parse(self, text: str, registers: Registers) -> Any:
        return [] if _fold(text) in _FREE else self.records.parse(text, registers)

    def format(self, value: Any, registers: Registers) -> str | int:
        return self.records.format(value, registers) if value else "不收费"
