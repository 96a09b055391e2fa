"""Export → import gives back the same items: the sample's 安丘市 (370784) through xlsx and CSV."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import msgspec
import pytest
from openpyxl import load_workbook

from svccat.catalogue import load_catalogue
from svccat.model import Item
from tests.conftest import REPO

REGION = "370784"


@pytest.fixture(scope="module")
def originals() -> dict[str, Item]:
    items = load_catalogue(REPO / "catalogue").catalogue.items
    return {i.id: i for i in items.values() if i.region == REGION}


def _without_file(item: Item) -> Item:
    return msgspec.structs.replace(item, file="")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_into_an_empty_catalogue_gives_the_same_items(
        project: Path, svccat: Any, originals: dict[str, Item], fmt: str) -> None:
    empty = project / "empty"
    shutil.copytree(REPO / "catalogue" / "registries", empty / "registries")
    sample = str(REPO / "catalogue")
    done = svccat("export", "--catalogue", sample, "--region", REGION, "-o", f"sample.{fmt}")
    assert done.code == 0, done.err
    assert f"已导出 {len(originals)} 个事项到 sample.{fmt}" in done.err
    done = svccat("import", f"sample.{fmt}", "--region", REGION, "--catalogue", str(empty))
    assert done.code == 0, done.out
    imported = load_catalogue(empty).catalogue.items
    assert sorted(imported) == sorted(originals)
    # Every field of the model: a spreadsheet carries all of an item.
    for ident, original in originals.items():
        assert _without_file(imported[ident]) == _without_file(original), ident
    assert len(originals) > 50 and any(i.materials and i.faq and i.legal_review and i.steps
                                       for i in originals.values())


def test_the_workbook_has_items_and_materials_sheets(project: Path, svccat: Any,
                                                     originals: dict[str, Item]) -> None:
    done = svccat("export", "--catalogue", str(REPO / "catalogue"), "--region", REGION)
    assert done.code == 0
    book = load_workbook(project / f"items-{REGION}.xlsx")
    assert book.sheetnames == ["事项", "申请材料"]
    items, materials = book["事项"], book["申请材料"]
    headers = [c.value for c in items[1]]
    assert headers[:4] == ["事项标识", "事项名称", "区划代码", "事项类型"]
    assert "申请材料" not in headers  # on their own sheet
    assert items.max_row - 1 == len(originals)
    assert materials.max_row - 1 == sum(len(i.materials) for i in originals.values())
    assert [c.value for c in materials[1]][:5] == ["事项标识", "业务办理项编码", "事项名称", "材料名称",
                                                   "必要性"]
    limit = items.cell(row=1, column=headers.index("法定办结时限") + 1)
    assert limit.comment is not None and "20个工作日" in limit.comment.text
