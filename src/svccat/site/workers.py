"""Render pages on worker processes and write them into the new site, handing back each
page's digest in the order the pages came.

The main process makes each page's view and encodes it anyway (its digest, for incremental
builds; svccat.site.data); the workers get those bytes in batches, decode and render them with
their own Jinja environment, and write the HTML into the site's temporary folder
(svccat.site.output), one worker at a time, a batch at a time. They never see the model, so
they stay small.
A worker that dies (killed for memory, say) costs time, not the build: what its batch wrote
is removed and the main process renders what it had been given. The order of the results,
and so the site, does not depend on how many workers there were.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from multiprocessing.synchronize import Lock
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from jinja2 import Environment

from svccat.site.digest import bytes_digest
from svccat.site.paths import Folders, inside
from svccat.site.render import environment, render_encoded

BATCH = 32  # pages per task: a round trip is amortised, and the work still shared out
# Below this many pages a site is rendered here: starting workers would cost more.
MIN_PARALLEL = 1000
# A new process, not a fork: the main process goes on touching the model's objects (their
# reference counts) while it makes views, and every page of memory it touched would be
# copied for as long as a forked worker still shared it.
START_METHOD = "spawn"

Key = TypeVar("Key")
Value = TypeVar("Value")

_env: Environment | None = None  # a worker's own environment, made once
# Held by a worker while it creates its batch's files. Two processes creating files in one
# folder (items/ holds most pages) contend in the kernel for the folder: measured here, they
# took twice the system time of one process creating them all, and no less time. A worker
# waited for it at every page once, which idled its core (pages at 100,000 items in 61.3 s);
# then it handed a page back to the main process when the lock was held (52.2 s), a third of
# the pages, which the main process, the busiest, had to write. Taken once a batch, the lock
# is seldom busy: writing 32 pages takes a small part of the time rendering them does, so a
# worker seldom waits, and then briefly.
_writing: Lock | None = None  # None: this process writes alone
# A worker held up this long hands its pages back instead, for the main process to write:
# the lock's holder is stuck, or died holding it (its pool breaks, and it is stopped).
_WAIT = 10.0


def _start_worker(lang: str, writing: Lock) -> None:
    global _env, _writing
    _env = environment(lang)
    _writing = writing
    _ignore_interrupt()


def _ignore_interrupt() -> None:
    # Ctrl+C reaches the whole process group: the main process stops the pool; a worker
    # would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Background(Generic[Value]):
    """One call made on a process of its own while this one goes on (the search index,
    while lint's rules run and the pages and the open data are made). `result()` gives its
    value, or raises what it raised; made here instead when no process could be started or
    it died. `close()` waits for it to stop, `cancel()` stops it at once."""

    def __init__(self, call: Callable[..., Value], *args: Any) -> None:
        self._call, self._args = call, args
        self._pool: ProcessPoolExecutor | None = None
        self._task: Future[Value] | None = None
        try:
            self._pool = ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context(START_METHOD),
                initializer=_ignore_interrupt)
            self._task = self._pool.submit(call, *args)
        except (BrokenProcessPool, OSError):
            self.close()

    def result(self) -> Value:
        try:
            if self._task is not None:
                return self._task.result()
        except BrokenProcessPool:  # the process died: made here
            pass
        finally:
            self.close()
        return self._call(*self._args)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def cancel(self) -> None:
        """Stop it without waiting for the call to finish (the value is not wanted)."""
        if self._pool is not None:
            # The executor has no public way to stop a running call before Python 3.14
            # (terminate_workers); its processes are where every version keeps them.
            for process in list(getattr(self._pool, "_processes", {}).values()):
                with suppress(OSError, ValueError):
                    process.terminate()
        self.close()


class Job(NamedTuple):
    """A page to render, and where to write it."""

    path: str  # in the site
    encoded: bytes  # what it is rendered from (svccat.site.pages.page_bytes)
    previous: tuple[str, int] | None  # the digest and size of the previous site's file there


class Rendered(NamedTuple):
    """A page rendered: its bytes' digest and size, and where the bytes are."""

    digest: str
    size: int
    html: bytes | None  # None: in the folder, or the previous site's very bytes
    same: bool  # the previous site has these very bytes at the page's path: not written


def _render(env: Environment, job: Job) -> Rendered:
    """Render a page; its bytes, unless the previous site has them already."""
    html = render_encoded(env, job.encoded)
    digest, size = bytes_digest(html), len(html)
    if job.previous == (digest, size):
        return Rendered(digest, size, None, True)
    return Rendered(digest, size, html, False)


def _write(folders: Folders, jobs: list[Job], made: list[Rendered]) -> list[Rendered]:
    """Write the pages rendered into the new site (`folders`), all under the lock on file
    creation; what is written is no longer handed back."""
    if all(page.html is None for page in made):
        return made
    if _writing is not None and not _writing.acquire(timeout=_WAIT):
        return made
    try:
        for job, page in zip(jobs, made, strict=True):
            if page.html is not None:
                with open(folders.target(job.path), "xb") as handle:  # "x": twice is a bug
                    handle.write(page.html)
    finally:
        if _writing is not None:
            _writing.release()
    return [page._replace(html=None) for page in made]


_folders: Folders | None = None  # a worker's own, for the build it renders pages of


def _render_batch(folder: Path, jobs: list[Job]) -> list[Rendered]:
    global _folders
    assert _env is not None
    if _folders is None or _folders.building != folder:
        _folders = Folders(folder)
    return _write(_folders, jobs, [_render(_env, job) for job in jobs])


def rendered(lang: str, folder: Path, work: Iterable[tuple[Key, Job | None]], *, workers: int,
             ahead: int = 0) -> Iterator[tuple[Key, Rendered | None]]:
    """For each (key, job), the key and the page rendered, in the order given; a key without
    a job passes through with None. Pages are rendered on `workers` processes, which write
    them into `folder` (the new site) themselves, while the caller makes the next ones
    (svccat.site.build renders a site too small for workers itself). What a worker that died
    did not hand back is rendered here, its bytes handed back, not written.

    Jobs are taken from `work` while the workers have fewer than two batches each to go, or
    their pages' bytes come to at most `ahead`: a caller that has other work for when the
    jobs run out (svccat.site.build's open data) lets the workers run that far ahead."""
    env = environment(lang)  # for what a worker that died did not render
    context = multiprocessing.get_context(START_METHOD)
    writing = context.Lock()
    pool: ProcessPoolExecutor | None = None
    broken = False
    # Batches in order, each with its task and its pages' bytes; a bounded number ahead of
    # what was handed back.
    waiting: deque[tuple[list[tuple[Key, Job | None]], Future[list[Rendered]] | None, int]] = \
        deque()
    queued = 0  # the bytes of the pages waiting

    def submit(batch: list[tuple[Key, Job | None]]) -> None:
        nonlocal pool, broken, queued
        jobs = [job for _, job in batch if job is not None]
        size = sum(len(job.encoded) for job in jobs)
        queued += size
        task = None
        if jobs and not broken:
            if pool is None:
                pool = ProcessPoolExecutor(workers, mp_context=context,
                                           initializer=_start_worker, initargs=(lang, writing))
            try:
                task = pool.submit(_render_batch, folder, jobs)
            # A worker died before its batch was handed back, or no process can be started
            # (a limit on processes): this process renders the rest.
            except (BrokenProcessPool, OSError):
                broken = True
        waiting.append((batch, task, size))

    def hand_back() -> Iterator[tuple[Key, Rendered | None]]:
        nonlocal broken, queued
        batch, task, size = waiting.popleft()
        queued -= size
        pages: list[Rendered] | None = None
        if task is not None and not broken:
            try:
                pages = task.result()
            except BrokenProcessPool:  # a worker died: this process renders the rest
                broken = True
        if pages is None:
            pages = [_render(env, job) for _, job in batch if job is not None]
            if task is not None:
                _unwrite(pool, folder, batch)
        made = iter(pages)
        for key, job in batch:
            yield key, None if job is None else next(made)

    try:
        batch: list[tuple[Key, Job | None]] = []
        count = 0  # pages to render in the batch
        for key, job in work:
            batch.append((key, job))
            count += job is not None
            # Pages that need no rendering do not hold a batch back for long either.
            if count >= BATCH or len(batch) >= 4 * BATCH:
                submit(batch)
                batch, count = [], 0
                while waiting and ((len(waiting) > 2 * workers and queued > ahead)
                                   or _done(waiting[0][1])):
                    yield from hand_back()
        if batch:
            submit(batch)
        while waiting:
            yield from hand_back()
    finally:
        if pool is not None:
            # Also when the consumer stops early (an error, Ctrl+C): queued batches are
            # dropped, the running ones are short. The caller removes the folder after.
            pool.shutdown(wait=True, cancel_futures=True)


def _unwrite(pool: ProcessPoolExecutor | None, folder: Path,
             batch: list[tuple[Key, Job | None]]) -> None:
    """Remove what a batch's worker wrote before it died: its pages are handed back here,
    and written by the caller."""
    if pool is not None:
        # Every worker stopped first: the broken pool's others are being killed, and one
        # of them must not be caught writing.
        pool.shutdown(wait=True, cancel_futures=True)
    for _, job in batch:
        if job is not None:
            with suppress(FileNotFoundError):
                os.unlink(inside(folder, job.path))


def _done(task: Future[list[Rendered]] | None) -> bool:
    return task is None or task.done()
