"""Pages made on forked worker processes: the same site, byte for byte, whatever the number of
workers, also when one dies, when the pool refuses work and when the build is incremental;
spawned workers where a fork is not safe."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from svccat.site import forked, workers
from svccat.site.pages import Page, PageMeta
from svccat.site.render import environment, render_page
from tests.conftest import dies_in_workers
from tests.site.conftest import build
from tests.site.test_incremental import CHANGED_ITEM, CHANGED_PAGE, files, identities
from tests.site.test_workers import Pools


@pytest.fixture
def pools(monkeypatch: pytest.MonkeyPatch) -> Pools:
    """Workers even for the small catalogue, with batches small enough to share out and few
    enough handed out at once that handing out more is exercised too."""
    monkeypatch.setattr(workers, "MIN_PARALLEL", 1)
    monkeypatch.setattr(forked, "BATCH", 3)
    monkeypatch.setattr(forked, "AHEAD", 2)
    return Pools(monkeypatch)


def test_forked_workers_build_the_site_one_process_builds(project: Path, tmp_path: Path,
                                                          pools: Pools) -> None:
    alone = build(project, tmp_path / "alone", jobs=1)
    assert pools.started == 0
    shared = build(project, tmp_path / "shared", jobs=2)
    assert pools.started == 1
    assert (shared.pages, shared.rendered, shared.files) == (alone.pages, alone.rendered,
                                                             alone.files)
    # The manifest too: how many processes made the site is not part of the build.
    assert files(tmp_path / "shared") == files(tmp_path / "alone")


def test_a_forked_worker_that_dies_costs_time_not_the_build(
        project: Path, tmp_path: Path, pools: Pools, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = build(project, tmp_path / "alone", jobs=1)
    monkeypatch.setattr(forked, "render_page", dies_in_workers(forked.render_page))
    report = build(project, tmp_path / "shared", jobs=2)
    assert pools.started == 1
    assert report.built and report.rendered == alone.rendered
    assert files(tmp_path / "shared") == files(tmp_path / "alone")


def test_an_incremental_build_with_forked_workers_renders_only_what_changed(
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
    cold = tmp_path / "cold"
    assert build(project, cold, jobs=1).built
    assert after == files(cold)


def test_another_thread_means_spawned_workers(project: Path, tmp_path: Path, pools: Pools,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A fork copies a lock another thread holds, held for ever in the child."""
    forks = 0
    real = forked.Forked

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal forks
        forks += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(forked, "Forked", counted)
    assert build(project, tmp_path / "alone", jobs=1).built
    stop = threading.Event()
    waiting = threading.Thread(target=stop.wait)
    waiting.start()
    try:
        assert build(project, tmp_path / "shared", jobs=2).built
    finally:
        stop.set()
        waiting.join()
    assert (forks, pools.started) == (0, 1)
    assert files(tmp_path / "shared") == files(tmp_path / "alone")
    assert build(project, tmp_path / "forked", jobs=2).built
    assert (forks, pools.started) == (1, 2)


class _Refusing:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def submit(self, *args: Any) -> Any:
        raise BrokenProcessPool("a child process terminated abruptly")

    def shutdown(self, **kwargs: Any) -> None:
        pass


def _pages(count: int) -> list[Page]:
    return [Page(PageMeta(path=f"{n}/404.html", root="/", title=f"第{n}页"), "404.html", None)
            for n in range(count)]


def _batches(shared: forked.Forked) -> Iterator[tuple[int, list[forked.MadePage]]]:
    while (batch := shared.next_batch()) is not None:
        yield batch


def test_a_pool_refusing_work_costs_time_not_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool that broke (a worker died) or cannot start a process refuses new batches:
    this process makes them."""
    monkeypatch.setattr(forked, "ProcessPoolExecutor", _Refusing)
    monkeypatch.setattr(forked, "BATCH", 2)
    env = environment("zh")
    pages = _pages(5)
    job = forked.Job([lambda page=page: page for page in pages], env, {}, same_build=False)
    with forked.Forked(job, workers=2) as shared:
        made = list(_batches(shared))
    assert [start for start, _ in made] == [0, 2, 4]
    assert [(page.path, page.html) for _, batch in made for page in batch] == [
        (page.meta.path, render_page(env, page)) for page in pages]
