"""Open data: JSON as the files give it, CSV for Excel, registries and schemas beside them."""

from __future__ import annotations

import csv
import io
import json

import yaml

from svccat.catalogue import Loaded
from svccat.resources import schemas_dir
from svccat.site import jsontext
from svccat.site.opendata import CSV_COLUMNS, _cell, _raw, items_csv, open_data, to_json
from svccat.site.published import Published, published
from tests.site.conftest import Built


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with the UTF-8 byte order mark"
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def test_catalogue_csv_has_a_bom_and_one_row_per_published_item(small_site: Built) -> None:
    data = (small_site.root / "data/catalogue.csv").read_bytes()
    assert b"\r\n" in data  # spreadsheet line endings
    rows = read_csv(data)
    assert rows[0] == [heading for heading, _ in CSV_COLUMNS]
    assert rows[0][:3] == ["事项标识", "事项名称", "事项类型"]
    ids = [r[0] for r in rows[1:]]
    assert ids == sorted(ids) and len(ids) == 6 and "370784-dibao" not in ids
    row = dict(zip(rows[0], next(r for r in rows if r[0] == "370784-sfz-sl"), strict=True))
    assert row["实施部门"] == "安丘市公安局" and row["法定时限天数"] == "60"
    assert row["承诺时限天数"] == "15" and row["申请材料数"] == "3"
    assert row["网上办理地址"] == "https://zwfw.sd.gov.cn/apply?item=sfz&from=guide"
    assert row["办事指南"] == "items/370784-sfz-sl.html"


def test_region_lists_as_json_and_csv(small_site: Built) -> None:
    region = json.loads((small_site.root / "data/regions/370784.json").read_text("utf-8"))
    assert region["region"] == {"code": "370784", "name": "安丘市", "level": "county",
                                "parent": "370700"}
    assert [i["id"] for i in region["items"]] == ["370784-sfz", "370784-sfz-sl"]
    rows = read_csv((small_site.root / "data/regions/370784.csv").read_bytes())
    assert [r[0] for r in rows[1:]] == ["370784-sfz", "370784-sfz-sl"]
    empty = read_csv((small_site.root / "data/regions/370700.csv").read_bytes())
    assert len(empty) == 1  # the heading row only


def test_json_keeps_each_item_as_its_file_gives_it(small_site: Built) -> None:
    catalogue = json.loads((small_site.root / "data/catalogue.json").read_text("utf-8"))
    assert list(catalogue) == ["regions", "departments", "legal_documents", "retained",
                               "cancelled", "items"]
    source = yaml.safe_load((small_site.root.parent / "catalogue/items/370784/370784-sfz-sl.yaml")
                            .read_text("utf-8"))
    (item,) = [i for i in catalogue["items"] if i["id"] == "370784-sfz-sl"]
    assert item == source
    assert [c["id"] for c in catalogue["cancelled"]] == ["juzhu-zhengming"]


def test_json_has_each_entry_on_a_line_of_its_own(small_site: Built) -> None:
    data = (small_site.root / "data/catalogue.json").read_bytes()
    assert data.endswith(b"\n}\n") and "居民身份证首次申领".encode() in data  # UTF-8, unescaped
    catalogue = json.loads(data)
    lines = data.decode("utf-8").split("\n")
    assert lines[:2] == ["{", '  "regions": [']
    entry_lines = [line for line in lines if line.startswith("    ")]
    entries = [e for key in catalogue for e in catalogue[key]]
    assert [json.loads(line.removesuffix(",")) for line in entry_lines] == entries
    item = next(line for line in entry_lines if '"id": "370784-sfz-sl"' in line)
    assert item.startswith('    {"id": "370784-sfz-sl", "codes": {"handling": "370784GA0101"}, ')
    region = (small_site.root / "data/regions/370784.json").read_text("utf-8").split("\n")
    assert region[:3] == [
        "{", '  "region": {"code": "370784", "name": "安丘市", "level": "county", '
        '"parent": "370700"},', '  "items": [']
    assert [json.loads(line.removesuffix(","))["id"] for line in region[3:-3]] == [
        "370784-sfz", "370784-sfz-sl"]
    assert region[-3:] == ["  ]", "}", ""]


def test_registries_and_schemas_are_published(small_site: Built) -> None:
    root = small_site.root / "data/registries"
    assert sorted(p.name for p in root.iterdir()) == [
        "certificates.json", "departments.json", "legal-documents.json", "regions.json"]
    certificates = json.loads((root / "certificates.json").read_text("utf-8"))
    assert set(certificates) == {"retained", "cancelled"}
    assert len(json.loads((root / "departments.json").read_text("utf-8"))["departments"]) == 4
    for schema in schemas_dir().glob("*.schema.json"):
        assert (small_site.root / "schemas" / schema.name).read_bytes() == schema.read_bytes()


def test_csv_cells_never_start_a_formula() -> None:
    assert _cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert _cell("+86 536") == "'+86 536"
    assert _cell("居民身份证") == "居民身份证" and _cell(None) == "" and _cell(3) == "3"


def test_each_region_csv_has_its_items_rows_as_the_catalogue_csv_has_them(
        sample: Loaded) -> None:
    # Rows are made once and shared by the two files; whichever file is made first.
    site = published(sample.catalogue, drafts=False)
    for order in (sorted, lambda paths: sorted(paths, reverse=True)):
        files = open_data(sample, site)
        made = {path: files[path]() for path in order(p for p in files if p.endswith(".csv"))}
        assert all(isinstance(data, bytes) for data in made.values())
        catalogue = {row[0]: row for row in read_csv(made["data/catalogue.csv"])[1:]}
        listed = 0
        for code, items in site.by_region.items():
            rows = read_csv(made[f"data/regions/{code}.csv"])  # type: ignore[arg-type]
            assert rows[0] == [heading for heading, _ in CSV_COLUMNS]
            assert rows[1:] == [catalogue[item.id] for item in items]
            listed += len(items)
        assert listed == len(catalogue) > 100
        assert made == {path: items_csv_of(site, path) for path in made}


def items_csv_of(site: Published, path: str) -> bytes:
    """The file as items_csv makes it alone, with no rows shared."""
    if path == "data/catalogue.csv":
        return items_csv(site, site.items.values())
    code = path.removeprefix("data/regions/").removesuffix(".csv")
    return items_csv(site, site.by_region.get(code, ()))


def test_each_region_json_holds_its_items_as_catalogue_json_does(sample: Loaded) -> None:
    # Each item's JSON text is made once and shared by the two files; whichever comes first.
    site = published(sample.catalogue, drafts=False)
    for order in (sorted, lambda paths: sorted(paths, reverse=True)):
        files = open_data(sample, site)
        made = {path: files[path]() for path in order(p for p in files if p.endswith(".json")
                                                      and p.startswith("data/"))}
        made = {path: data if isinstance(data, bytes) else b"".join(data)
                for path, data in made.items()}
        catalogue = made["data/catalogue.json"]
        assert catalogue == (jsontext.dumps({
            **{key: json.loads(made[f"data/registries/{name}.json"])[key]
               for name, keys in (("regions", ("regions",)), ("departments", ("departments",)),
                                  ("legal-documents", ("legal_documents",)),
                                  ("certificates", ("retained", "cancelled")))
               for key in keys},
            "items": [_raw(sample, item.file, "") for item in site.items.values()]}) + "\n"
        ).encode("utf-8")
        listed = 0
        for code, region in sorted(sample.catalogue.regions.items()):
            items = site.by_region.get(code, ())
            assert made[f"data/regions/{code}.json"] == to_json({
                "region": _raw(sample, region.file, region.pointer),
                "items": [_raw(sample, item.file, "") for item in items]})
            listed += len(items)
        assert listed == len(site.items) > 100
