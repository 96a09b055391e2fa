"""Load and validate a catalogue's files on every core, with the cache's help.

The main process reads and hashes each file (the cache key; a run record needs every key
before anything is loaded), takes what the cache holds, and hands the rest to worker
processes in batches. A worker reads the file again, parses, validates and sends back the
cache entry (svccat.cache.encode): compressed marshal bytes, much cheaper to pass between
processes than objects. The main process decodes entries in the catalogue's order while the
workers go on, so building the model overlaps with parsing, and the result does not depend
on how many workers there were.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from svccat import cache as cache_module
from svccat.catalogue import SourceFile
from svccat.loader import LoadResult, load_bytes, read_file
from svccat.problems import Problem
from svccat.schema import Kind, validate

if TYPE_CHECKING:  # imported when a pool starts: lint FILE loads a few files without one
    from concurrent.futures import Future, ProcessPoolExecutor

BATCH = 64  # files per task: large enough to amortise a round trip, small enough to share out
# Below this many files to parse, starting workers costs more than it saves.
MIN_PARALLEL = 2 * BATCH

Loaded = tuple[LoadResult, list[Problem]]  # a file's loading result and schema problems
Placement = tuple[str | None, str | None, str | None]  # an item file's id, parent, implements


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Keyed:
    """A file the main process has read: its content key, or why it could not be read."""

    source: SourceFile
    key: bytes | None
    unreadable: LoadResult | None = None


def key_files(files: Sequence[SourceFile], salt: bytes, max_file_size: int,
              known: Mapping[str, bytes] | None = None) -> list[Keyed]:
    """Each file's content key (not parsed): the keys of the cache and of a run record.
    `known`: keys to take without reading the file (svccat.incremental trusts a file whose
    stat stamp has not changed); every other file is read and hashed."""
    keyed = []
    for source in files:
        if source.kind is None:
            keyed.append(Keyed(source, None))
            continue
        key = known.get(source.file) if known is not None else None
        if key is not None:
            keyed.append(Keyed(source, key))
            continue
        raw = read_file(source.location, source.file, max_size=max_file_size)
        if isinstance(raw, LoadResult):
            keyed.append(Keyed(source, None, raw))
        else:
            keyed.append(Keyed(source, cache_module.content_key(salt, source.kind.value, raw)))
    return keyed


def _load(source: SourceFile, raw: bytes) -> Loaded:
    result = load_bytes(raw, source.file)
    if result.document is None:
        return result, []
    raw_id = result.document.data.get("id")
    assert source.kind is not None
    return result, validate(result.document, source.kind,
                            item=raw_id if isinstance(raw_id, str) else None)


# What a worker sends back for a file: its key and entry, or (when the file could not be
# read, or its entry cannot be stored) the result itself.
_Answer = tuple[bytes | None, bytes | None, Loaded | None]


def _work(batch: list[SourceFile], salt: bytes, max_file_size: int) -> list[_Answer]:
    answers: list[_Answer] = []
    for source in batch:
        raw = read_file(source.location, source.file, max_size=max_file_size)
        if isinstance(raw, LoadResult):
            answers.append((None, None, (raw, [])))
            continue
        assert source.kind is not None
        key = cache_module.content_key(salt, source.kind.value, raw)
        loaded = _load(source, raw)
        blob = cache_module.encode(*loaded, source.file)
        answers.append((key, blob, loaded if blob is None else None))
    return answers


def _in_worker(batch: list[SourceFile], salt: bytes, max_file_size: int,
               store: str | None) -> list[_Answer]:
    # What a worker runs, named by this module: _work is looked up when it runs.
    answers = _work(batch, salt, max_file_size)
    if store is not None:  # the worker stores its entries: the main process has enough to do
        cache_module.add_entries(store, [(key, blob) for key, blob, _ in answers
                                         if key is not None and blob is not None])
    return answers


def _start_worker() -> None:
    # Parsing makes millions of acyclic objects: the cycle collector would only slow it.
    gc.disable()


class _NoPool(Exception):
    """Never raised: without workers, no pool can break."""


def _pool(jobs: int) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    # fork starts in milliseconds and shares the imported modules; it is safe only while
    # this process runs no other thread. (An executor, not multiprocessing.Pool: a worker
    # that dies, say killed for memory, breaks the executor; a Pool would wait forever.)
    method = "fork" if "fork" in methods and threading.active_count() == 1 else "spawn"
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method),
                               initializer=_start_worker)


class Results:
    """Each file's loading result, in the order of the files, as workers deliver them."""

    def __init__(self, keyed: Sequence[Keyed], *, store: cache_module.LoadCache | None,
                 salt: bytes, max_file_size: int, jobs: int) -> None:
        """Without a store, `keyed` need not have keys: the main process then does not
        even read the files, workers do."""
        self.keyed = keyed
        self.store = store
        self.salt = salt
        self.max_file_size = max_file_size
        self.jobs = max(1, jobs)
        self.used: set[bytes] = set()  # keys of this run's entries, for pruning the store
        self.keys: dict[str, bytes] = {}  # file → the key its result was found under
        self.index: dict[str, Placement] = {}  # item file → (id, parent, implements)
        self.unreadable: dict[str, LoadResult] = {}  # files a worker could not read

    def __iter__(self) -> Generator[tuple[SourceFile, Loaded | None], None, None]:
        batches = [list(self.keyed[i:i + BATCH]) for i in range(0, len(self.keyed), BATCH)]
        keys = [k.key for k in self.keyed if k.key is not None]
        # A few files (lint FILE) ask about their keys; a catalogue lists the store's once.
        known = (set() if self.store is None else self.store.which(keys)
                 if len(keys) < 5000 else self.store.known_keys())
        missing = [[k.source for k in batch
                    if k.source.kind is not None and k.unreadable is None
                    and (k.key is None or k.key not in known)] for batch in batches]
        fresh = sum(len(m) for m in missing)  # files to parse
        pool = None
        pending: list[Future[list[_Answer]] | None] = [None] * len(batches)
        broken: type[Exception] = _NoPool
        if self.jobs > 1 and fresh >= MIN_PARALLEL:
            from concurrent.futures.process import BrokenProcessPool as broken
            pool = _pool(min(self.jobs, -(-fresh // BATCH)))
            store = self.store.writable_path() if self.store is not None else None
            for index, sources in enumerate(missing):
                if sources:
                    try:
                        pending[index] = pool.submit(_in_worker, sources, self.salt,
                                                     self.max_file_size, store)
                    except broken:  # a worker died already: this process does
                        break                  # the batches not handed out
        try:
            for index, batch in enumerate(batches):
                waiting = pending[index]
                pending[index] = None
                answers, stored_by_worker = None, False
                if waiting is not None:
                    try:
                        answers, stored_by_worker = waiting.result(), True
                    except broken:  # a worker died: this process does the rest
                        pending = [None] * len(batches)
                if answers is None:
                    answers = _work(missing[index], self.salt, self.max_file_size)
                # Stored entries are fetched batch by batch: all at once would hold a
                # province's cache in memory.
                wanted = [k.key for k in batch if k.key is not None and k.key in known]
                stored = self.store.entries(wanted) if self.store is not None and wanted else {}
                yield from self._batch(batch, stored, dict(zip(
                    (s.file for s in missing[index]), answers, strict=True)),
                    store_fresh=not stored_by_worker)
        finally:
            if pool is not None:
                # Also when the consumer stops early (Ctrl+C): queued batches are dropped.
                pool.shutdown(wait=True, cancel_futures=True)

    def _batch(self, batch: list[Keyed], stored: dict[bytes, bytes],
               answers: dict[str, _Answer], *, store_fresh: bool
               ) -> Iterator[tuple[SourceFile, Loaded | None]]:
        fresh: list[tuple[bytes, bytes]] = []
        for keyed in batch:
            source = keyed.source
            if source.kind is None:
                yield source, None
                continue
            if keyed.unreadable is not None:
                yield source, (keyed.unreadable, [])
                continue
            answer = answers.get(source.file)
            loaded: Loaded | None = None
            if answer is None:
                assert keyed.key is not None
                try:
                    loaded = cache_module.decode(stored[keyed.key], source.file)
                except (KeyError, ValueError):  # damaged, or gone since: load afresh
                    answer = _work([source], self.salt, self.max_file_size)[0]
                else:
                    self._seen(source, keyed.key, loaded)
            if answer is not None:
                key, blob, loaded = answer
                if key is None and loaded is not None:
                    self.unreadable[source.file] = loaded[0]
                if key is not None and blob is not None:
                    fresh.append((key, blob))
                    loaded = cache_module.decode(blob, source.file, verify=False)
                assert loaded is not None
                self._seen(source, key, loaded)
            yield source, loaded
        if fresh and self.store is not None and store_fresh:
            self.store.add(fresh)

    def _seen(self, source: SourceFile, key: bytes | None, loaded: Loaded) -> None:
        """Note the key a file's result was found under, and what the item says of its
        place (id, parent, baseline): svccat.incremental finds an item's neighbours by it."""
        if key is not None:
            self.used.add(key)
            self.keys[source.file] = key
        if source.kind is not Kind.ITEM:
            return
        result = loaded[0]
        if result.document is None:
            if result.salvaged_id:
                self.index[source.file] = (result.salvaged_id, None, None)
            return
        data = result.document.data
        self.index[source.file] = tuple(  # type: ignore[assignment]
            value if isinstance(value, str) else None
            for value in (data.get("id"), data.get("parent"), data.get("implements")))
