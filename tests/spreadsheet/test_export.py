"""`svccat export`: formats, where the output goes, texts Excel would run, files that did not load."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from tests.spreadsheet.conftest import HEADERS, ROW_HK, ROW_SFZ, make_xlsx

IMPORT = ("import", "items.xlsx", "--region", "370784", "--catalogue", "catalogue")
FORMULA_ITEM = """id: 370784-ga-x
name: =HYPERLINK("http://example.com")
type: 公共服务
region: "370784"
department: 370784-gaj
tier: main
status: draft
situation: -1
"""


def test_csv_is_utf8_with_bom_and_crlf(project: Path, svccat: Any) -> None:
    make_xlsx(project / "items.xlsx", [HEADERS, ROW_SFZ, ROW_HK])
    assert svccat(*IMPORT).code == 0
    done = svccat("export", "--catalogue", "catalogue", "--region", "370784", "-o", "out.csv")
    assert done.code == 0 and "已导出 2 个事项到 out.csv" in done.err
    raw = (project / "out.csv").read_bytes()
    assert raw.startswith("\ufeff事项标识,事项名称,".encode())
    assert b"\r\n" in raw
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    by_name = {row[header.index("事项名称")]: row for row in rows}
    sfz, hk = by_name["居民身份证换领"], by_name["出生登记"]
    # Materials in a cell, one per line; several lines in a cell.
    assert sfz[header.index("申请材料")] == "居民户口簿|必要|纸质|证件证书证明|政府部门核发|1|0"
    assert hk[header.index("申请材料")] == ("出生医学证明|必要|纸质\n"
                                          "结婚证|非必要|纸质|适用情形=父母已登记结婚的")
    assert sfz[header.index("受理条件")] == "居民身份证有效期满\n证件严重损坏不能辨认"


def test_csv_to_standard_output_and_xlsx_not(project: Path, svccat: Any) -> None:
    make_xlsx(project / "items.xlsx", [HEADERS, ROW_SFZ])
    assert svccat(*IMPORT).code == 0
    done = svccat("export", "--catalogue", "catalogue", "--format", "csv", "-o", "-")
    assert done.code == 0
    assert done.out.startswith("\ufeff事项标识,") and "居民身份证换领" in done.out
    done = svccat("export", "--catalogue", "catalogue", "-o", "-")
    assert done.code == 2 and "xlsx 不能写到标准输出" in done.err
    done = svccat("export", "--catalogue", "catalogue", "--format", "ods")
    assert done.code == 2 and "--format 只能是 xlsx 或 csv" in done.err


def test_all_regions_by_default_and_an_empty_region_gives_a_template(
        project: Path, svccat: Any) -> None:
    done = svccat("export", "--catalogue", "catalogue")
    assert done.code == 0 and "已导出 1 个事项到 items.xlsx" in done.err
    done = svccat("export", "--catalogue", "catalogue", "--region", "370700")
    assert done.code == 0
    book = load_workbook(project / "items-370700.xlsx")
    assert book["事项"].max_row == 1 and book["事项"]["B1"].value == "事项名称"


def test_texts_a_spreadsheet_would_run_stay_texts(project: Path, svccat: Any) -> None:
    (project / "catalogue/items/370784").mkdir(parents=True)
    (project / "catalogue/items/370784/370784-ga-x.yaml").write_text(
        FORMULA_ITEM.replace("situation: -1", 'situation: "-1"'), encoding="utf-8")
    export = ("export", "--catalogue", "catalogue", "--region", "370784")
    assert svccat(*export, "-o", "out.xlsx").code == 0
    cell = load_workbook(project / "out.xlsx")["事项"]["B2"]
    assert cell.value == '=HYPERLINK("http://example.com")' and cell.data_type == "s"
    assert svccat(*export, "-o", "out.csv").code == 0
    text = (project / "out.csv").read_text(encoding="utf-8-sig")
    assert "\"'=HYPERLINK(\"\"http://example.com\"\")\"" in text
    # And back: the guard is removed, the text is what it was.
    (project / "catalogue/items/370784/370784-ga-x.yaml").unlink()
    done = svccat("import", "out.csv", "--region", "370784", "--catalogue", "catalogue")
    assert done.code == 0, done.out
    written = (project / "catalogue/items/370784/370784-ga-x.yaml").read_text(encoding="utf-8")
    assert "name: =HYPERLINK(\"http://example.com\")" in written
    assert 'situation: "-1"' in written


def test_item_files_that_do_not_load_are_named_and_exit_1(project: Path, svccat: Any) -> None:
    (project / "catalogue/items/370784").mkdir(parents=True)
    (project / "catalogue/items/370784/370784-broken.yaml").write_text("id: [\n", encoding="utf-8")
    done = svccat("export", "--catalogue", "catalogue", "--region", "370784", "-o", "out.csv")
    assert done.code == 1
    assert "1 个事项文件无法读取，未导出" in done.err
    assert "catalogue/items/370784/370784-broken.yaml" in done.err
    assert (project / "out.csv").exists()
