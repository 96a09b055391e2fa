"""CSV in: UTF-8 with or without a byte-order mark; other encodings are named, not guessed."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.spreadsheet.conftest import HEADERS, ROW_HK, ROW_SFZ, item_files

IMPORT = ("import", "items.csv", "--region", "370784", "--catalogue", "catalogue")


def _csv(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in rows])
    return buffer.getvalue()


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["utf-8", "utf-8-bom"])
def test_utf8_with_or_without_bom(project: Path, svccat: Any, bom: bytes) -> None:
    (project / "items.csv").write_bytes(bom + _csv([HEADERS, ROW_SFZ, ROW_HK]).encode("utf-8"))
    done = svccat(*IMPORT)
    assert done.code == 0, done.out
    assert len(item_files(project)) == 2


def test_gbk_is_a_usage_error_that_says_how_to_save(project: Path, svccat: Any) -> None:
    (project / "items.csv").write_bytes(_csv([HEADERS, ROW_SFZ]).encode("gbk"))
    done = svccat(*IMPORT)
    assert done.code == 2
    assert "items.csv：不是 UTF-8 编码（第 1 行有字节 0xd0，可能是 GBK 编码）" in done.err
    assert "CSV UTF-8（逗号分隔）" in done.err
    assert item_files(project) == []


def test_utf16_is_a_usage_error(project: Path, svccat: Any) -> None:
    (project / "items.csv").write_bytes(_csv([HEADERS, ROW_SFZ]).encode("utf-16"))
    done = svccat(*IMPORT, "--lang", "en")
    assert done.code == 2 and "the file is UTF-16" in done.err


def test_row_numbers_are_the_lines_where_records_start(project: Path, svccat: Any) -> None:
    # ROW_SFZ holds a two-line cell (受理条件), so the next record starts on line 4.
    bad = list(ROW_HK)
    bad[HEADERS.index("承诺办结时限")] = "5"
    (project / "items.csv").write_text(_csv([HEADERS, ROW_SFZ, bad]), encoding="utf-8")
    done = svccat(*IMPORT)
    assert done.code == 1
    assert done.out.startswith("items.csv:4: 列“承诺办结时限”：“5”不是时限")


def test_a_formula_guard_is_removed(project: Path, svccat: Any) -> None:
    row = list(ROW_SFZ)
    row[HEADERS.index("咨询电话")] = "'+86 536 4223110"
    (project / "items.csv").write_text(_csv([HEADERS, row]), encoding="utf-8")
    assert svccat(*IMPORT).code == 0
    text = (project / "catalogue/items/370784/370784-ga0101.yaml").read_text(encoding="utf-8")
    assert "- +86 536 4223110" in text


def test_a_mapping_file_renames_columns(project: Path, svccat: Any) -> None:
    renamed = ["服务事项名称" if h == "事项名称" else "法定期限" if h == "法定办结时限" else h
               for h in HEADERS]
    (project / "items.csv").write_text(_csv([renamed, ROW_SFZ]), encoding="utf-8")
    done = svccat(*IMPORT)
    assert done.code == 2 and "缺少必填列“事项名称" in done.err
    (project / "mapping.yaml").write_text(
        "columns:\n  事项名称: 服务事项名称\n  statutory_limit: 法定期限\n", encoding="utf-8")
    done = svccat(*IMPORT, "--mapping", "mapping.yaml")
    assert done.code == 0, done.out + done.err
    text = (project / "catalogue/items/370784/370784-ga0101.yaml").read_text(encoding="utf-8")
    assert "statutory_limit:\n  days: 60\n" in text


@pytest.mark.parametrize(("mapping", "message"), [
    ("columns:\n  事项名: 服务事项名称\n", "columns 中未知的列“事项名”，是否应为“事项名称”？"),
    ("columns:\n  name: 名称\n  type: 名称\n", "列名“名称”同时映射到 name 和 type"),
    ("column:\n  name: 名称\n", "未知的键“column”"),
    ("columns: [name]\n", "columns 应为“名称: 列名”的映射"),
    ("columns:\n  name: [\n", "YAML 语法错误"),
])
def test_mapping_mistakes_are_usage_errors(project: Path, svccat: Any, mapping: str,
                                           message: str) -> None:
    (project / "items.csv").write_text(_csv([HEADERS, ROW_SFZ]), encoding="utf-8")
    (project / "mapping.yaml").write_text(mapping, encoding="utf-8")
    done = svccat(*IMPORT, "--mapping", "mapping.yaml")
    assert done.code == 2
    assert message in done.err
