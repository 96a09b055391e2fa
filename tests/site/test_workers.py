"""Pages rendered on worker processes: the same site, byte for byte, whatever the number of
workers, also when one dies and when the build is incremental."""

from __future__ import annotations

import errno
import multiprocessing
import os
import shutil
import threading
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from svccat import parallel
from svccat.config import ConfigError
from svccat.resources import templates_dir
from svccat.site import build as build_module
from svccat.site import fingerprint, plan, render, workers
from svccat.site.digest import bytes_digest
from svccat.site.pages import Page, PageMeta, page_bytes
from svccat.site.plan import PlanError
from svccat.site.render import environment, render_page
from tests.conftest import dies_in_workers, run_svccat
from tests.site.conftest import build
from tests.site.test_build import BAD_ITEM, fail_on_call, leftovers
from tests.site.test_incremental import CHANGED_ITEM, CHANGED_PAGE, files, identities


class Pools:
    """Counts the worker pools a build starts."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started = 0
        real = workers.ProcessPoolExecutor

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.started += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(workers, "ProcessPoolExecutor", counted)


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> Pools:
    """Workers even for the small catalogue, with batches small enough to share out."""
    monkeypatch.setattr(workers, "MIN_PARALLEL", 1)
    monkeypatch.setattr(workers, "BATCH", 3)
    return Pools(monkeypatch)


def test_workers_build_the_site_one_process_builds(project: Path, tmp_path: Path,
                                                   pools: Pools) -> None:
    alone = build(project, tmp_path / "alone", jobs=1)
    assert pools.started == 0
    shared = build(project, tmp_path / "shared", jobs=2)
    assert pools.started == 2  # the pages' workers and the search index's process
    assert (shared.pages, shared.rendered, shared.files) == (alone.pages, alone.rendered,
                                                             alone.files)
    # The manifest too: how many processes rendered the site is not part of the build.
    assert files(tmp_path / "shared") == files(tmp_path / "alone")


def test_a_worker_that_dies_costs_time_not_the_build(project: Path, tmp_path: Path,
                                                     pools: Pools,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed (say, for memory) must not leave the build waiting or half done: the
    main process renders what the workers did not."""
    alone = build(project, tmp_path / "alone", jobs=1)
    # Forked, so that the workers run the patched function.
    monkeypatch.setattr(workers, "START_METHOD", "fork")
    monkeypatch.setattr(workers, "render_encoded", dies_in_workers(workers.render_encoded))
    report = build(project, tmp_path / "shared", jobs=2)
    assert pools.started == 2
    assert report.built and report.rendered == alone.rendered
    assert files(tmp_path / "shared") == files(tmp_path / "alone")


def test_an_incremental_build_with_workers_renders_only_what_changed(
        project: Path, tmp_path: Path, pools: Pools) -> None:
    out = project / "site"
    first = build(project, out, jobs=2)
    before, made = files(out), identities(out)
    item = project / CHANGED_ITEM
    item.write_text(item.read_text("utf-8").replace("days: 30", "days: 20"), encoding="utf-8")
    report = build(project, out, jobs=2)
    after, now = files(out), identities(out)
    assert after[CHANGED_PAGE] != before[CHANGED_PAGE]
    assert 1 <= report.rendered < first.pages / 2
    assert now["index.html"] == made["index.html"]  # not rendered, not written: linked
    assert after == files(_cold(project, tmp_path))


def _cold(project: Path, tmp_path: Path) -> Path:
    out = tmp_path / "cold"
    assert build(project, out, jobs=1).built
    return out


def test_a_small_site_starts_no_worker(project: Path, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    pools = Pools(monkeypatch)
    assert build(project, tmp_path / "site", jobs=2).built
    assert pools.started == 0


def test_one_job_is_one_process(project: Path, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """--jobs 1 also loads the catalogue without workers, as lint --jobs 1 does."""
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    monkeypatch.setattr(parallel, "_pool", lambda jobs: pytest.fail("started loading workers"))
    pools = Pools(monkeypatch)
    assert build(project, tmp_path / "site", jobs=1).built
    assert pools.started == 0


def test_jobs_on_the_command_line(project: Path) -> None:
    done = run_svccat("build", "--out", "site", "--jobs", "2", "--lang", "en", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "built site:" in done.stdout
    refused = run_svccat("build", "--out", "site", "--jobs", "0", cwd=project)
    assert refused.returncode == 2


def test_a_pool_refusing_work_costs_time_not_pages(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool that broke (a worker died) or cannot start a process refuses new batches:
    this process renders them and hands their bytes back, writing nothing itself; a page
    whose bytes the previous site has is not handed back but said to be the same."""

    class Refusing:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def submit(self, *args: Any) -> Any:
            raise BrokenProcessPool("a child process terminated abruptly")

        def shutdown(self, **kwargs: Any) -> None:
            pass

    monkeypatch.setattr(workers, "ProcessPoolExecutor", Refusing)
    monkeypatch.setattr(workers, "BATCH", 2)
    pages = [Page(PageMeta(path=f"{n}/404.html", root="/", title=f"第{n}页"), "404.html", None)
             for n in range(5)]
    env = environment("zh")
    html = [render_page(env, page) for page in pages]
    previous = (bytes_digest(html[3]), len(html[3]))
    work = [(n, workers.Job(page.meta.path, page_bytes(page), previous if n == 3 else None))
            for n, page in enumerate(pages)] + [(5, None)]
    made = list(workers.rendered("zh", tmp_path, work, workers=2))  # type: ignore[arg-type]
    assert made == [
        *((n, workers.Rendered(bytes_digest(page), len(page), None if n == 3 else page, n == 3))
          for n, page in enumerate(html)),
        (5, None)]
    assert list(tmp_path.iterdir()) == []


def _dies_on_second_page(function: Any) -> Any:
    """`function` here; in a forked worker, the process is killed on its second call: the
    first page of its batch is written, the rest are not."""
    parent, calls = os.getpid(), 0

    def dying(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if os.getpid() != parent and calls == 2:
            os._exit(9)
        return function(*args, **kwargs)

    return dying


def test_a_worker_that_dies_after_writing_pages_leaves_each_page_once(
        project: Path, tmp_path: Path, pools: Pools, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the workers wrote before one died is removed, and the batches they did not hand
    back are rendered and written here: no page written twice, none missing."""
    alone = build(project, tmp_path / "alone", jobs=1)
    monkeypatch.setattr(workers, "START_METHOD", "fork")
    monkeypatch.setattr(workers, "render_encoded", _dies_on_second_page(workers.render_encoded))
    report = build(project, tmp_path / "shared", jobs=2)
    assert report.built and report.rendered == alone.rendered
    assert files(tmp_path / "shared") == files(tmp_path / "alone")


def _slow(function: Any) -> Any:
    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(0.05)
        return function(*args, **kwargs)

    return slow


def test_a_build_that_fails_while_workers_write_leaves_the_previous_site(
        project: Path, pools: Pools, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers write pages into the temporary folder while the main process makes the
    next ones: when the main process fails, they are stopped before the folder is removed,
    so nothing of the failed build is left behind."""
    out = project / "site"
    build(project, out, jobs=2)
    before = files(out)
    (project / CHANGED_ITEM).unlink()
    # Slow workers, forked to be so: they are still writing when the main process fails.
    monkeypatch.setattr(workers, "START_METHOD", "fork")
    monkeypatch.setattr(workers, "render_encoded", _slow(workers.render_encoded))
    monkeypatch.setattr(build_module, "page_bytes",
                        fail_on_call(20, RuntimeError("boom"), build_module.page_bytes))
    with pytest.raises(RuntimeError, match="boom"):
        build(project, out, jobs=2)
    time.sleep(1)  # time for a worker left running to write, and make the folder again
    assert files(out) == before
    assert leftovers(project) == []


def test_a_full_disk_in_a_worker_is_a_write_error_and_leaves_the_previous_site(
        project: Path, pools: Pools, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that cannot write its page (the disk is full) fails the build as the main
    process would: one message saying why, the previous site kept, nothing left behind."""
    out = project / "site"
    build(project, out, jobs=2)
    before = files(out)
    (project / CHANGED_ITEM).unlink()
    real_open = open

    def full_disk(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if "x" in mode:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(workers, "START_METHOD", "fork")
    monkeypatch.setattr(workers, "open", full_disk, raising=False)
    with pytest.raises(ConfigError) as refused:
        build(project, out, jobs=2, lang="en")
    assert str(refused.value) == f"cannot write {out}: No space left on device"
    assert files(out) == before
    assert leftovers(project) == []


def test_pages_whose_bytes_did_not_change_keep_their_files(
        project: Path, tmp_path: Path, pools: Pools, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template edited without changing what it makes: every page is rendered again, by
    the workers, and each keeps its file (inode and time), linked from the previous site."""
    out = project / "site"
    first = build(project, out, jobs=2)
    made = identities(out)
    templates = tmp_path / "templates"
    shutil.copytree(templates_dir(), templates)
    base = templates / "base.html"
    base.write_text(base.read_text("utf-8") + "{# edited #}", encoding="utf-8")
    for module in (fingerprint, render, plan):
        monkeypatch.setattr(module, "templates_dir", lambda: templates)
    monkeypatch.setattr(workers, "START_METHOD", "fork")  # the workers read the copy too
    report = build(project, out, jobs=2)
    assert report.rendered == first.pages and report.written == 0
    assert identities(out) == made


def _twice(value: int) -> int:
    if value < 0:
        raise ValueError(f"negative: {value}")
    return 2 * value


def test_a_background_call_gives_its_value_or_its_error() -> None:
    assert workers.Background(_twice, 21).result() == 42
    with pytest.raises(ValueError, match="negative: -1"):
        workers.Background(_twice, -1).result()


_PARENT = os.getpid()


def _twice_here(value: int) -> int:
    """_twice in this process; a forked child is killed on the spot, as for memory."""
    if os.getpid() != _PARENT:
        os._exit(9)
    return _twice(value)


def test_a_background_process_that_dies_is_made_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "START_METHOD", "fork")  # the child knows the parent's id
    assert workers.Background(_twice_here, 5).result() == 10


def test_a_background_that_cannot_start_is_made_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_process(*args: Any, **kwargs: Any) -> Any:
        raise OSError("no more processes")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", no_process)
    assert workers.Background(_twice, 4).result() == 8


def test_the_search_index_is_written_after_the_pages_whole(project: Path, tmp_path: Path,
                                                           pools: Pools) -> None:
    """Made on its own process, the index is the one a single process makes, and a site
    written with it is complete (the index files are named only once made)."""
    alone = build(project, tmp_path / "alone", jobs=1)
    shared = build(project, tmp_path / "shared", jobs=2)
    index = {path: data for path, data in files(tmp_path / "shared").items()
             if path.startswith("search/")}
    assert len(index) > 2 and shared.files == alone.files
    assert index == {path: data for path, data in files(tmp_path / "alone").items()
                     if path.startswith("search/")}


def _sleep_then_twice(value: int) -> int:
    time.sleep(60)
    return 2 * value


def test_a_cancelled_background_call_stops_at_once() -> None:
    started = time.monotonic()
    call = workers.Background(_sleep_then_twice, 1)
    call.cancel()
    assert time.monotonic() - started < 20
    assert multiprocessing.active_children() == []


def test_lint_errors_stop_the_search_index_started_before_them(
        project: Path, tmp_path: Path, pools: Pools, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search index starts on its own process while lint's rules run; a catalogue with
    errors is refused at once, the process stopped, not waited for."""
    (project / "catalogue/items/370784/370784-bad.yaml").write_text(BAD_ITEM, encoding="utf-8")
    monkeypatch.setattr(build_module, "search_index", _sleep_then_twice)
    started = time.monotonic()
    report = build(project, tmp_path / "site", jobs=2)
    assert (report.built, report.errors) == (False, 1)
    assert time.monotonic() - started < 20
    assert pools.started == 1  # the search index's process, and no render workers
    assert multiprocessing.active_children() == []
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("errors", [True, False])
def test_what_cannot_be_planned_waits_for_lint(project: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               errors: bool) -> None:
    """Planning comes before the lint gate now; a catalogue with errors is still reported
    as such (not as a planning failure), and without errors the planning failure stands."""
    if errors:
        (project / "catalogue/items/370784/370784-bad.yaml").write_text(BAD_ITEM, "utf-8")
    monkeypatch.setattr(build_module, "plan_site",
                        fail_on_call(1, PlanError("two outputs would be written to x.html"),
                                     build_module.plan_site))
    if errors:
        report = build(project, tmp_path / "site")
        assert (report.built, report.errors) == (False, 1)
    else:
        with pytest.raises(PlanError, match=r"x\.html"):
            build(project, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def _batch() -> tuple[list[workers.Job], list[workers.Rendered], bytes]:
    env = environment("zh")
    page = Page(PageMeta(path="a/404.html", root="/", title="第一页"), "404.html", None)
    html = render_page(env, page)
    jobs = [workers.Job(page.meta.path, page_bytes(page), None)]  # type: ignore[arg-type]
    return jobs, [workers._render(env, job) for job in jobs], html


def test_a_worker_writes_its_batch_once_the_lock_is_free(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """A worker writes its batch's pages all under the lock on file creation: while another
    worker holds it, it waits and writes nothing; then it writes them, and hands back no
    bytes."""
    lock = multiprocessing.get_context(workers.START_METHOD).Lock()
    monkeypatch.setattr(workers, "_writing", lock)
    jobs, made, html = _batch()
    assert made == [workers.Rendered(bytes_digest(html), len(html), html, False)]
    written: list[list[workers.Rendered]] = []
    # In a thread, so that a worker that never writes fails the test, not hangs it.
    writing = threading.Thread(
        target=lambda: written.append(workers._write(workers.Folders(tmp_path), jobs, made)),
        daemon=True)
    with lock:
        writing.start()
        writing.join(0.3)
        assert writing.is_alive() and not (tmp_path / "a/404.html").exists()
    writing.join(10)
    assert written == [[workers.Rendered(bytes_digest(html), len(html), None, False)]]
    assert (tmp_path / "a/404.html").read_bytes() == html
    assert lock.acquire(block=False)  # released after writing
    lock.release()


def test_a_worker_held_up_too_long_hands_its_batch_back(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    """A lock that stays held (its holder stuck, or dead) does not hold up the build: the
    worker hands the pages' bytes back, for the main process to write."""
    lock = multiprocessing.get_context(workers.START_METHOD).Lock()
    monkeypatch.setattr(workers, "_writing", lock)
    monkeypatch.setattr(workers, "_WAIT", 0.05)
    jobs, made, _ = _batch()
    with lock:
        assert workers._write(workers.Folders(tmp_path), jobs, made) == made
    assert not (tmp_path / "a/404.html").exists()


_slept = False  # in a worker: its first page was slow


def _slow_page(env: Any, encoded: bytes) -> bytes:
    """A page's HTML in a worker; its first after half a second, long after every job was
    handed out (or as many as were asked for)."""
    global _slept
    if not _slept:
        time.sleep(0.5)
        _slept = True
    return b"<p>"


@pytest.mark.parametrize(("ahead", "taken"), [(0, 5), (2**20, 20)])
def test_the_workers_run_as_far_ahead_as_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               ahead: int, taken: int) -> None:
    """Jobs are taken while the workers have at most two batches each to go, or, given
    `ahead`, while their pages' bytes come to at most that: build makes the files once the
    last page is taken, while the workers render their backlog."""
    monkeypatch.setattr(workers, "START_METHOD", "fork")  # the workers run the patched render
    monkeypatch.setattr(workers, "render_encoded", _slow_page)
    monkeypatch.setattr(workers, "BATCH", 1)
    encoded = page_bytes(Page(PageMeta(path="x.html", root="/", title="页"), "404.html", None))
    assert encoded is not None
    given = 0

    def work() -> Any:
        nonlocal given
        for n in range(20):
            given += 1
            yield n, workers.Job(f"p/{n}.html", encoded, None)

    pages = workers.rendered("zh", tmp_path, work(), workers=2, ahead=ahead)
    first = next(pages)
    assert given == taken
    assert [key for key, _ in (first, *pages)] == list(range(20))
    assert {(tmp_path / f"p/{n}.html").read_bytes() for n in range(20)} == {b"<p>"}


def test_pages_handed_back_make_the_same_site(project: Path, tmp_path: Path, pools: Pools,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Every page handed back (the lock always held, as if another worker were stuck):
    the main process writes them all, and the site is the one a single process builds."""
    alone = build(project, tmp_path / "alone", jobs=1)
    real = workers._start_worker

    def locked_out(lang: str, writing: Any) -> None:
        real(lang, _HeldLock())  # type: ignore[arg-type]

    # Forked, so that the workers start with the patched function.
    monkeypatch.setattr(workers, "START_METHOD", "fork")
    monkeypatch.setattr(workers, "_start_worker", locked_out)
    shared = build(project, tmp_path / "shared", jobs=2)
    assert (shared.pages, shared.rendered, shared.files) == (alone.pages, alone.rendered,
                                                             alone.files)
    assert files(tmp_path / "shared") == files(tmp_path / "alone")


class _HeldLock:
    """A lock on file creation always held by another worker."""

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool:
        return False

    def release(self) -> None:
        raise AssertionError("released a lock never acquired")
