"""A small catalogue to import into, real .xlsx files made with openpyxl, and the command run
in-process (the same `main` a user runs, without a new interpreter for each case)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from svccat.cli import main

REGISTRIES = {
    "catalogue/registries/regions.yaml": """regions:
  - {code: "370000", name: 山东省, level: province}
  - {code: "370700", name: 潍坊市, level: city, parent: "370000"}
  - {code: "370784", name: 安丘市, level: county, parent: "370700"}
""",
    "catalogue/registries/departments.yaml": """departments:
  - {id: 370000-gat, name: 山东省公安厅, region: "370000", system: 公安}
  - {id: 370784-gaj, name: 安丘市公安局, region: "370784", system: 公安}
  - {id: 370784-mzj, name: 安丘市民政局, region: "370784", system: 民政}
""",
    "catalogue/registries/legal-documents.yaml": """legal_documents:
  - {id: sfzf, title: 中华人民共和国居民身份证法, issuer: 全国人大常委会, level: 法律, status: amended}
  - {id: hkdj, title: 中华人民共和国户口登记条例, issuer: 全国人大常委会, level: 法律, status: in_force}
  - id: fzjl
    title: 公安部关于印发《公安机关办理犯罪记录查询工作规定》的通知
    number: 公通字〔2021〕19号
    issuer: 公安部
    level: 规范性文件
    status: in_force
""",
    "catalogue/items/370000/370000-ga-sfz.yaml": """id: 370000-ga-sfz
name: 居民身份证申领
type: 行政确认
region: "370000"
department: 370000-gat
tier: main
status: published
""",
}

# The headers of a typical county sheet, and two good rows.
HEADERS = ["序号", "事项名称", "事项类型", "业务办理项编码", "实施主体", "设定依据", "办件类型",
           "法定办结时限", "承诺办结时限", "受理条件", "申请材料", "到办事现场次数", "咨询电话"]
ROW_SFZ = [1, "居民身份证换领", "行政确认", "370784GA0101", "安丘市公安局",
           "《中华人民共和国居民身份证法》第十一条", "承诺件", "60个工作日", "20个工作日",
           "居民身份证有效期满\n证件严重损坏不能辨认", "居民户口簿|必要|纸质|证件证书证明|政府部门核发|1|0",
           "1次", "0536-4223110"]
ROW_HK = [2, "出生登记", "行政确认", "", "370784-gaj",
          "《中华人民共和国户口登记条例》第七条：婴儿出生后一个月以内申报出生登记。", "即办件", "",
          "即办", "新生儿在本市出生", "出生医学证明|必要|纸质\n结婚证|非必要|纸质|适用情形=父母已登记结婚的",
          0, "0536-4223110、12345"]


@pytest.fixture
def project(write: Any) -> Path:
    """A catalogue with registries and one baseline item; the working directory of the tests."""
    return write(dict(REGISTRIES))  # type: ignore[no-any-return]


def make_xlsx(path: Path, rows: Sequence[Sequence[Any]], *, merged: Sequence[str] = (),
              sheet: str = "事项", extra: dict[str, Sequence[Sequence[Any]]] | None = None) -> Path:
    """A real workbook: rows from A1 down (None leaves a cell empty), merged ranges, more sheets."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = sheet
    for row in rows:
        first.append(list(row))
    for cells in merged:
        first.merge_cells(cells)
    for name, more in (extra or {}).items():
        other = book.create_sheet(name)
        for row in more:
            other.append(list(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def svccat(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """svccat(*args) → Run: the command in the project folder, as a user types it."""
    monkeypatch.chdir(project)
    monkeypatch.delenv("SVCCAT_LANG", raising=False)

    def run(*args: str) -> Run:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["svccat", *args])
        try:
            main()
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 0
        else:  # pragma: no cover - main always exits
            code = 0
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def item_files(project: Path, region: str = "370784") -> list[str]:
    folder = project / "catalogue" / "items" / region
    return sorted(p.name for p in folder.glob("*.yaml")) if folder.is_dir() else []
