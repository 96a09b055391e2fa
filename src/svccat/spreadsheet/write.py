"""Tables → the bytes of an .xlsx workbook or a CSV file (UTF-8 with BOM, for Excel)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from svccat.spreadsheet.read import FORMULA_STARTS

Cell = str | int


@dataclass(frozen=True)
class Sheet:
    name: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell | None]]
    notes: Sequence[str | None] = ()  # per column: how the cell is written (a header comment)
    choices: Sequence[Sequence[str] | None] = ()  # per column: the values a drop-down offers


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook: bold frozen header with notes, wrapped multi-line cells, drop-downs."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    wrap = Alignment(wrap_text=True, vertical="top")
    for spec in sheets:
        sheet = book.create_sheet(spec.name)
        sheet.append(list(spec.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, note in enumerate(spec.notes):
            if note:
                sheet.cell(row=1, column=index + 1).comment = Comment(note, "svccat", width=300)
        for number, row in enumerate(spec.rows, 2):
            for index, value in enumerate(row, 1):
                if value is None or value == "":
                    continue
                cell = sheet.cell(row=number, column=index, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text that starts with = stays text, not a formula
                    if "\n" in value:
                        cell.alignment = wrap
        for index, header in enumerate(spec.headers, 1):
            longest = max([len(header) * 2, *(_width(r[index - 1]) for r in spec.rows
                                              if index - 1 < len(r))], default=8)
            sheet.column_dimensions[get_column_letter(index)].width = min(max(longest, 8), 60)
        for index, values in enumerate(spec.choices, 1):
            listed = ",".join(values or ())
            if values and len(listed) < 250:  # Excel's limit on a literal list
                letter = get_column_letter(index)
                check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True,
                                       showErrorMessage=False)
                check.add(f"{letter}2:{letter}1048576")
                sheet.add_data_validation(check)
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _width(value: Cell | None) -> int:
    if value is None:
        return 0
    lines = str(value).split("\n")
    return max(sum(2 if ord(ch) > 0x2E7F else 1 for ch in line) for line in lines)


def csv_bytes(sheet: Sheet) -> bytes:
    """UTF-8 with a byte-order mark (Excel then reads Chinese), CRLF; a text that Excel would
    run as a formula gets a leading `'`, which import removes again."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow([_guard(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _guard(value: Cell | None) -> str:
    text = "" if value is None else str(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text
