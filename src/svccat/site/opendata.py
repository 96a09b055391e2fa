"""Open data: the catalogue and each region's list as JSON and CSV, the registries, the schemas.

JSON keeps each entry exactly as its file gives it (after schema validation), so the bundled
JSON Schemas describe it, each entry on a line of its own (svccat.site.jsontext). CSV is one
row per item for spreadsheets: UTF-8 with a byte order mark so that Excel reads the Chinese
text, and Chinese column headings.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any, Generic, TypeVar

from svccat.catalogue import Loaded
from svccat.model import Item, TimeLimit
from svccat.resources import schemas_dir
from svccat.site import jsontext, paths
from svccat.site.published import Published

BOM = "\ufeff"
T = TypeVar("T")
# Cells that a spreadsheet would run as a formula get a leading apostrophe (OWASP CSV
# injection advice); the JSON files keep the exact text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Registry file name → (key in the file and in catalogue.json, the model's table).
REGISTRIES: dict[str, tuple[str, ...]] = {
    "regions": ("regions",),
    "departments": ("departments",),
    "legal-documents": ("legal_documents",),
    "certificates": ("retained", "cancelled"),
}


def _limit(limit: TimeLimit | None, part: str) -> str | int | None:
    return None if limit is None else limit.days if part == "days" else limit.unit


def _online(item: Item, part: str) -> str | None:
    online = item.channels.online
    return None if online is None else online.depth if part == "depth" else online.url


# Column heading → its value: one table, so heading and value cannot drift apart.
_Cell = str | int | None
CSV_COLUMNS: tuple[tuple[str, Callable[[Published, Item], _Cell]], ...] = (
    ("事项标识", lambda s, i: i.id),
    ("事项名称", lambda s, i: i.name),
    ("事项类型", lambda s, i: i.type),
    ("区划代码", lambda s, i: i.region),
    ("实施区划", lambda s, i: s.region_name(i.region)),
    ("部门标识", lambda s, i: i.department),
    ("实施部门", lambda s, i: s.department_name(i.department)),
    ("事项层级", lambda s, i: i.tier),
    ("上级事项", lambda s, i: i.parent),
    ("区分情形", lambda s, i: i.situation),
    ("对应基本目录事项", lambda s, i: i.implements),
    ("基本编码", lambda s, i: i.basic_code),
    ("实施编码", lambda s, i: i.implementation_code),
    ("业务办理项编码", lambda s, i: i.handling_code),
    ("办件类型", lambda s, i: i.handling_type),
    ("法定时限天数", lambda s, i: _limit(i.statutory_limit, "days")),
    ("法定时限单位", lambda s, i: _limit(i.statutory_limit, "unit")),
    ("承诺时限天数", lambda s, i: _limit(i.committed_limit, "days")),
    ("承诺时限单位", lambda s, i: _limit(i.committed_limit, "unit")),
    ("申请材料数", lambda s, i: len(i.materials)),
    ("网办深度", lambda s, i: _online(i, "depth")),
    ("网上办理地址", lambda s, i: _online(i, "url")),
    ("自助办理", lambda s, i: "是" if i.channels.self_service is not None else "否"),
    ("到现场次数", lambda s, i: i.visits),
    ("通办范围", lambda s, i: i.scope),
    ("主题", lambda s, i: "；".join(i.themes)),
    ("状态", lambda s, i: i.status),
    ("办事指南", lambda s, i: paths.item(i.id)),
)


def _cell(value: _Cell) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def items_csv(site: Published, items: Iterable[Item]) -> bytes:
    return _CsvRows(site).file(items, keep=False)


class _Lines(list[str]):
    """Where a csv.writer writes: each row's text, one write a row."""

    def write(self, text: str) -> None:
        self.append(text)


class _Shared(Generic[T]):
    """Each item's part of a file, made once: catalogue.json and catalogue.csv list every
    item, and its region's files list it again. Parts are kept for the files still to come
    (`keep`); a region's file takes its items' parts away, since no other region lists them."""

    def __init__(self, make: Callable[[Item], T]) -> None:
        self._make = make
        self._made: dict[str, T] = {}

    def of(self, items: Iterable[Item], *, keep: bool) -> list[T]:
        made, make, found = self._made, self._make, []
        for item in items:
            part = made.get(item.id) if keep else made.pop(item.id, None)
            if part is None:
                part = make(item)
                if keep:
                    made[item.id] = part
            found.append(part)
        return found


class _CsvRows:
    """Each item's CSV row as text, made once (_Shared)."""

    def __init__(self, site: Published) -> None:
        self.site = site
        self._lines = _Lines()
        self._writer = csv.writer(self._lines, lineterminator="\r\n")
        self._rows = _Shared(self._item_row)

    def _row(self, values: list[str]) -> str:
        self._writer.writerow(values)
        return self._lines.pop()

    def _item_row(self, item: Item) -> str:
        return self._row([_cell(value(self.site, item)) for _, value in CSV_COLUMNS])

    def file(self, items: Iterable[Item], *, keep: bool) -> bytes:
        heading = BOM + self._row([heading for heading, _ in CSV_COLUMNS])
        return (heading + "".join(self._rows.of(items, keep=keep))).encode("utf-8")


def _json_lines(loaded: Loaded) -> _Shared[jsontext.Encoded]:
    """Each item's JSON text, made once (_Shared), as its file gives it."""
    return _Shared(lambda item: jsontext.line(_raw(loaded, item.file, "")))


def to_json(data: object) -> bytes:
    return (jsontext.dumps(data) + "\n").encode("utf-8")


def _resolve(data: Any, pointer: str) -> Any:
    for step in pointer.strip("/").split("/") if pointer.strip("/") else ():
        data = data[int(step)] if isinstance(data, list) else data[step]
    return data


def _raw(loaded: Loaded, file: str, pointer: str) -> Any:
    """An entry as its file gives it (the model keeps where each entry came from)."""
    return _resolve(loaded.documents[file].data, pointer)


def _registry_entries(loaded: Loaded) -> dict[str, list[Any]]:
    catalogue = loaded.catalogue
    tables: Mapping[str, Mapping[str, Any]] = {
        "regions": catalogue.regions, "departments": catalogue.departments,
        "legal_documents": catalogue.legal_documents, "retained": catalogue.retained,
        "cancelled": catalogue.cancelled}
    return {key: [_raw(loaded, e.file, e.pointer) for _, e in sorted(table.items())]
            for key, table in tables.items()}


# A file of the site, made only when it is written: bytes, or for a file too large to hold
# whole, its bytes in pieces.
Made = bytes | Iterator[bytes]
MakeFile = Callable[[], Made]


def open_data(loaded: Loaded, site: Published) -> dict[str, MakeFile]:
    """Every open-data file, by its path in the site, each made when it is asked for: held
    all at once they were about a gigabyte at 100,000 items."""
    rows, lines = _CsvRows(site), _json_lines(loaded)
    files: dict[str, MakeFile] = {
        paths.CATALOGUE_JSON: partial(_catalogue_json, loaded, site, lines),
        paths.CATALOGUE_CSV: lambda: rows.file(site.items.values(), keep=True),
    }
    for name, keys in REGISTRIES.items():
        files[paths.registry_data(name)] = partial(_registry_json, loaded, keys)
    for code in sorted(loaded.catalogue.regions):
        files[paths.region_data(code, "json")] = partial(_region_json, loaded, site, lines,
                                                         code)
        files[paths.region_data(code, "csv")] = partial(
            rows.file, site.by_region.get(code, ()), keep=False)
    for schema in sorted(Path(schemas_dir()).glob("*.schema.json")):
        files[f"schemas/{schema.name}"] = schema.read_bytes
    return files


def _catalogue_json(loaded: Loaded, site: Published, lines: _Shared[jsontext.Encoded]
                    ) -> Iterator[bytes]:
    raw_items = lines.of(site.items.values(), keep=True)
    # In pieces of a few entries: the registries, then the items.
    for piece in jsontext.dumps_pieces({**_registry_entries(loaded), "items": raw_items}):
        yield piece.encode("utf-8")
    yield b"\n"


def _registry_json(loaded: Loaded, keys: tuple[str, ...]) -> bytes:
    entries = _registry_entries(loaded)
    return to_json({key: entries[key] for key in keys})


def _region_json(loaded: Loaded, site: Published, lines: _Shared[jsontext.Encoded],
                 code: str) -> bytes:
    region = loaded.catalogue.regions[code]
    return to_json({"region": _raw(loaded, region.file, region.pointer),
                    "items": lines.of(site.by_region.get(code, ()), keep=False)})
