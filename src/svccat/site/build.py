"""`svccat build`: lint, gather the site, render and write it whole (STYLE: collect → render → write)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from svccat.catalogue import load_catalogue
from svccat.config import Config, ConfigError
from svccat.lint import lint
from svccat.progress import Tick, progress_bar
from svccat.site.output import check_output, write_site
from svccat.site.plan import SiteOptions, SitePlan, plan_site
from svccat.site.render import environment, render_page

EXIT_BUILT, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
DEFAULT_OUT = Path("build")

# A path prefix (/guides/) or an http(s) address; the site's links start with it.
_BASE_URL = re.compile(r"^(?:https?://[^\s/?#]+)?/[^\s?#]*$")


@dataclass(frozen=True, kw_only=True)
class BuildOptions:
    out: Path = DEFAULT_OUT
    base_url: str | None = None
    force: bool = False
    drafts: bool = False


@dataclass(frozen=True, kw_only=True)
class BuildReport:
    built: bool
    errors: int  # lint errors in the catalogue (a build with errors needs --force)
    pages: int = 0
    files: int = 0
    items: int = 0


def normalise_base_url(value: str | None) -> str | None:
    """The base URL with one trailing slash, or a usage error."""
    if value is None or value == "":
        return None
    if not _BASE_URL.match(value):
        raise ConfigError(f"--base-url 应为以 / 开头的路径或 http(s) 网址，而不是“{value}”",
                          f"--base-url must be a path starting with / or an http(s) address, "
                          f"not '{value}'")
    return value if value.endswith("/") else value + "/"


def build_site(config: Config, options: BuildOptions, *, tick: Tick | None = None) -> BuildReport:
    """Build the site into options.out unless lint finds errors (and --force is not given)."""
    base_url = normalise_base_url(options.base_url)
    check_output(options.out, keep=(config.catalogue, Path.cwd()))
    # One load serves both the lint gate and the site.
    loaded = load_catalogue(config.catalogue, max_file_size=config.max_file_size)
    errors = lint(config, loaded=loaded).summary.errors
    if errors and not options.force:
        return BuildReport(built=False, errors=errors)
    plan = plan_site(loaded, SiteOptions(drafts=options.drafts, base_url=base_url,
                                         lang=config.lang))
    try:
        written = write_site(options.out, _outputs(plan, config.lang, tick))
    except OSError as e:
        raise ConfigError(f"无法写入 {options.out}：{e.strerror or e}",
                          f"cannot write {options.out}: {e.strerror or e}") from None
    return BuildReport(built=True, errors=errors, pages=len(plan.pages), files=written,
                       items=plan.items)


def _outputs(plan: SitePlan, lang: str, tick: Tick | None) -> Iterator[tuple[str, bytes]]:
    env = environment(lang)
    total = len(plan.pages) + len(plan.files)
    done = 0
    for page in plan.pages:
        yield page.meta.path, render_page(env, page)
        done += 1
        if tick:
            tick(done, total)
    for path, data in sorted(plan.files.items()):
        yield path, data
        done += 1
        if tick:
            tick(done, total)


def run(config: Config, options: BuildOptions, *, stream: TextIO, out: TextIO) -> int:
    """The build as a command: progress on a terminal, one line of outcome, the exit code."""
    en = config.lang == "en"
    with progress_bar(stream, "building" if en else "生成网站") as tick:
        report = build_site(config, options, tick=tick)
    if not report.built:
        stream.write(
            f"svccat: the catalogue has {report.errors} error(s); the site was not built. Run "
            "`svccat lint` to see them, or build anyway with --force\n" if en else
            f"svccat: 目录中有 {report.errors} 个错误，未生成网站。运行 svccat lint 查看并修正，"
            "或用 --force 强制生成\n")
        return EXIT_REFUSED
    if report.errors:
        stream.write(f"svccat: built despite {report.errors} error(s) (--force)\n" if en else
                     f"svccat: 已忽略 {report.errors} 个错误强制生成（--force）\n")
    out.write(f"svccat: built {options.out}: {report.pages} pages, {report.items} items, "
              f"{report.files} files\n" if en else
              f"svccat: 已生成网站 {options.out}：{report.pages} 个页面，{report.items} 个事项，"
              f"共 {report.files} 个文件\n")
    return EXIT_BUILT
