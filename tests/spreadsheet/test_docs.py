"""docs/spreadsheet.md names every column the code reads, under the key a mapping file uses."""

from __future__ import annotations

import re

from svccat.spreadsheet.columns import COLUMNS, MATERIAL_FIELDS
from tests.conftest import REPO

DOC = (REPO / "docs" / "spreadsheet.md").read_text(encoding="utf-8")


def _rows() -> dict[str, str]:
    """Header → the key written in the documentation's tables."""
    found = {}
    for line in DOC.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and re.fullmatch(r"`[a-z_.]+`", cells[1]):
            found[cells[0]] = cells[1].strip("`")
    return found


def test_every_column_and_material_field_is_documented_with_its_key() -> None:
    rows = _rows()
    for column in COLUMNS:
        assert rows.get(column.header) == column.key, column.header
        for alias in column.aliases:
            assert alias in DOC, alias
    for material in MATERIAL_FIELDS:
        assert rows.get(material.label) == f"materials.{material.key}", material.label
