"""The svccat command: each command parses options, calls one core function, returns a code.

A command imports its own modules when it runs: start-up counts (pre-commit runs lint on
every commit), and the site builder, spreadsheets and the like are not needed for lint.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from svccat import __version__
from svccat.atomic import write_atomically
from svccat.baseline import write as write_baseline_file
from svccat.cache import default_folder
from svccat.catalogue import display_path
from svccat.config import Config, ConfigError, load_config
from svccat.diff import FORMATS as DIFF_FORMATS
from svccat.lint import lint
from svccat.lintconfig import known_codes
from svccat.problems import Severity
from svccat.report import REPORTERS
from svccat.report.github import GithubReporter
from svccat.resources import schemas_dir

if TYPE_CHECKING:
    from svccat.scaffold import Ask, Question

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
DEFAULT_OUT = Path("build")  # svccat.site.build's default, without importing the site builder

app = typer.Typer(
    name="svccat", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="公共服务事项清单编译器：检查、发布、对比。/ Catalogue compiler for public service items.",
)

CatalogueOption = Annotated[Path | None, typer.Option(
    "--catalogue", "-c", help="目录文件夹（默认 ./catalogue）/ Catalogue folder.",
    file_okay=False)]
ConfigOption = Annotated[Path | None, typer.Option(
    "--config", help="配置文件（svccat.toml 或 pyproject.toml）/ Settings file.", dir_okay=False)]
LangOption = Annotated[str | None, typer.Option(
    "--lang", help="输出语言 zh 或 en（默认 zh，或环境变量 SVCCAT_LANG）/ Output language.")]


def _config(catalogue: Path | None, config: Path | None, lang: str | None, *,
            require_catalogue: bool = True) -> Config:
    return load_config(cwd=Path.cwd(), explicit=config, catalogue=catalogue,
                       lang=lang or os.environ.get("SVCCAT_LANG") or None,
                       require_catalogue=require_catalogue)


def _color(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and "NO_COLOR" not in os.environ


def _version(value: bool) -> None:
    if value:
        typer.echo(f"svccat {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="显示版本 / Show the version.")] = False,
          ) -> None:
    """公共服务事项清单编译器 / Catalogue compiler for public service items."""


@app.command("lint")
def lint_command(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="只报告这些文件或文件夹的问题 / Report only on these files or folders.")] = None,
    catalogue: CatalogueOption = None,
    config: ConfigOption = None,
    lang: LangOption = None,
    formats: Annotated[list[str] | None, typer.Option(
        "--format", "-f",
        help=f"输出格式，可重复 / Output format, repeatable: {', '.join(REPORTERS)}.")] = None,
    outputs: Annotated[list[Path] | None, typer.Option(
        "--output", "-o", dir_okay=False,
        help="按顺序对应每个 --format 的输出文件 / Output file of each --format, in order.")] = None,
    fail_on: Annotated[str | None, typer.Option(
        "--fail-on", help="达到该级别即退出码 1 / Exit 1 from this severity: error, warning, "
        "info.")] = None,
    statistics: Annotated[bool, typer.Option(
        "--statistics", help="按规则统计问题数 / Count problems per rule.")] = False,
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", dir_okay=False, help="只报告基线之外的新问题 / Report only problems not in "
        "this baseline.")] = None,
    write_baseline: Annotated[Path | None, typer.Option(
        "--write-baseline", dir_okay=False, help="把当前问题写入基线文件 / Record the current "
        "problems as a baseline.")] = None,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="不读也不写缓存 .svccat-cache/ / Neither read nor write the cache "
        ".svccat-cache/.")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="读取和解析文件的进程数，默认每个可用 CPU 核一个 / "
        "Processes that read and parse files; default: one per usable CPU core.")] = None,
) -> None:
    """检查目录：YAML、模式、引用和领域规则 / Check the catalogue: YAML, schema, references, rules."""
    chosen = formats or ["text"]
    for name in chosen:
        if name not in REPORTERS:
            raise ConfigError(f"未知的输出格式“{name}”（可用：{'、'.join(REPORTERS)}）",
                              f"unknown format '{name}' (known: {', '.join(REPORTERS)})")
    files = list(outputs or [])
    if len(files) > len(chosen) or len(chosen) - len(files) > 1:
        raise ConfigError("每个 --format 都需要一个 --output，只有最后一个可以写到标准输出",
                          "give each --format its --output; only the last may go to standard "
                          "output")
    settings = _config(catalogue, config, lang)
    threshold = settings.lint.fail_on
    if fail_on is not None:
        if fail_on not in {s.value for s in Severity}:
            raise ConfigError(f"--fail-on 只能是 error、warning 或 info，而不是“{fail_on}”",
                              f"--fail-on must be error, warning or info, not '{fail_on}'")
        threshold = Severity(fail_on)
    cache = None if no_cache else default_folder(settings.source, Path.cwd())
    # Millions of objects and few cycles: the cycle collector would walk them again and
    # again (a quarter of a cold run's time, a third of a warm one's).
    collecting = gc.isenabled()
    gc.disable()
    try:
        result = lint(settings, paths or (), baseline=baseline, cache=cache, jobs=jobs)
    finally:
        if collecting:
            gc.enable()
    if write_baseline is not None:
        count = write_baseline_file(write_baseline, result.problems)
        sys.stderr.write(f"svccat: {count} problems recorded in {write_baseline}\n"
                         if settings.lang == "en" else
                         f"svccat: 已把 {count} 个问题写入基线 {write_baseline}\n")
        raise typer.Exit(EXIT_OK)
    for index, name in enumerate(chosen):
        target = files[index] if index < len(files) else None
        reporter = REPORTERS[name](lang=settings.lang, color=target is None and _color(sys.stdout),
                                   statistics=statistics, fail_on=threshold)
        text = reporter.render(result)
        if target is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            write_atomically(target, text)
        if isinstance(reporter, GithubReporter) and os.environ.get("GITHUB_STEP_SUMMARY"):
            with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
                handle.write(reporter.step_summary(result))
    raise typer.Exit(result.exit_code(threshold))


@app.command("rules")
def rules_command(
    code: Annotated[str | None, typer.Argument(help="规则代码 / A rule code.")] = None,
    lang: LangOption = None,
) -> None:
    """列出全部规则，或解释一条规则 / List every rule, or explain one."""
    from svccat.docgen import explain, rules_table
    chosen = lang or os.environ.get("SVCCAT_LANG") or "zh"
    if chosen not in ("zh", "en"):
        raise ConfigError(f"--lang 只能是 zh 或 en，而不是“{chosen}”",
                          f"--lang must be zh or en, not '{chosen}'")
    if code is None:
        sys.stdout.write(rules_table(chosen))
    else:
        if code.upper() not in known_codes():
            raise ConfigError(f"未知的规则代码“{code}”", f"unknown rule code '{code}'")
        sys.stdout.write(explain(code.upper(), chosen))
    raise typer.Exit(EXIT_OK)


@app.command("diff")
def diff_command(
    args: Annotated[list[str] | None, typer.Argument(
        help="两个区划代码、两个文件夹，或 版本1..版本2 / Two regions, two folders, or REV1..REV2.",
        show_default=False)] = None,
    base: Annotated[str | None, typer.Option(
        "--base", help="与 git 版本比较工作区 / Compare the working tree with this revision.")] = None,
    matrix: Annotated[bool, typer.Option(
        "--matrix", help="同级区划的一致性矩阵 / Consistency matrix of the given peer regions.")
    ] = False,
    catalogue: CatalogueOption = None,
    config: ConfigOption = None,
    lang: LangOption = None,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", help=f"输出格式 / Output format: {', '.join(DIFF_FORMATS)}.")] = "text",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, help="输出文件 / Output file.")] = None,
    fail_on: Annotated[list[str] | None, typer.Option(
        "--fail-on", help="出现该类别及更重要类别、或该类型的变化时退出码为 1 / Exit 1 on changes "
        "of this effect or a weightier one (burden-up > legal > structure > burden-down > "
        "editorial), or of this kind.")] = None,
    threshold: Annotated[float | None, typer.Option(
        "--threshold", min=0.01, max=1.0, help="名称相似度匹配阈值 / Name similarity threshold.")
    ] = None,
) -> None:
    """对比清单：区划之间、与基本目录、git 版本之间 / Semantic diff of catalogues."""
    from svccat.diff.matrix import Matrix
    from svccat.diff.report import DIFF_REPORTERS
    from svccat.diff.run import Request, compare, failing
    if output_format not in DIFF_REPORTERS:
        raise ConfigError(f"未知的输出格式“{output_format}”（可用：{'、'.join(DIFF_FORMATS)}）",
                          f"unknown format '{output_format}' (known: {', '.join(DIFF_FORMATS)})")
    # Two folders need no catalogue of the working directory; the other forms check it.
    settings = _config(catalogue, config, lang, require_catalogue=False)
    found = compare(settings, Request(tuple(args or ()), base, matrix, threshold))
    reporter = DIFF_REPORTERS[output_format](lang=settings.lang,
                                             color=output is None and _color(sys.stdout))
    if isinstance(found, Matrix):
        text, code = reporter.render_matrix(found), EXIT_OK
    else:
        text = reporter.render(found)
        code = EXIT_PROBLEMS if fail_on and failing(found, fail_on) else EXIT_OK
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomically(output, text)
    raise typer.Exit(code)


OutOption = Annotated[Path, typer.Option(
    "--out", "-o", help="输出文件夹 / Output folder.", file_okay=False)]
DraftsOption = Annotated[bool, typer.Option(
    "--drafts", help="也发布未公布的事项，并标为草稿 / Include unpublished items, marked as drafts.")]
ForceOption = Annotated[bool, typer.Option(
    "--force", help="即使检查发现错误也生成 / Build even when lint finds errors.")]


@app.command("build")
def build_command(
    catalogue: CatalogueOption = None,
    config: ConfigOption = None,
    lang: LangOption = None,
    out: OutOption = DEFAULT_OUT,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", help="网站所在路径或网址，如 /guides/（默认用相对链接）/ Path or address the "
        "site is served under (relative links by default).")] = None,
    force: ForceOption = False,
    drafts: DraftsOption = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help="不读也不写缓存 .svccat-cache/ / Neither read nor write the cache "
        ".svccat-cache/.")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="解析文件和渲染页面的进程数，默认每个可用 CPU 核一个 / "
        "Processes that parse files and render pages; default: one per usable CPU core.")
    ] = None,
) -> None:
    """生成办事指南网站；只重新生成有变化的页面 / Build the static service-guide website;
    only what changed since the last build is made again."""
    from svccat.site.build import BuildOptions
    from svccat.site.build import run as run_build
    settings = _config(catalogue, config, lang)
    options = BuildOptions(out=out, base_url=base_url, force=force, drafts=drafts, jobs=jobs)
    cache = None if no_cache else default_folder(settings.source, Path.cwd())
    raise typer.Exit(run_build(settings, options, stream=sys.stderr, out=sys.stdout,
                               cache=cache))


@app.command("serve")
def serve_command(
    catalogue: CatalogueOption = None,
    config: ConfigOption = None,
    lang: LangOption = None,
    out: OutOption = DEFAULT_OUT,
    port: Annotated[int, typer.Option(
        "--port", "-p", min=0, max=65535, help="端口 / Port on 127.0.0.1.")] = 8000,
    force: ForceOption = False,
    drafts: DraftsOption = False,
) -> None:
    """本地预览网站，目录变化时自动重新生成 / Preview the site locally, rebuilding on changes."""
    from svccat.site.build import BuildOptions
    from svccat.site.serve import serve
    settings = _config(catalogue, config, lang)
    options = BuildOptions(out=out, force=force, drafts=drafts)
    raise typer.Exit(serve(settings, options, port=port, stream=sys.stderr, out=sys.stdout))



# --- starting a repository and scaffolding items (init, schema, new) ------------------------

def _plain_lang(lang: str | None) -> str:
    """The language of a command that reads no settings file."""
    chosen = lang or os.environ.get("SVCCAT_LANG") or "zh"
    if chosen not in ("zh", "en"):
        raise ConfigError(f"--lang 只能是 zh 或 en，而不是“{chosen}”",
                          f"--lang must be zh or en, not '{chosen}'")
    return chosen


@app.command("init")
def init_command(
    directory: Annotated[Path, typer.Argument(
        help="新仓库的文件夹（默认当前文件夹）/ Folder of the new repository.", file_okay=False)
    ] = Path("."),
    region: Annotated[str | None, typer.Option(
        "--region", help="本目录的行政区划代码 / Region code of the catalogue.")] = None,
    region_name: Annotated[str | None, typer.Option(
        "--region-name", help="行政区划名称 / Region name.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="覆盖已有的文件 / Overwrite existing files.")] = False,
    lang: LangOption = None,
) -> None:
    """新建目录仓库：示例目录、模式、CI、pre-commit、编辑器设置 / Start a catalogue repository."""
    from svccat.init import init_repository, parse_region
    chosen = _plain_lang(lang)
    result = init_repository(directory, region=parse_region(region, region_name), force=force)
    en = chosen == "en"
    out = sys.stdout
    out.write(f"svccat: wrote {len(result.written)} files into {directory}\n" if en else
              f"svccat: 已在 {directory} 中写入 {len(result.written)} 个文件\n")
    for name in result.written:
        out.write(f"  {name}\n")
    if result.placeholder_region:
        out.write("svccat: no --region given: edit catalogue/registries/regions.yaml (code 000000 "
                  "is a placeholder) and the example item\n" if en else
                  "svccat: 未给出 --region：请修改 catalogue/registries/regions.yaml 中的占位区划"
                  "（代码 000000）和示例事项\n")
    out.write("next: git init, svccat lint, svccat new (docs/getting-started.md)\n" if en else
              "接下来：git init，svccat lint，svccat new（见 docs/getting-started.md）\n")
    raise typer.Exit(EXIT_OK)


@app.command("schema")
def schema_command(
    name: Annotated[str | None, typer.Argument(
        help="模式名称，如 item / Schema name, e.g. item.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", file_okay=False, help="写入该文件夹（供编辑器使用）/ Write into this folder "
        "(for editors).")] = None,
) -> None:
    """随包附带的 JSON Schema：写到文件夹、打印一个，或列出 / The bundled JSON Schemas."""
    from svccat.init import schema_files, schema_name, write_schemas
    if out is not None:
        for path in write_schemas(out, [schema_name(name)] if name else None):
            sys.stdout.write(f"{path}\n")
    elif name is not None:
        sys.stdout.write(schema_files()[schema_name(name)])
    else:
        for file, text in schema_files().items():
            identifier = json.loads(text).get("$id", "")
            sys.stdout.write(f"{file}\t{identifier}\n")
        sys.stdout.write(f"# {schemas_dir()}\n")
    raise typer.Exit(EXIT_OK)


def _prompter(lang: str) -> Ask:
    """Questions on the terminal: a numbered list to choose from, a default to accept with
    Enter; an answer is asked again until it passes the question's own check."""

    def ask(question: Question) -> str:
        values = [value for value, _ in question.choices]
        for index, (_, shown) in enumerate(question.choices, start=1):
            typer.echo(f"  {index}) {shown}", err=True)
        while True:
            answer = str(typer.prompt(
                question.text.get(lang), err=True,
                default=question.default if question.default is not None else
                ("" if not question.required else None),
                show_default=bool(question.default))).strip()
            if not answer and not question.required:
                return ""
            if answer.isdigit() and values and 1 <= int(answer) <= len(values):
                answer = values[int(answer) - 1]
            problem = question.check(answer)
            if problem is None:
                return answer
            typer.echo(f"  {problem.get(lang)}", err=True)

    return ask


@app.command("new")
def new_command(
    name: Annotated[str | None, typer.Option("--name", help="事项名称 / Item name.")] = None,
    item_type: Annotated[str | None, typer.Option(
        "--type", help="事项类型，如 行政许可、公共服务 / One of the seven item types.")] = None,
    region: Annotated[str | None, typer.Option(
        "--region", help="实施区划代码 / Region code.")] = None,
    department: Annotated[str | None, typer.Option(
        "--department", help="实施部门标识 / Department id.")] = None,
    tier: Annotated[str | None, typer.Option(
        "--tier", help="main 主项、sub 子项、handling 业务办理项（默认 main）/ Tier.")] = None,
    parent: Annotated[str | None, typer.Option(
        "--parent", help="上级事项标识 / Parent item id.")] = None,
    situation: Annotated[str | None, typer.Option(
        "--situation", help="区分情形 / What sets a child apart from its siblings.")] = None,
    item_id: Annotated[str | None, typer.Option(
        "--id", help="事项标识（默认由区划和部门生成）/ Item id (generated by default).")] = None,
    handling_type: Annotated[str | None, typer.Option(
        "--handling-type", help="即办件 或 承诺件 / Instant or committed.")] = None,
    statutory_days: Annotated[int | None, typer.Option(
        "--statutory-days", min=0, max=3650, help="法定办结时限天数 / Statutory limit in days.")
    ] = None,
    committed_days: Annotated[int | None, typer.Option(
        "--committed-days", min=0, max=3650, help="承诺办结时限天数 / Committed limit in days.")
    ] = None,
    unit: Annotated[str | None, typer.Option(
        "--unit", help="时限单位：工作日（默认）或 自然日 / Unit of the limits.")] = None,
    implements: Annotated[str | None, typer.Option(
        "--implements", help="从该基本目录事项复制，生成本区划的实施事项 / Copy this baseline item "
        "as the region's implementation of it.")] = None,
    yes: Annotated[bool, typer.Option(
        "--yes", "-y", help="不提问，缺少必需的选项时退出码 2 / Never ask; missing required "
        "options exit 2.")] = False,
    interactive: Annotated[bool, typer.Option(
        "--interactive", "-i", help="即使标准输入不是终端也提问 / Ask even when standard input "
        "is not a terminal.")] = False,
    catalogue: CatalogueOption = None,
    config: ConfigOption = None,
    lang: LangOption = None,
) -> None:
    """新建一个事项文件：提问、按选项，或从基本目录事项复制 / Scaffold one item file."""
    from svccat.scaffold import NewRequest, new_item
    if yes and interactive:
        raise ConfigError("--yes 和 --interactive 不能同时使用",
                          "--yes and --interactive exclude each other")
    settings = _config(catalogue, config, lang)
    request = NewRequest(
        name=name, type=item_type, region=region, department=department, tier=tier,
        parent=parent, situation=situation, id=item_id, handling_type=handling_type,
        statutory_days=statutory_days, committed_days=committed_days, unit=unit,
        implements=implements)
    asking = interactive or (not yes and sys.stdin.isatty() and not request.complete())
    created = new_item(settings, request, ask=_prompter(settings.lang) if asking else None)
    shown = display_path(created.path)
    sys.stdout.write(f"svccat: created {shown}\n" if settings.lang == "en" else
                     f"svccat: 已创建 {shown}\n")
    sys.stdout.write(f"  {created.todo.get(settings.lang)}\n")
    raise typer.Exit(EXIT_OK)


# --- spreadsheets in and out (import, export) ----------------------------------------------

MappingOption = Annotated[Path | None, typer.Option(
    "--mapping", dir_okay=False, help="列名映射文件（YAML）/ Column mapping file (YAML), see "
    "docs/spreadsheet.md.")]


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="要导入的 .xlsx 或 .csv 文件 / The .xlsx or .csv "
                                         "file to import.", dir_okay=False)],
    region: Annotated[str, typer.Option(
        "--region", help="事项所属的行政区划代码 / Region code the items belong to.")],
    catalogue: CatalogueOption = None,
    config: ConfigOption = None,
    lang: LangOption = None,
    mapping: MappingOption = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="只检查并列出将写入的文件 / Check and list the files, write nothing.")
    ] = False,
    overwrite: Annotated[bool, typer.Option(
        "--overwrite", help="覆盖已有的事项文件 / Replace existing item files.")] = False,
) -> None:
    """把电子表格中的事项导入为事项文件 / Import the items of a spreadsheet as item files."""
    from svccat.spreadsheet.run import ImportOptions, run_import
    settings = _config(catalogue, config, lang)
    options = ImportOptions(file=file, region=region, mapping=mapping, dry_run=dry_run,
                            overwrite=overwrite)
    raise typer.Exit(run_import(settings, options, stream=sys.stderr, out=sys.stdout))


@app.command("export")
def export_command(
    output_format: Annotated[str | None, typer.Option(
        "--format", "-f", help="xlsx 或 csv（默认按 --output 的扩展名，否则 xlsx）/ xlsx or csv.")
    ] = None,
    region: Annotated[str | None, typer.Option(
        "--region", help="只导出该区划的事项 / Export this region's items only.")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", dir_okay=False, help="输出文件（默认 items-区划.xlsx；CSV 可用 - 表示标准"
        "输出）/ Output file (items-REGION.xlsx by default; - for CSV on standard output).")
    ] = None,
    catalogue: CatalogueOption = None,
    config: ConfigOption = None,
    lang: LangOption = None,
    mapping: MappingOption = None,
) -> None:
    """把事项导出为电子表格 / Export items as a spreadsheet."""
    from svccat.spreadsheet.run import ExportOptions, run_export
    settings = _config(catalogue, config, lang)
    options = ExportOptions(format=output_format, region=region, output=output, mapping=mapping)
    raise typer.Exit(run_export(settings, options, stream=sys.stderr, out=sys.stdout))



@app.command("fmt")
def fmt_command(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="只整理这些文件或文件夹 / Format only these files or folders.")] = None,
    check: Annotated[bool, typer.Option(
        "--check", help="不写入，列出需要整理的文件；有则退出码 1 / Write nothing; list the files "
        "that would change and exit 1 if any.")] = False,
    catalogue: CatalogueOption = None,
    config: ConfigOption = None,
    lang: LangOption = None,
) -> None:
    """整理事项和登记簿文件的格式，保留注释 / Format item and registry files, keeping comments."""
    from svccat.fmt import render as render_fmt
    from svccat.fmt import run as run_fmt
    from svccat.fmt import summary as fmt_summary
    settings = _config(catalogue, config, lang)
    result = run_fmt(settings, paths or (), check=check)
    sys.stdout.write(render_fmt(result, settings.lang))
    sys.stdout.flush()
    sys.stderr.write(fmt_summary(result, settings.lang))
    raise typer.Exit(result.exit_code)


def main() -> None:
    """Entry point: usage and configuration errors are one line and exit 2, never a traceback."""
    try:
        # Without standalone mode click returns the code that typer.Exit carried.
        code = app(standalone_mode=False)
    except ConfigError as e:
        lang = "en" if "--lang=en" in sys.argv or _arg_after("--lang") == "en" \
            or os.environ.get("SVCCAT_LANG") == "en" else "zh"
        prefix = "error" if lang == "en" else "错误"
        sys.stderr.write(f"svccat: {prefix}: {e.text.get(lang)}\n")
        sys.exit(EXIT_USAGE)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        sys.stderr.write("svccat: aborted\n")
        sys.exit(EXIT_USAGE)
    except Exception as e:  # click's usage errors and anything unforeseen
        # Typer carries its own copy of click's exceptions: recognise them by behaviour.
        show = getattr(e, "show", None)
        if callable(show) and isinstance(getattr(e, "exit_code", None), int):
            show()
            sys.exit(EXIT_USAGE)
        if os.environ.get("SVCCAT_DEBUG"):
            raise
        sys.stderr.write(f"svccat: internal error: {type(e).__name__}: {e}\n"
                         "svccat: set SVCCAT_DEBUG=1 for the traceback, and please report it\n")
        sys.exit(EXIT_USAGE)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _arg_after(flag: str) -> str | None:
    args = sys.argv
    return args[args.index(flag) + 1] if flag in args and args.index(flag) + 1 < len(args) \
        else None
