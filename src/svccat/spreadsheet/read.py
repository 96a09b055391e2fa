"""An .xlsx or .csv file → tables of rows of cell texts, keyed by header, with row numbers.

Decisions a reader of an official's spreadsheet has to make, made here once:
- the header row is the first row that names the item-name column (title rows above it are
  skipped); columns nobody asked for are ignored and listed;
- a merged range in the header row is a usage error (each column needs its own name); a
  merged range in the body gives every cell of the range the top-left value (an official who
  merges 实施主体 over ten rows means it for each);
- a row with no value of its own is skipped (a merged value reaching into it does not count);
- CSV is UTF-8, with or without a byte-order mark; any other encoding is a usage error that
  says how to save the file; a leading `'` that guards a formula-like text is removed.
"""

from __future__ import annotations

import csv
import datetime
import io
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from svccat.config import ConfigError
from svccat.spreadsheet.columns import ITEMS_SHEET, normalise_header

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv",)
# How far down a title block may push the header row.
_HEADER_SEARCH_ROWS = 30
# Texts a spreadsheet would run as a formula; CSV exports guard them with a leading '.
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Row:
    number: int  # the row number in the sheet, or the CSV line where the record starts
    cells: dict[str, str]  # normalised header → cell text (never empty)


@dataclass(frozen=True)
class Table:
    label: str  # how problems name it: the file, with the sheet for a second sheet
    headers: dict[str, str]  # normalised header → header as written
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Spreadsheet:
    items: Table
    materials: Table | None  # the 申请材料 sheet of a workbook


def cell_text(value: Any) -> str:
    """A cell's value as the text an official typed: 20 not 20.0, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def read_spreadsheet(path: Path, *, items_sheet: str | None, materials_sheet: str,
                     header_names: Iterable[str], material_header_names: Iterable[str]
                     ) -> Spreadsheet:
    """The item table (and a materials sheet, if the workbook has one) of an .xlsx or .csv.

    header_names are the headers that identify the header row of the items table (the
    item-name column's accepted headers); material_header_names those of the materials sheet.
    """
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ConfigError(f"找不到文件 {path}", f"file {path} not found")
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path, items_sheet, materials_sheet, tuple(header_names),
                          tuple(material_header_names))
    if suffix in CSV_SUFFIXES:
        grid = _read_csv(path)
        return Spreadsheet(_table(path.name, grid, tuple(header_names), merged=()), None)
    if suffix == ".xls":
        raise ConfigError(f"{path}：不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx",
                          f"{path}: old .xls files are not supported; save it as .xlsx")
    raise ConfigError(f"{path}：只能导入 .xlsx 或 .csv 文件", f"{path}: import an .xlsx or .csv file")


# One cell of a grid: its text, and whether the text is its own (not spread from a merge).
_Grid = list[tuple[int, list[tuple[str, bool]]]]
_Range = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col (from 1)


def _read_xlsx(path: Path, items_sheet: str | None, materials_sheet: str,
               header_names: tuple[str, ...], material_header_names: tuple[str, ...]
               ) -> Spreadsheet:
    import openpyxl

    try:
        with warnings.catch_warnings():  # "extension not supported" notes about styles
            warnings.simplefilter("ignore")
            # Not read-only: only a full load knows the merged ranges.
            book = openpyxl.load_workbook(path, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a broken or foreign file
        raise ConfigError(f"{path}：无法作为 .xlsx 文件读取（{type(e).__name__}: {e}）",
                          f"{path}: cannot be read as .xlsx ({type(e).__name__}: {e})") from None
    names = book.sheetnames
    if items_sheet is not None and items_sheet not in names:
        raise ConfigError(f"{path}：没有名为“{items_sheet}”的工作表（有：{'、'.join(names)}）",
                          f"{path}: no sheet named '{items_sheet}' (sheets: {', '.join(names)})")
    chosen = items_sheet or (ITEMS_SHEET if ITEMS_SHEET in names else
                             next((n for n in names if n != materials_sheet), names[0]))
    items = _sheet_table(path, book[chosen], header_names, label=path.name)
    materials = None
    if materials_sheet in names and materials_sheet != chosen:
        materials = _sheet_table(path, book[materials_sheet], material_header_names,
                                 label=f"{path.name}[{materials_sheet}]")
    return Spreadsheet(items, materials)


def _sheet_table(path: Path, sheet: Any, header_names: tuple[str, ...], *, label: str) -> Table:
    grid: _Grid = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
        texts = [cell_text(v) for v in values]
        grid.append((number, [(text, bool(text)) for text in texts]))
    merged: list[_Range] = [(r.min_row, r.min_col, r.max_row, r.max_col)
                            for r in sheet.merged_cells.ranges]
    for min_row, min_col, max_row, max_col in merged:
        top = _at(grid, min_row, min_col)
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col) and r <= len(grid) and c <= len(grid[r - 1][1]):
                    grid[r - 1][1][c - 1] = (top, False)
    return _table(label, grid, header_names, merged=merged, file=str(path))


def _at(grid: _Grid, row: int, column: int) -> str:
    if row > len(grid) or column > len(grid[row - 1][1]):
        return ""
    return grid[row - 1][1][column - 1][0]


def _read_csv(path: Path) -> _Grid:
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ConfigError(f"{path}：文件是 UTF-16 编码；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
                          f"{path}: the file is UTF-16; save it as 'CSV UTF-8 (comma delimited)'")
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        guess_zh, guess_en = "", ""
        try:
            raw.decode("gb18030")
            guess_zh, guess_en = "，可能是 GBK 编码", ", probably GBK"
        except UnicodeDecodeError:
            pass
        raise ConfigError(
            f"{path}：不是 UTF-8 编码（第 {line} 行有字节 0x{raw[e.start]:02x}{guess_zh}）；"
            "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或 .xlsx 文件",
            f"{path}: not UTF-8 (byte 0x{raw[e.start]:02x} at line {line}{guess_en}); save it "
            "as 'CSV UTF-8 (comma delimited)' or as .xlsx") from None
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid: _Grid = []
    start = 1
    try:
        for record in reader:
            grid.append((start, [(t, bool(t)) for t in (_unguard(cell_text(c)) for c in record)]))
            start = reader.line_num + 1
    except csv.Error as e:
        raise ConfigError(f"{path}:{reader.line_num}：CSV 格式错误：{e}",
                          f"{path}:{reader.line_num}: malformed CSV: {e}") from None
    return grid


def _unguard(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _table(label: str, grid: _Grid, header_names: Sequence[str], *,
           merged: Sequence[_Range], file: str | None = None) -> Table:
    wanted = {normalise_header(h) for h in header_names}
    where = file or label
    header_at = next((i for i, (_, cells) in enumerate(grid[:_HEADER_SEARCH_ROWS])
                      if wanted & {normalise_header(t) for t, _ in cells}), None)
    if header_at is None:
        shown = "”或“".join(header_names)
        raise ConfigError(f"{label}：缺少必填列“{shown}”（在前 {_HEADER_SEARCH_ROWS} 行中找不到表头）",
                          f"{label}: the required column '{header_names[0]}' is missing (no "
                          f"header row in the first {_HEADER_SEARCH_ROWS} rows)")
    header_row, header_cells = grid[header_at]
    for min_row, min_col, max_row, max_col in merged:
        if min_row <= header_row <= max_row:
            shown = f"{_letter(min_col)}{min_row}:{_letter(max_col)}{max_row}"
            raise ConfigError(f"{where}：表头第 {header_row} 行有合并单元格 {shown}；请取消合并，"
                              "每列只写一个列名，表头只占一行",
                              f"{where}: the header row {header_row} has merged cells {shown}; "
                              "unmerge them so that each column has one name on one row")
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    for index, (text, _) in enumerate(header_cells):
        key = normalise_header(text)
        if not key:
            continue
        if key in positions:
            first = f"{_letter(positions[key] + 1)}{header_row}"
            raise ConfigError(f"{where}：列名“{text}”出现两次（{first} 和 "
                              f"{_letter(index + 1)}{header_row}）",
                              f"{where}: the header '{text}' appears twice ({first} and "
                              f"{_letter(index + 1)}{header_row})")
        positions[key] = index
        written[key] = text
    rows: list[Row] = []
    for number, cells in grid[header_at + 1:]:
        if not any(own for _, own in cells):
            continue
        rows.append(Row(number, {key: cells[i][0] for key, i in positions.items()
                                 if i < len(cells) and cells[i][0]}))
    return Table(label, written, tuple(rows))


def _letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
