"""Rows → item documents (each checked against the item schema), and item documents → rows.

An item's id is the 事项标识 cell when there is one; otherwise it is made from the region and
the 业务办理项编码 (`370784` + `370784GA0202-bys` → `370784-ga0202-bys`), or, without a code,
from the region and a hash of the item name (`370784-3f9a1c2e`): the same row always gets
the same id, and a re-import finds the same file.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from svccat.config import ConfigError
from svccat.loader import load_text
from svccat.model import Item
from svccat.problems import Text
from svccat.schema import Kind, bundled, validate
from svccat.spreadsheet.cells import CellError, Registers
from svccat.spreadsheet.columns import (
    COLUMN_BY_KEY,
    COLUMNS,
    MATERIAL_FIELDS,
    MATERIAL_KEYS,
    Column,
    ColumnMapping,
    normalise_header,
)
from svccat.spreadsheet.read import Row, Spreadsheet, Table


@dataclass(frozen=True, kw_only=True)
class RowProblem:
    table: str  # the file, or file[sheet]
    row: int | None  # None: the problem is the whole file's
    column: str | None  # the header as written in the sheet
    message: Text

    def render(self, lang: str) -> str:
        where = f"{self.table}:{self.row}" if self.row is not None else self.table
        column = ""
        if self.column:
            column = f"column {self.column}: " if lang == "en" else f"列“{self.column}”："
        return f"{where}: {column}{self.message.get(lang)}"


@dataclass(frozen=True, kw_only=True)
class NewItem:
    id: str
    row: int
    data: dict[str, Any]  # the item document, keys in the schema's order
    text: str  # the YAML file


@dataclass(frozen=True, kw_only=True)
class Conversion:
    items: tuple[NewItem, ...]
    problems: tuple[RowProblem, ...]
    ignored: tuple[str, ...]  # headers that no column reads


@dataclass(frozen=True, kw_only=True)
class Context:
    """What the conversion checks rows against."""

    region: str
    registers: Registers
    items: Mapping[str, Item]  # the catalogue's items (parents, baseline items, ids in use)
    baseline_regions: frozenset[str]  # the regions above `region`
    # Item files an import may replace, by id: the fields of columns the sheet does not
    # have are kept from them (a column left out is not a column emptied).
    previous: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    header_comment: str | None = None  # first line of each file (editor schema hint)
    file_of: Callable[[str], str] = str  # the file name shown for an id


_DEFAULT_STATUS = "draft"
_ID = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")


def item_id(region: str, *, handling_code: str | None, name: str) -> str:
    """The id of a row without 事项标识: from the handling code, else from the name."""
    if handling_code:
        slug = re.sub(r"[^a-z0-9]+", "-", handling_code.lower()).strip("-")
        if slug.startswith(region) and slug[len(region):].strip("-"):
            slug = slug[len(region):].strip("-")
        if slug:
            return f"{region}-{slug}"
    return f"{region}-{hashlib.sha256(name.strip().encode('utf-8')).hexdigest()[:8]}"


def _get(data: Mapping[str, Any], path: Sequence[str]) -> Any:
    value: Any = data
    for step in path:
        if not isinstance(value, Mapping) or step not in value:
            return None
        value = value[step]
    return value


def _set(data: dict[str, Any], path: Sequence[str], value: Any) -> None:
    for step in path[:-1]:
        data = data.setdefault(step, {})
    data[path[-1]] = value


@dataclass
class _Row:
    """A row while it is converted."""

    row: Row
    data: dict[str, Any]
    problems: list[RowProblem]
    id: str = ""
    hours: str | None = None  # 办公时间 of every hall that gives none
    material_rows: list[tuple[str, int]] = field(default_factory=list)  # per material: origin


class _Columns:
    """Which header of the sheet is which column."""

    def __init__(self, table: Table, mapping: ColumnMapping, *, materials_sheet: bool) -> None:
        self.table = table
        self.materials_sheet = materials_sheet
        self.by_key: dict[str, str] = {}  # column key → normalised header in the sheet
        for column in COLUMNS:
            found = [h for h in (normalise_header(a) for a in mapping.accepted(column))
                     if h in table.headers]
            if len(found) > 1:
                shown = "”和“".join(table.headers[h] for h in found)
                raise ConfigError(f"{table.label}：“{shown}”都是“{column.header}”列，只能保留一个",
                                  f"{table.label}: '{shown}' are all the column "
                                  f"'{column.header}'; keep one")
            if found:
                self.by_key[column.key] = found[0]
        missing = [mapping.header(c) for c in COLUMNS if c.required and c.key not in self.by_key]
        if missing:
            raise ConfigError(f"{table.label}：缺少必填列“{'”“'.join(missing)}”",
                              f"{table.label}: missing required column(s) {', '.join(missing)}")

    def present(self, column: Column) -> bool:
        """Whether the sheet has the column (materials: or the workbook a materials sheet)."""
        return column.key in self.by_key or (column.key == "materials" and self.materials_sheet)

    def text(self, row: Row, key: str) -> str | None:
        header = self.by_key.get(key)
        return row.cells.get(header) if header else None

    def shown(self, key: str, mapping: ColumnMapping) -> str:
        header = self.by_key.get(key)
        return self.table.headers[header] if header else mapping.header(COLUMN_BY_KEY[key])

    def ignored(self) -> list[str]:
        used = set(self.by_key.values())
        return [text for h, text in self.table.headers.items() if h not in used]


def convert(sheet: Spreadsheet, mapping: ColumnMapping, context: Context, *,
            tick: Callable[[int, int], None] | None = None) -> Conversion:
    """Every row converted and checked; nothing is written here."""
    columns = _Columns(sheet.items, mapping, materials_sheet=sheet.materials is not None)
    label = sheet.items.label
    rows = [_read_row(row, columns, mapping, context, label) for row in sheet.items.rows]
    ignored = columns.ignored()
    materials_problems: list[RowProblem] = []
    if sheet.materials is not None:
        ignored += [f"{sheet.materials.label}:{h}" for h in
                    _attach_materials(sheet.materials, rows, mapping, context,
                                      materials_problems, columns)]
    _resolve_links(rows, columns, mapping, context)
    seen: dict[str, int] = {}
    for current in rows:
        if current.id in seen:
            current.problems.append(RowProblem(
                table=label, row=current.row.number, column=None, message=Text(
                    f"事项标识“{current.id}”与第 {seen[current.id]} 行相同；请填写不同的“业务办理项编码”"
                    "或“事项标识”",
                    f"item id '{current.id}' is the same as row {seen[current.id]}'s; give "
                    "each row its own handling code (业务办理项编码) or id (事项标识)")))
        else:
            seen[current.id] = current.row.number
    items: list[NewItem] = []
    for done, current in enumerate(rows, 1):
        if not current.problems:
            new = _finish(current, columns, mapping, context, label)
            if new is not None:
                items.append(new)
        if tick:
            tick(done, len(rows))
    problems = [p for r in rows for p in r.problems] + materials_problems
    problems.sort(key=lambda p: (p.table != label, p.table, p.row or 0))
    return Conversion(items=tuple(items), problems=tuple(problems), ignored=tuple(ignored))


def _read_row(row: Row, columns: _Columns, mapping: ColumnMapping, context: Context,
              label: str) -> _Row:
    current = _Row(row, {}, [])

    def problem(key: str | None, zh: str, en: str) -> None:
        current.problems.append(RowProblem(
            table=label, row=row.number, column=columns.shown(key, mapping) if key else None,
            message=Text(zh, en)))

    for column in COLUMNS:
        text = columns.text(row, column.key)
        if text is None:
            if column.required:
                problem(column.key, "必填，不能为空", "required, but empty")
            continue
        if not column.stored:
            continue
        try:
            value = column.codec.parse(text, context.registers)
        except CellError as e:
            problem(column.key, e.text.zh, e.text.en)
            continue
        if value is not None:
            _set(current.data, column.path, value)
    if current.data.get("materials"):
        current.material_rows = [(label, row.number)] * len(current.data["materials"])
    region = columns.text(row, "region")
    if region is not None and region != context.region:
        problem("region", f"本行属于区划 {region}，而导入的是 {context.region}（--region）",
                f"this row belongs to region {region}, but the import is for {context.region} "
                "(--region)")
    current.hours = columns.text(row, "channels.halls.hours")
    explicit = current.data.get("id")
    current.id = explicit if isinstance(explicit, str) else item_id(
        context.region, handling_code=_get(current.data, ("codes", "handling")),
        name=str(current.data.get("name", "")))
    return current


def _attach_materials(table: Table, rows: list[_Row], mapping: ColumnMapping,
                      context: Context, problems: list[RowProblem], columns: _Columns
                      ) -> list[str]:
    """Materials from the 申请材料 sheet, each row to the item it names; returns unread headers."""
    by_field: dict[str, str] = {}
    for spec in MATERIAL_FIELDS:
        header = normalise_header(mapping.material_header(spec))
        if header in table.headers:
            by_field[spec.key] = header
    keys: dict[str, str] = {}
    for key in MATERIAL_KEYS:
        for accepted in mapping.accepted(COLUMN_BY_KEY[key]):
            if normalise_header(accepted) in table.headers:
                keys[key] = normalise_header(accepted)
                break
    if not keys:
        wanted = "”“".join(mapping.header(COLUMN_BY_KEY[k]) for k in MATERIAL_KEYS)
        raise ConfigError(f"{table.label}：需要一列说明材料属于哪个事项：“{wanted}”之一",
                          f"{table.label}: needs a column saying which item a material belongs "
                          f"to: one of {wanted}")
    index: dict[str, dict[str, list[_Row]]] = {key: {} for key in keys}
    for current in rows:
        values: dict[str, Any] = {"id": current.id, "name": current.data.get("name"),
                                  "codes.handling": _get(current.data, ("codes", "handling"))}
        for key in keys:
            if values[key]:
                index[key].setdefault(str(values[key]), []).append(current)
    taken: set[int] = set()
    for row in table.rows:
        def problem(column: str | None, zh: str, en: str, number: int = row.number) -> None:
            problems.append(RowProblem(table=table.label, row=number,
                                       column=table.headers.get(column) if column else None,
                                       message=Text(zh, en)))

        chosen = next((k for k in keys if row.cells.get(keys[k])), None)
        if chosen is None:
            problem(None, "没有填写所属事项（事项标识、业务办理项编码或事项名称）",
                    "does not say which item it belongs to (事项标识, 业务办理项编码 or 事项名称)")
            continue
        wanted = row.cells[keys[chosen]]
        owners = index[chosen].get(wanted, [])
        if len(owners) != 1:
            if owners:
                lines = "、".join(str(o.row.number) for o in owners)
                problem(keys[chosen],
                        f"“{wanted}”对应多个事项（第 {lines} 行），请用事项标识或业务办理项编码",
                        f"'{wanted}' matches several items (rows {lines}); use the id or the "
                        "handling code")
            else:
                problem(keys[chosen], f"找不到事项“{wanted}”", f"no item '{wanted}' in the items sheet")
            continue
        owner = owners[0]
        if id(owner) not in taken and owner.data.get("materials"):
            owner.problems.append(RowProblem(
                table=columns.table.label, row=owner.row.number,
                column=columns.shown("materials", mapping), message=Text(
                    f"申请材料同时写在本列和“{table.label}”工作表中，只能用一处",
                    f"materials are given both in this column and on the sheet "
                    f"'{table.label}'; use one")))
        taken.add(id(owner))
        material: dict[str, Any] = {}
        failed = False
        for item_field in MATERIAL_FIELDS:
            text = row.cells.get(by_field.get(item_field.key, ""))
            if not text:
                continue
            try:
                value = item_field.codec.parse(text, context.registers)
            except CellError as e:
                problem(by_field[item_field.key], e.text.zh, e.text.en)
                failed = True
                continue
            material[item_field.key] = value
        if failed:
            owner.problems.append(RowProblem(
                table=columns.table.label, row=owner.row.number, column=None, message=Text(
                    f"申请材料有误（见“{table.label}”第 {row.number} 行）",
                    f"a material is wrong (see {table.label} row {row.number})")))
            continue
        owner.data.setdefault("materials", []).append(material)
        owner.material_rows.append((table.label, row.number))
    used = set(by_field.values()) | set(keys.values())
    return [text for h, text in table.headers.items() if h not in used]


def _resolve_links(rows: list[_Row], columns: _Columns, mapping: ColumnMapping,
                   context: Context) -> None:
    """上级事项 and 对应基本目录事项: an id, or a name that only one candidate has (this import's
    rows and this region's items for a parent; items of the regions above for a baseline)."""
    imported = {r.id for r in rows}
    for current in rows:
        for key, candidates in (
                ("parent", [(r.id, str(r.data.get("name"))) for r in rows if r is not current]
                 + [(i.id, i.name) for i in context.items.values()
                    if i.region == context.region and i.id not in imported]),
                ("implements", [(i.id, i.name) for i in context.items.values()
                                if i.region in context.baseline_regions])):
            wanted = current.data.get(key)
            # An id stands as written, even one not (yet) in the catalogue: lint checks it.
            if wanted is None or wanted in imported or _ID.fullmatch(wanted):
                continue
            found = sorted({ident for ident, name in candidates if name == wanted})
            if len(found) == 1:
                current.data[key] = found[0]
                continue
            zh_what = "上级事项" if key == "parent" else "基本目录事项"
            en_what = "parent item" if key == "parent" else "baseline item"
            zh, en = (f"“{wanted}”对应多个{zh_what}（{'、'.join(found)}），请填写事项标识",
                      f"'{wanted}' names several {en_what}s ({', '.join(found)}); give the id") \
                if found else (f"找不到{zh_what}“{wanted}”（填写事项标识或名称）",
                               f"no {en_what} '{wanted}' (give its id or name)")
            current.problems.append(RowProblem(table=columns.table.label, row=current.row.number,
                                               column=columns.shown(key, mapping),
                                               message=Text(zh, en)))


def _finish(current: _Row, columns: _Columns, mapping: ColumnMapping, context: Context,
            label: str) -> NewItem | None:
    data = current.data
    previous = context.previous.get(current.id)
    if previous is not None:
        for column in COLUMNS:
            kept = _get(previous, column.path)
            if column.stored and not columns.present(column) and kept is not None:
                _set(data, column.path, copy.deepcopy(kept))
    if current.hours is not None:
        halls = _get(data, ("channels", "halls"))
        if not halls:
            current.problems.append(RowProblem(
                table=label, row=current.row.number,
                column=columns.shown("channels.halls.hours", mapping),
                message=Text("填写了办公时间，但没有办理地点",
                             "opening hours are given, but no place (办理地点)")))
            return None
        for hall in halls:
            hall.setdefault("hours", current.hours)
    data["id"] = current.id
    data["region"] = context.region
    data.setdefault("tier", "handling" if data.get("parent") else "main")
    data.setdefault("status", _DEFAULT_STATUS)
    ordered = _ordered(data, bundled(Kind.ITEM))
    file = context.file_of(current.id)
    text = render_yaml(ordered, context.header_comment)
    loaded = load_text(text, file)
    problems: list[RowProblem] = []
    if loaded.document is None:  # a bug in rendering, not in the row: say so plainly
        raise RuntimeError(f"generated YAML for {current.id} does not load: {loaded.problems}")
    for problem in validate(loaded.document, Kind.ITEM, item=current.id):
        table, number, header = _origin(problem.path, current, columns, mapping, label)
        problems.append(RowProblem(table=table, row=number, column=header,
                                   message=problem.message))
    current.problems.extend(problems)
    if problems:
        return None
    return NewItem(id=current.id, row=current.row.number, data=ordered, text=text)


def _origin(pointer: str, current: _Row, columns: _Columns, mapping: ColumnMapping,
            label: str) -> tuple[str, int, str | None]:
    """The sheet, row and column a schema problem's pointer came from."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    if len(parts) >= 2 and parts[0] == "materials" and parts[1].isdigit() \
            and int(parts[1]) < len(current.material_rows):
        table, number = current.material_rows[int(parts[1])]
        if table != label:
            name = next((f.label for f in MATERIAL_FIELDS if len(parts) > 2 and f.key == parts[2]),
                        None)
            return table, number, name
    for column in COLUMNS:
        path = list(column.path)
        if column.stored and (parts[:len(path)] == path or (parts and path[:len(parts)] == parts)):
            return label, current.row.number, columns.shown(column.key, mapping)
    return label, current.row.number, None


def _ordered(value: Any, schema: Mapping[str, Any]) -> Any:
    """Keys in the order the schema lists them, as in the hand-written files."""
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        keys = [k for k in properties if k in value] + [k for k in value if k not in properties]
        return {k: _ordered(value[k], properties.get(k, {})) for k in keys}
    if isinstance(value, list):
        return [_ordered(v, schema.get("items", {})) for v in value]
    return value


_STR = "tag:yaml.org,2002:str"


class _Dumper(yaml.SafeDumper):
    """Block style, Chinese as written, multi-line text as a literal block."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Text YAML would read as something else ("370784") in double quotes, as editors write it.
    implicit = dumper.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    style = "|" if "\n" in value else '"' if implicit != _STR else None
    return dumper.represent_scalar(_STR, value, style=style)


_Dumper.add_representer(str, _text)


def render_yaml(data: Mapping[str, Any], header_comment: str | None) -> str:
    """The item file's text; quoted throughout if svccat's loader would read a plain value
    differently from what was meant (`1e5` is a number to svccat, text to PyYAML's dumper)."""
    head = f"{header_comment}\n" if header_comment else ""
    text = head + yaml.dump(dict(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                            width=4096, default_flow_style=False)
    loaded = load_text(text, "")
    if loaded.document is None or loaded.document.data != data:
        text = head + yaml.dump(dict(data), Dumper=yaml.SafeDumper, allow_unicode=True,
                                sort_keys=False, width=4096, default_style='"')
    return text


# Export: item documents → rows.

Cell = str | int


def item_cells(data: Mapping[str, Any], registers: Registers, *, with_materials: bool
               ) -> dict[str, Cell]:
    """One item's row, by column key (empty cells left out)."""
    cells: dict[str, Cell] = {}
    halls = _get(data, ("channels", "halls")) or []
    hours = {h.get("hours") for h in halls}
    common = hours.pop() if len(hours) == 1 else None
    for column in COLUMNS:
        if column.key == "materials" and not with_materials:
            continue
        if column.key == "region":
            value: Any = data.get("region")
        elif column.key == "channels.halls.hours":
            value = common
        elif column.key == "channels.halls" and common is not None:
            value = [{k: v for k, v in h.items() if k != "hours"} for h in halls]
        else:
            value = _get(data, column.path)
        if value is None or value == "" or (isinstance(value, list) and not value
                                            and column.key != "fees"):
            continue
        cells[column.key] = column.codec.format(value, registers) if column.stored \
            else str(value)
    return cells


def material_cells(data: Mapping[str, Any], registers: Registers) -> Iterator[dict[str, Cell]]:
    """Rows of the 申请材料 sheet for one item, by material field key (and the item's keys)."""
    for material in data.get("materials") or ():
        cells: dict[str, Cell] = {"item.id": data["id"], "item.name": data["name"]}
        handling = _get(data, ("codes", "handling"))
        if handling:
            cells["item.codes.handling"] = handling
        for item_field in MATERIAL_FIELDS:
            value = material.get(item_field.key)
            if value is not None:
                cells[item_field.key] = item_field.codec.format(value, registers)
        yield cells

