"""`svccat build`: lint, gather the site, render and write it whole (STYLE: collect → render → write)."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import NamedTuple, TextIO

from svccat.cache import LoadCache
from svccat.cache import fingerprint as cache_salt
from svccat.catalogue import discover, load_files
from svccat.config import Config, ConfigError
from svccat.lint import lint
from svccat.parallel import key_files, usable_cores
from svccat.progress import Tick, progress_bar
from svccat.site import workers
from svccat.site.digest import StreamDigest, bytes_digest
from svccat.site.fingerprint import build_digest, catalogue_digest
from svccat.site.manifest import Entry, Manifest, intact, parse_manifest
from svccat.site.opendata import Made
from svccat.site.output import (
    Output,
    Placed,
    Previous,
    Streamed,
    Unchanged,
    check_output,
    staging,
)
from svccat.site.pages import Page, page_bytes
from svccat.site.plan import PlanError, SiteOptions, SitePlan, plan_site, search_index
from svccat.site.render import environment, render_encoded, render_page
from svccat.site.search import SearchDoc
from svccat.site.workers import Background, Job, Rendered, rendered

EXIT_BUILT, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2
DEFAULT_OUT = Path("build")

# How far the render workers may run ahead of the pages handed back, in the bytes of their
# pages (about 20,000 item pages). The files (open data) are made once the last page is
# with the workers: their backlog keeps the other core busy meanwhile. Made first, while
# the workers had not started, the files left it idle (at 100,000 items, 10 s).
AHEAD = 128 * 2**20

# A path prefix (/guides/) or an http(s) address; the site's links start with it.
_BASE_URL = re.compile(r"^(?:https?://[^\s/?#]+)?/[^\s?#]*$")


@dataclass(frozen=True, kw_only=True)
class BuildOptions:
    out: Path = DEFAULT_OUT
    base_url: str | None = None
    force: bool = False
    drafts: bool = False
    jobs: int | None = None  # processes loading and rendering; None: one per usable core


@dataclass(frozen=True, kw_only=True)
class BuildReport:
    built: bool
    errors: int  # lint errors in the catalogue (a build with errors needs --force)
    pages: int = 0
    files: int = 0
    items: int = 0
    written: int = 0  # files written afresh
    unchanged: int = 0  # files kept from the previous build, same bytes, not written again
    rendered: int = 0  # pages rendered (the others' views had not changed)
    up_to_date: bool = False  # nothing had changed since the previous build: nothing done


def normalise_base_url(value: str | None) -> str | None:
    """The base URL with one trailing slash, or a usage error."""
    if value is None or value == "":
        return None
    if not _BASE_URL.match(value):
        raise ConfigError(f"--base-url 应为以 / 开头的路径或 http(s) 网址，而不是“{value}”",
                          f"--base-url must be a path starting with / or an http(s) address, "
                          f"not '{value}'")
    return value if value.endswith("/") else value + "/"


def build_site(config: Config, options: BuildOptions, *, cache: Path | None = None,
               tick: Tick | None = None) -> BuildReport:
    """Build the site into options.out unless lint finds errors (and --force is not given).

    Incremental: what the previous build recorded (svccat.site.manifest) spares rendering
    pages whose views have not changed and writing files whose bytes have not; when nothing
    at all has changed, nothing is done. `cache` is the load cache folder (svccat.cache)."""
    base_url = normalise_base_url(options.base_url)
    check_output(options.out, keep=(config.catalogue, Path.cwd()))
    build = build_digest(config, base_url=base_url, drafts=options.drafts)
    with Previous(options.out) as previous:
        recorded = _recorded(previous)
        store = (LoadCache.for_catalogue(cache, config.catalogue,
                                         max_file_size=config.max_file_size)
                 if cache is not None else None)
        # The cache's salt also without a cache: the manifest records the same digest of
        # the same catalogue, however it was loaded.
        salt = store.salt if store is not None else cache_salt(config.max_file_size)
        files, problems = discover(config.catalogue)
        # A link out of the catalogue is no input a digest could stand for.
        digestible = not problems
        keyed = None
        if recorded is not None and recorded.whole and recorded.manifest.build == build \
                and digestible:
            # Only a site that may be up to date is worth reading every file for first; the
            # load takes the keys from here and does not read the files again to find them.
            keyed = key_files(files, salt, config.max_file_size)
            if recorded.manifest.inputs == catalogue_digest(
                    config.catalogue, files,
                    {k.source.file: k.key for k in keyed if k.key is not None}):
                return _up_to_date(recorded.manifest, force=options.force)
        with _cycles_uncollected():
            # One load serves both the lint gate and the site.
            loaded = load_files(files, problems, max_file_size=config.max_file_size,
                                cache=store, jobs=options.jobs, keyed=keyed, salt=salt)
            del store, keyed  # the entries are saved; keeping them would double the memory
            inputs = (catalogue_digest(config.catalogue, files, loaded.keys)
                      if digestible else None)
            del files
            # Planned before the lint gate, so that the search index is made on another
            # core while lint's rules run on this one (at 100,000 items, ten seconds with
            # the other core idle). What cannot be planned waits for lint's verdict: a
            # catalogue with errors is reported as such, as it always was.
            try:
                plan: SitePlan | PlanError = plan_site(loaded, SiteOptions(
                    drafts=options.drafts, base_url=base_url, lang=config.lang))
            except PlanError as e:
                plan = e
            outputs = None
            if isinstance(plan, SitePlan):
                jobs = options.jobs if options.jobs is not None else usable_cores()
                outputs = _Outputs(plan, lang=config.lang,
                                   known=recorded.kept if recorded is not None else {},
                                   same_build=recorded is not None
                                   and recorded.manifest.build == build,
                                   workers=jobs if plan.count >= workers.MIN_PARALLEL else 1,
                                   tick=tick)
            try:
                errors = lint(config, loaded=loaded).summary.errors
                if errors and not options.force:
                    return BuildReport(built=False, errors=errors)
                if isinstance(plan, PlanError):
                    raise plan
                assert outputs is not None
                del loaded
                count, items = plan.count, plan.items
                del plan  # the outputs hold what is left of it, and let it go as written
                manifest = Manifest(build=build, inputs=inputs, errors=errors, pages=count,
                                    items=items, files=outputs.record)
                try:
                    with staging(options.out) as site:
                        # Closed at once when the writing stops early: the workers, which
                        # write into the folder too, are stopped before it is removed.
                        with closing(outputs.each(site.folder)) as each:
                            written = site.write(each, previous=previous,
                                                 manifest=manifest.to_bytes)
                        site.swap()
                except OSError as e:
                    raise ConfigError(f"无法写入 {options.out}：{e.strerror or e}",
                                      f"cannot write {options.out}: {e.strerror or e}"
                                      ) from None
            finally:
                if outputs is not None:
                    outputs.stop()
    return BuildReport(built=True, errors=errors, pages=count,
                       files=written.written + written.unchanged, items=items,
                       written=written.written, unchanged=written.unchanged,
                       rendered=outputs.rendered)


@dataclass(frozen=True)
class _Recorded:
    manifest: Manifest
    kept: dict[str, Entry]  # the recorded files still as that build left them
    whole: bool  # and nothing else is there


def _recorded(previous: Previous) -> _Recorded | None:
    found = previous.read_manifest()
    if found is None:
        return None
    data, written = found
    manifest = parse_manifest(data)
    if manifest is None:
        return None
    kept, whole = intact(manifest, written, previous.listing())
    return _Recorded(manifest, kept, whole)


def _up_to_date(manifest: Manifest, *, force: bool) -> BuildReport:
    # The same inputs give the same lint result, which the manifest recorded.
    if manifest.errors and not force:
        return BuildReport(built=False, errors=manifest.errors)
    files = len(manifest.files)
    return BuildReport(built=True, errors=manifest.errors, pages=manifest.pages, files=files,
                       items=manifest.items, unchanged=files, up_to_date=True)


@contextmanager
def _cycles_uncollected() -> Iterator[None]:
    """No cycle collection while millions of long-lived, acyclic objects are made: the
    collector would walk them again and again (most of a large build's time). Rendering's
    short-lived cycles are collected after the model is frozen out of the collector's sight."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if collecting:
            gc.enable()
        else:
            gc.disable()


class _Page(NamedTuple):
    """A page on its way to the rendering workers and back."""

    path: str
    source: str | None  # its view's digest
    encoded: bytes | None  # what it is rendered from (page_bytes); None: it cannot be encoded
    page: Page | None  # kept when it is rendered here: no workers, or it cannot be encoded
    unchanged: bool  # its view is the one the previous build rendered


class _Outputs:
    """The files of the site, each made, or kept from the previous build where it may be;
    `record` collects the manifest's entries as they go."""

    def __init__(self, plan: SitePlan, *, lang: str, known: Mapping[str, Entry],
                 same_build: bool, workers: int, tick: Tick | None) -> None:
        # Taken apart, not kept: each file's maker goes once it is written (open data holds
        # the documents' data), and the pages are made one at a time.
        self.files = dict(plan.files)
        self.pages = plan.each_page()
        self.search_docs: Sequence[SearchDoc] = plan.search_docs
        self.total = plan.count + len(plan.files)
        self.lang = lang
        self.env = environment(lang)
        self.known = known
        # A view digest says what a page was rendered from only under the same templates,
        # code and settings; byte digests are facts about files and hold across builds.
        self.same_build = same_build
        self.workers = workers
        self.tick = tick
        self.record: dict[str, Entry] = {}
        self.rendered = 0
        # The search index is made on a process of its own from now on, while this one
        # runs lint's rules, makes the pages and writes the open data: made here, it ran
        # with the other core idle. Its files come last, when their names are known.
        self.search = Background(search_index, self.search_docs) if workers > 1 else None

    def stop(self) -> None:
        """Stop the search index's process, if it still runs: the site is not being made
        (lint found errors, or the build failed), or it is made already."""
        if self.search is not None:
            self.search.cancel()

    def each(self, folder: Path) -> Generator[tuple[str, Output], None, None]:
        """Each file's path and output; the render workers write pages into `folder`, the
        new site's, themselves."""
        for done, (path, output) in enumerate(self._each(self.search, folder), start=1):
            yield path, output
            if self.tick:  # the total grows by the search index's files, once known
                self.tick(done, self.total)

    def _each(self, search: Background[dict[str, bytes]] | None, folder: Path
              ) -> Generator[tuple[str, Output], None, None]:
        # The model is built and stays to the end: the collector need not walk it again.
        gc.freeze()
        gc.enable()
        submitted = False

        def work() -> Iterator[tuple[_Page, Job | None]]:
            nonlocal submitted
            for page in self._prepared():
                yield page, self._job(page)
            submitted = True

        if self.workers > 1:
            pages: Iterator[tuple[_Page, Rendered | None]] = rendered(
                self.lang, folder, work(), workers=self.workers, ahead=AHEAD)
        else:  # rendered here, from the page itself: decoding it would only cost time
            pages = ((page, None) for page, _ in work())
        for page, made in pages:
            if submitted and self.files:  # the last page is with the workers: the files now
                yield from self._files()
            yield page.path, self._page(page, made)
        yield from self._files()
        index = search.result() if search is not None else search_index(self.search_docs)
        self.search_docs = ()  # held for a process that died; not needed any more
        self.total += len(index)
        for path in sorted(index):
            if path in self.record:
                raise PlanError(f"two outputs would be written to {path}")
            yield path, self._file(path, index.pop(path))

    def _files(self) -> Iterator[tuple[str, Output]]:
        """The files (open data, static files) not yet made, each made and let go."""
        for path in sorted(self.files):
            yield path, self._file(path, self.files.pop(path)())

    def _prepared(self) -> Iterator[_Page]:
        """Each page with its digest, and whether it needs rendering at all."""
        for page in self.pages:
            path = page.meta.path
            encoded = page_bytes(page)
            source = None if encoded is None else bytes_digest(encoded)
            old = self.known.get(path)
            unchanged = (self.same_build and old is not None and source is not None
                         and old.source == source)
            # The view is kept only where this process may render it: the workers get bytes.
            kept = page if encoded is None or self.workers <= 1 else None
            yield _Page(path, source, encoded, kept, unchanged)

    def _job(self, page: _Page) -> Job | None:
        """What a render worker needs of a page; None when it is not rendered there."""
        if page.unchanged or page.encoded is None:
            return None
        old = self.known.get(page.path)
        return Job(page.path, page.encoded, None if old is None else (old.digest, old.size))

    def _page(self, page: _Page, made: Rendered | None) -> Output:
        if page.unchanged:
            self.record[page.path] = self.known[page.path]
            return Unchanged(self._again(page))
        self.rendered += 1
        if made is None:
            assert page.page is not None
            return self._file(page.path, render_page(self.env, page.page), page.source)
        if made.html is not None:  # handed back: the lock stayed held, or a worker died
            return self._file(page.path, made.html, page.source, made.digest)
        self.record[page.path] = Entry(page.source, made.digest, made.size)
        return Unchanged(self._again(page)) if made.same else Placed()

    def _again(self, page: _Page) -> Callable[[], bytes]:
        """A page rendered again, here, for a previous file that cannot be linked after all."""
        if page.page is not None:
            return partial(render_page, self.env, page.page)
        assert page.encoded is not None
        return partial(render_encoded, self.env, page.encoded)

    def _file(self, path: str, made: Made, source: str | None = None,
              digest: str | None = None) -> Output:
        """A file's output; `digest`: its bytes' digest, when the worker that rendered them
        made it already."""
        if not isinstance(made, bytes):
            return self._streamed(path, made)
        entry = Entry(source, digest or bytes_digest(made), len(made))
        self.record[path] = entry
        old = self.known.get(path)
        if old is not None and old.digest == entry.digest and old.size == entry.size:
            return Unchanged(lambda: made)
        return made

    def _streamed(self, path: str, pieces: Iterator[bytes]) -> Streamed:
        digest = StreamDigest()

        def each() -> Iterator[bytes]:
            for piece in pieces:
                digest.update(piece)
                yield piece
            self.record[path] = Entry(None, digest.hexdigest(), digest.size)

        def unchanged() -> bool:
            old = self.known.get(path)
            return old is not None and old.digest == digest.hexdigest() \
                and old.size == digest.size

        return Streamed(each(), unchanged)


def run(config: Config, options: BuildOptions, *, stream: TextIO, out: TextIO,
        cache: Path | None = None) -> int:
    """The build as a command: progress on a terminal, one line of outcome, the exit code."""
    en = config.lang == "en"
    with progress_bar(stream, "building" if en else "生成网站") as tick:
        report = build_site(config, options, cache=cache, tick=tick)
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
    out.write(_outcome(report, options.out, en=en))
    return EXIT_BUILT


def _outcome(report: BuildReport, out: Path, *, en: bool) -> str:
    if report.up_to_date:
        return (f"svccat: {out} is up to date: nothing changed since the last build "
                f"({report.pages} pages, {report.items} items, {report.files} files)\n" if en else
                f"svccat: 网站 {out} 已是最新：自上次生成以来没有变化（{report.pages} 个页面，"
                f"{report.items} 个事项，共 {report.files} 个文件）\n")
    return (f"svccat: built {out}: {report.pages} pages, {report.items} items, "
            f"{report.files} files ({report.written} written, {report.unchanged} unchanged; "
            f"{report.rendered} pages rendered)\n" if en else
            f"svccat: 已生成网站 {out}：{report.pages} 个页面，{report.items} 个事项，"
            f"共 {report.files} 个文件（写入 {report.written} 个，未变 {report.unchanged} 个；"
            f"渲染 {report.rendered} 个页面）\n")
