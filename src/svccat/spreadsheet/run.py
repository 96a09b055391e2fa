"""`svccat import` and `svccat export`: read → convert every row → check → write all or nothing.

An import writes no file unless every row converted and every generated item passed the item
schema: a spreadsheet is fixed and imported again, never half-applied. Existing files are
replaced only with `--overwrite` (and keep the fields of columns the sheet does not have).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from svccat.atomic import write_atomically
from svccat.catalogue import Loaded, display_path, load_catalogue
from svccat.config import Config, ConfigError
from svccat.problems import Text
from svccat.progress import progress_bar
from svccat.schema import Kind
from svccat.spreadsheet.cells import Choice, Registers
from svccat.spreadsheet.columns import (
    COLUMN_BY_KEY,
    COLUMNS,
    ITEMS_SHEET,
    MATERIAL_FIELDS,
    MATERIAL_KEYS,
    MATERIALS_SHEET,
    load_mapping,
)
from svccat.spreadsheet.convert import Context, RowProblem, convert, item_cells, material_cells
from svccat.spreadsheet.read import read_spreadsheet
from svccat.spreadsheet.write import Sheet, csv_bytes, xlsx_bytes

EXIT_OK, EXIT_PROBLEMS = 0, 1
FORMATS = ("xlsx", "csv")
Tick = Callable[[int, int], None]


@dataclass(frozen=True, kw_only=True)
class ImportOptions:
    file: Path
    region: str
    mapping: Path | None = None
    dry_run: bool = False
    overwrite: bool = False


@dataclass(frozen=True, kw_only=True)
class Planned:
    path: Path
    text: str
    replaces: bool


@dataclass(frozen=True, kw_only=True)
class ImportReport:
    rows: int
    planned: tuple[Planned, ...]
    problems: tuple[RowProblem, ...]
    ignored: tuple[str, ...]
    written: bool


def _load(config: Config) -> Loaded:
    return load_catalogue(config.catalogue, max_file_size=config.max_file_size)


def _check_region(loaded: Loaded, region: str) -> None:
    if region not in loaded.catalogue.regions:
        raise ConfigError(f"区划“{region}”不在区划登记簿中", f"region '{region}' is not in the "
                          "regions registry")


def _baseline_regions(loaded: Loaded, region: str) -> frozenset[str]:
    above: set[str] = set()
    current = loaded.catalogue.regions[region].parent
    while current and current not in above and current in loaded.catalogue.regions:
        above.add(current)
        current = loaded.catalogue.regions[current].parent
    return frozenset(above)


def _registers(loaded: Loaded, region: str) -> Registers:
    cat = loaded.catalogue
    return Registers(region=region, departments=cat.departments,
                     legal_documents=cat.legal_documents)


def _schema_comment(catalogue: Path, folder: Path) -> str | None:
    """The editor's schema hint the hand-written files carry, where the schemas are beside."""
    schema = catalogue.resolve().parent / "schemas" / Kind.ITEM.schema_file
    if not schema.is_file():
        return None
    relative = Path(os.path.relpath(schema, folder.resolve())).as_posix()
    return f"# yaml-language-server: $schema={relative}"


def import_items(config: Config, options: ImportOptions, *, tick: Tick | None = None
                 ) -> ImportReport:
    """Convert every row and decide every file; write them only if nothing went wrong."""
    mapping = load_mapping(options.mapping)
    loaded = _load(config)
    _check_region(loaded, options.region)
    name_column = COLUMN_BY_KEY["name"]
    sheet = read_spreadsheet(
        options.file, items_sheet=mapping.items_sheet, materials_sheet=mapping.materials_sheet,
        header_names=mapping.accepted(name_column),
        material_header_names=(mapping.material_header(MATERIAL_FIELDS[0]),))
    folder = config.catalogue / "items" / options.region
    paths = {source.file: source.path for source in loaded.files}

    def target(ident: str) -> Path:
        return folder / f"{ident}.yaml"

    previous: dict[str, dict[str, Any]] = {}
    if options.overwrite:
        for item in loaded.catalogue.items.values():
            if paths.get(item.file) == target(item.id).resolve():
                previous[item.id] = loaded.documents[item.file].data
    context = Context(region=options.region, registers=_registers(loaded, options.region),
                      items=loaded.catalogue.items,
                      baseline_regions=_baseline_regions(loaded, options.region),
                      previous=previous, header_comment=_schema_comment(config.catalogue, folder),
                      file_of=lambda ident: display_path(target(ident)))
    conversion = convert(sheet, mapping, context, tick=tick)
    problems = list(conversion.problems)
    planned: list[Planned] = []
    for new in conversion.items:
        path = target(new.id)
        existing = loaded.catalogue.items.get(new.id)
        elsewhere = existing is not None and paths.get(existing.file) != path.resolve()
        if elsewhere and existing is not None:
            problems.append(RowProblem(table=sheet.items.label, row=new.row, column=None,
                                       message=Text(f"事项标识“{new.id}”已被 {existing.file} 使用",
                                                    f"item id '{new.id}' is already used by "
                                                    f"{existing.file}")))
        elif path.exists() and not options.overwrite:
            problems.append(RowProblem(table=sheet.items.label, row=new.row, column=None,
                                       message=Text(f"文件 {display_path(path)} 已存在；用 --overwrite 覆盖",
                                                    f"{display_path(path)} exists; replace it "
                                                    "with --overwrite")))
        planned.append(Planned(path=path, text=new.text, replaces=path.exists()))
    problems.sort(key=lambda p: (p.table != sheet.items.label, p.table, p.row or 0))
    written = False
    if not problems and not options.dry_run:
        _write_all(planned)
        written = True
    return ImportReport(rows=len(sheet.items.rows), planned=tuple(planned),
                        problems=tuple(problems), ignored=conversion.ignored, written=written)


def _write_all(planned: list[Planned]) -> None:
    for plan in planned:
        mode = plan.path.stat().st_mode & 0o777 if plan.replaces else _new_mode()
        try:
            write_atomically(plan.path, plan.text, mode=mode)
        except OSError as e:
            raise ConfigError(f"无法写入 {display_path(plan.path)}：{e.strerror or e}",
                              f"cannot write {display_path(plan.path)}: {e.strerror or e}") \
                from None


def run_import(config: Config, options: ImportOptions, *, stream: TextIO, out: TextIO) -> int:
    """The import as a command: problems and the outcome on out, notes on stream."""
    en = config.lang == "en"
    with progress_bar(stream, "importing" if en else "导入") as tick:
        report = import_items(config, options, tick=tick)
    if report.ignored:
        shown = ", ".join(report.ignored) if en else "、".join(report.ignored)
        stream.write(f"svccat: columns not read: {shown}\n" if en else f"svccat: 未读取的列：{shown}\n")
    for problem in report.problems:
        out.write(problem.render(config.lang) + "\n")
    count = len(report.planned)
    replaced = sum(p.replaces for p in report.planned)
    if report.problems:
        out.write(f"svccat: {len(report.problems)} problem(s) in {options.file}; no file was "
                  f"written ({report.rows} row(s) read)\n" if en else
                  f"svccat: {options.file} 中有 {len(report.problems)} 个问题，未写入任何文件"
                  f"（共 {report.rows} 行）\n")
        return EXIT_PROBLEMS
    if options.dry_run:
        for plan in report.planned:
            verb = ("replace" if plan.replaces else "create") if en else \
                ("覆盖" if plan.replaces else "新建")
            out.write(f"{verb} {display_path(plan.path)}\n")
        out.write(f"svccat: dry run, nothing written: {count} item file(s) would be written "
                  f"({count - replaced} new, {replaced} replaced)\n" if en else
                  f"svccat: 试运行，未写入任何文件：将写入 {count} 个事项文件（新建 {count - replaced}，"
                  f"覆盖 {replaced}）\n")
        return EXIT_OK
    folder = display_path(config.catalogue / "items" / options.region)
    out.write(f"svccat: wrote {count} item file(s) to {folder} ({count - replaced} new, "
              f"{replaced} replaced)\n" if en else
              f"svccat: 已写入 {count} 个事项文件到 {folder}（新建 {count - replaced}，覆盖 {replaced}）\n")
    return EXIT_OK


@dataclass(frozen=True, kw_only=True)
class ExportOptions:
    format: str | None = None  # xlsx or csv; None: from the output's suffix, else xlsx
    region: str | None = None
    output: Path | None = None  # None: items-REGION.FORMAT; Path("-"): standard output (CSV)
    mapping: Path | None = None


@dataclass(frozen=True, kw_only=True)
class ExportReport:
    items: int
    output: Path | None  # None: written to standard output
    unreadable: tuple[str, ...]  # item files that did not load, so are not in the export
    content: bytes


def export_format(options: ExportOptions) -> str:
    chosen = options.format
    if chosen is None:
        suffix = options.output.suffix.lower().lstrip(".") if options.output else ""
        chosen = suffix if suffix in FORMATS else "xlsx"
    if chosen not in FORMATS:
        raise ConfigError(f"--format 只能是 xlsx 或 csv，而不是“{chosen}”",
                          f"--format must be xlsx or csv, not '{chosen}'")
    return chosen


def export_items(config: Config, options: ExportOptions) -> ExportReport:
    """The catalogue's items (one region's, or all) as a workbook or a CSV file."""
    chosen = export_format(options)
    mapping = load_mapping(options.mapping)
    loaded = _load(config)
    if options.region is not None:
        _check_region(loaded, options.region)
    items = sorted((i for i in loaded.catalogue.items.values()
                    if options.region is None or i.region == options.region),
                   key=lambda i: (i.region, i.id))
    loaded_files = {i.file for i in loaded.catalogue.items.values()}
    folder = (config.catalogue / "items" / options.region).resolve() if options.region else None
    unreadable = tuple(sorted(
        source.file for source in loaded.files
        if source.kind is Kind.ITEM and source.file not in loaded_files
        and (folder is None or source.path.is_relative_to(folder))))
    xlsx = chosen == "xlsx"
    columns = [c for c in COLUMNS if not (xlsx and c.key == "materials")]
    rows = []
    material_rows = []
    for item in items:
        data = loaded.documents[item.file].data
        registers = _registers(loaded, item.region)
        cells = item_cells(data, registers, with_materials=not xlsx)
        rows.append([cells.get(c.key) for c in columns])
        material_rows += list(material_cells(data, registers))
    main = Sheet(mapping.items_sheet or ITEMS_SHEET, [mapping.header(c) for c in columns], rows,
                 notes=[c.codec.hint for c in columns],
                 choices=[_choices(c.codec) for c in columns])
    if xlsx:
        keys = [("item." + k, mapping.header(COLUMN_BY_KEY[k])) for k in MATERIAL_KEYS]
        fields = [(f.key, mapping.material_header(f)) for f in MATERIAL_FIELDS]
        materials = Sheet(mapping.materials_sheet or MATERIALS_SHEET,
                          [header for _, header in keys + fields],
                          [[cells.get(key) for key, _ in keys + fields] for cells in material_rows],
                          notes=[None] * len(keys) + [f.codec.hint for f in MATERIAL_FIELDS],
                          choices=[None] * len(keys) + [_choices(f.codec) for f in MATERIAL_FIELDS])
        content = xlsx_bytes([main, materials])
    else:
        content = csv_bytes(main)
    output = options.output if options.output is not None else \
        Path(f"items-{options.region}.{chosen}" if options.region else f"items.{chosen}")
    return ExportReport(items=len(items), output=None if str(output) == "-" else output,
                        unreadable=unreadable, content=content)


def _choices(codec: object) -> list[str] | None:
    return [label for _, label in codec.options] if isinstance(codec, Choice) else None


def run_export(config: Config, options: ExportOptions, *, stream: TextIO, out: TextIO) -> int:
    en = config.lang == "en"
    report = export_items(config, options)
    if report.output is None:
        if export_format(options) == "xlsx":
            raise ConfigError("xlsx 不能写到标准输出，请用 --output 指定文件",
                              "an xlsx workbook cannot go to standard output; give --output")
        out.flush()
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            buffer.write(report.content)
            buffer.flush()
        else:
            out.write(report.content.decode("utf-8"))
    else:
        try:
            write_atomically(report.output, report.content, mode=_new_mode())
        except OSError as e:
            raise ConfigError(f"无法写入 {report.output}：{e.strerror or e}",
                              f"cannot write {report.output}: {e.strerror or e}") from None
        stream.write(f"svccat: exported {report.items} item(s) to {report.output}\n" if en else
                     f"svccat: 已导出 {report.items} 个事项到 {report.output}\n")
    if report.unreadable:
        shown = ", ".join(report.unreadable)
        stream.write(f"svccat: {len(report.unreadable)} item file(s) did not load and are not in "
                     f"the export (svccat lint says why): {shown}\n" if en else
                     f"svccat: {len(report.unreadable)} 个事项文件无法读取，未导出（运行 svccat lint "
                     f"查看原因）：{shown}\n")
        return EXIT_PROBLEMS
    return EXIT_OK


def _new_mode() -> int:
    """Permissions of a new file as the user's umask wants them (the temporary one is 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
