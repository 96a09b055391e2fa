"""Make, digest and render pages on forked processes that share the finished model.

Once the model is built (loaded, linted, planned), a fork gives each worker all of it for
nothing: memory is shared until written. A worker makes the views of a batch of pages,
their digests and their HTML, and sends back only what the main process records and
writes; views are neither made nor pickled in the main process, which makes the open data
meanwhile. Only where fork exists and while this process runs a single thread (a thread
holding a lock at the fork would leave it held in the child); svccat.site.build otherwise
makes the views here and renders them on spawned workers (svccat.site.workers).

A worker that dies (killed for memory, say) costs time, not the build: the main process
makes the batches not handed back. Batches are handed back in the order of the pages, and
a page is the same bytes whichever process made it.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import threading
from collections import deque
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from jinja2 import Environment

from svccat.site.fingerprint import bytes_digest, page_pickle
from svccat.site.manifest import Entry
from svccat.site.pages import MakePage
from svccat.site.render import render_page

BATCH = 32  # pages per task: a round trip is amortised, and the work still shared out
# Batches handed out and not yet taken back. Finished ones wait in this process's memory
# (about half a megabyte each) while it writes a large file: enough for the workers to go on
# meanwhile, not so many that their pages crowd the memory.
AHEAD = 128


@dataclass(frozen=True)
class Job:
    """Everything a worker needs, inherited through the fork."""

    pages: Sequence[MakePage]
    env: Environment
    known: Mapping[str, Entry]  # what the previous build recorded for each path
    same_build: bool  # its view digests may be compared with this build's


@dataclass(frozen=True)
class MadePage:
    path: str
    source: str | None  # its view's digest; None when the view cannot be pickled
    html: bytes | None  # None: its view is the one the previous build rendered


def make_pages(job: Job, start: int, stop: int) -> list[MadePage]:
    """Pages start to stop: made, digested, and rendered unless the previous build rendered
    the same view."""
    made = []
    for index in range(start, stop):
        page = job.pages[index]()
        path = page.meta.path
        pickled = page_pickle(page)
        source = None if pickled is None else bytes_digest(pickled)
        old = job.known.get(path)
        if job.same_build and old is not None and source is not None and old.source == source:
            made.append(MadePage(path, source, None))
        else:
            made.append(MadePage(path, source, render_page(job.env, page)))
    return made


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() \
        and threading.active_count() == 1


_job: Job | None = None  # set before the workers are forked: what they inherit


def _start_worker() -> None:
    # Ctrl+C reaches the whole process group and SIGTERM is the main process's to handle
    # (svccat.site.output): the main process stops the pool; a worker would only print a
    # traceback. The model was frozen out of the collector's sight before the fork.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.enable()


def _in_worker(start: int, stop: int) -> list[MadePage]:
    assert _job is not None
    return make_pages(_job, start, stop)


class Forked:
    """The pages of a job in batches, made on `workers` forked processes and taken back in
    order. Call only when can_fork(); close() (or `with`) stops the workers."""

    def __init__(self, job: Job, *, workers: int) -> None:
        global _job
        self.job = job
        self.workers = workers
        self.ranges = deque((start, min(start + BATCH, len(job.pages)))
                            for start in range(0, len(job.pages), BATCH))
        self.waiting: deque[tuple[int, int, Future[list[MadePage]] | None]] = deque()
        self.pool: ProcessPoolExecutor | None = None
        self.broken = False
        _job = job
        gc.freeze()  # a worker's collector must not walk (and so copy) the shared model
        self.pump()

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def pump(self) -> None:
        """Hand out batches until AHEAD are out: called whenever this process can."""
        while self.ranges and len(self.waiting) < AHEAD:
            start, stop = self.ranges.popleft()
            task = None
            if not self.broken:
                try:
                    if self.pool is None:
                        self.pool = ProcessPoolExecutor(
                            self.workers, mp_context=multiprocessing.get_context("fork"),
                            initializer=_start_worker)
                    task = self.pool.submit(_in_worker, start, stop)
                # A worker died before its batch was handed back, or no process can be
                # started (a limit on processes): this process makes the rest.
                except (BrokenProcessPool, OSError):
                    self.broken = True
            self.waiting.append((start, stop, task))

    def ready(self) -> bool:
        """Whether the next batch can be taken without waiting for a worker."""
        if not self.waiting:
            return False
        task = self.waiting[0][2]
        return task is None or self.broken or task.done()

    def next_batch(self) -> tuple[int, list[MadePage]] | None:
        """The next batch: the index of its first page, and the pages; None after the last."""
        self.pump()
        if not self.waiting:
            return None
        start, stop, task = self.waiting.popleft()
        made: list[MadePage] | None = None
        if task is not None and not self.broken:
            try:
                made = task.result()
            except BrokenProcessPool:  # a worker died: this process makes the rest
                self.broken = True
        if made is None:
            made = make_pages(self.job, start, stop)
        self.pump()
        return start, made

    def close(self) -> None:
        global _job
        if self.pool is not None:
            # Also when the consumer stops early (an error, Ctrl+C): queued batches are
            # dropped, the running ones are short.
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        _job = None
