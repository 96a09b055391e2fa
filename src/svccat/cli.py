"""The svccat command: each command parses options, calls one core function, returns a code."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from svccat import __version__
from svccat.config import Config, ConfigError, load_config
from svccat.lint import lint
from svccat.report import REPORTERS

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

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


def _config(catalogue: Path | None, config: Path | None, lang: str | None) -> Config:
    return load_config(cwd=Path.cwd(), explicit=config, catalogue=catalogue,
                       lang=lang or os.environ.get("SVCCAT_LANG") or None)


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
    output_format: Annotated[str, typer.Option(
        "--format", "-f", help=f"输出格式 / Output format: {', '.join(REPORTERS)}.")] = "text",
) -> None:
    """检查目录：YAML、模式和引用 / Check the catalogue: YAML, schema and references."""
    if output_format not in REPORTERS:
        raise ConfigError(f"未知的输出格式“{output_format}”（可用：{'、'.join(REPORTERS)}）",
                          f"unknown format '{output_format}' (known: {', '.join(REPORTERS)})")
    settings = _config(catalogue, config, lang)
    result = lint(settings, paths or ())
    reporter = REPORTERS[output_format](lang=settings.lang, color=_color(sys.stdout))
    sys.stdout.write(reporter.render(result))
    sys.stdout.flush()
    raise typer.Exit(result.exit_code())


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
