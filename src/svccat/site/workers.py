"""Render pages on worker processes, handing the bytes back in the order the pages came.

The main process makes each page's view and pickles it anyway (its digest, for incremental
builds); the workers get those bytes in batches, unpickle and render them with their own
Jinja environment, and send the HTML back. They never see the model, so they stay small.
A worker that dies (killed for memory, say) costs time, not the build: the main process
renders what it had been given. The order of the results, and so the site, does not depend
on how many workers there were.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

from jinja2 import Environment

from svccat.site.render import environment, render_pickled

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


def _start_worker(lang: str) -> None:
    global _env
    _env = environment(lang)
    _ignore_interrupt()


def _ignore_interrupt() -> None:
    # Ctrl+C reaches the whole process group: the main process stops the pool; a worker
    # would only print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Background(Generic[Value]):
    """One call made on a process of its own while this one goes on (the search index,
    while the open data is written). `result()` gives its value, or raises what it raised;
    made here instead when no process could be started or it died. `close()` stops it."""

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


def _render_batch(pickled: list[bytes]) -> list[bytes]:
    assert _env is not None
    return [render_pickled(_env, data) for data in pickled]


def rendered(lang: str, work: Iterable[tuple[Key, bytes | None]], *, workers: int
             ) -> Iterator[tuple[Key, bytes | None]]:
    """For each (key, pickled page), the key and the page's HTML, in the order given; a key
    without a pickled page passes through with None. Pages are rendered on `workers`
    processes while the caller makes the next ones (svccat.site.build renders a site too
    small for workers itself)."""
    env = environment(lang)  # for what a worker that died did not render
    pool: ProcessPoolExecutor | None = None
    broken = False
    # Batches in order, each with its task; a bounded number ahead of what was handed back.
    waiting: deque[tuple[list[tuple[Key, bytes | None]], Future[list[bytes]] | None]] = deque()

    def submit(batch: list[tuple[Key, bytes | None]]) -> None:
        nonlocal pool, broken
        pickled = [data for _, data in batch if data is not None]
        task = None
        if pickled and not broken:
            if pool is None:
                pool = ProcessPoolExecutor(
                    workers, mp_context=multiprocessing.get_context(START_METHOD),
                    initializer=_start_worker, initargs=(lang,))
            try:
                task = pool.submit(_render_batch, pickled)
            # A worker died before its batch was handed back, or no process can be started
            # (a limit on processes): this process renders the rest.
            except (BrokenProcessPool, OSError):
                broken = True
        waiting.append((batch, task))

    def hand_back() -> Iterator[tuple[Key, bytes | None]]:
        nonlocal broken
        batch, task = waiting.popleft()
        pages: list[bytes] | None = None
        if task is not None and not broken:
            try:
                pages = task.result()
            except BrokenProcessPool:  # a worker died: this process renders the rest
                broken = True
        if pages is None:
            pages = [render_pickled(env, data) for _, data in batch if data is not None]
        made = iter(pages)
        for key, data in batch:
            yield key, None if data is None else next(made)

    try:
        batch: list[tuple[Key, bytes | None]] = []
        count = 0  # pages to render in the batch
        for key, data in work:
            batch.append((key, data))
            count += data is not None
            # Pages that need no rendering do not hold a batch back for long either.
            if count >= BATCH or len(batch) >= 4 * BATCH:
                submit(batch)
                batch, count = [], 0
                while waiting and (len(waiting) > 2 * workers or _done(waiting[0][1])):
                    yield from hand_back()
        if batch:
            submit(batch)
        while waiting:
            yield from hand_back()
    finally:
        if pool is not None:
            # Also when the consumer stops early (an error, Ctrl+C): queued batches are
            # dropped, the running ones are short.
            pool.shutdown(wait=True, cancel_futures=True)


def _done(task: Future[list[bytes]] | None) -> bool:
    return task is None or task.done()
