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
import multiprocessing
import os
import threading
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool

from svccat import cache as cache_module
from svccat.catalogue import SourceFile
from svccat.loader import LoadResult, load_bytes, read_file
from svccat.problems import Problem
from svccat.schema import validate

BATCH = 64  # files per task: large enough to amortise a round trip, small enough to share out
# Below this many files to parse, starting workers costs more than it saves.
MIN_PARALLEL = 2 * BATCH

Loaded = tuple[LoadResult, list[Problem]]  # a file's loading result and schema problems


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


def key_files(files: Sequence[SourceFile], salt: bytes, max_file_size: int) -> list[Keyed]:
    """Read and hash every file (not parsed): the keys of the cache and of a run record."""
    keyed = []
    for source in files:
        if source.kind is None:
            keyed.append(Keyed(source, None))
            continue
        raw = read_file(source.path, source.file, max_size=max_file_size)
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
        raw = read_file(source.path, source.file, max_size=max_file_size)
        if isinstance(raw, LoadResult):
            answers.append((None, None, (raw, [])))
            continue
        assert source.kind is not None
        key = cache_module.content_key(salt, source.kind.value, raw)
        loaded = _load(source, raw)
        blob = cache_module.encode(*loaded, source.file)
        answers.append((key, blob, loaded if blob is None else None))
    return answers


def _start_worker() -> None:
    # Parsing makes millions of acyclic objects: the cycle collector would only slow it.
    gc.disable()


def _pool(jobs: int) -> Pool:
    methods = multiprocessing.get_all_start_methods()
    # fork starts in milliseconds and shares the imported modules; it is safe only while
    # this process runs no other thread.
    method = "fork" if "fork" in methods and threading.active_count() == 1 else None
    return multiprocessing.get_context(method).Pool(jobs, initializer=_start_worker)


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
        self.fresh = 0  # files parsed in this run

    def __iter__(self) -> Generator[tuple[SourceFile, Loaded | None], None, None]:
        batches = [list(self.keyed[i:i + BATCH]) for i in range(0, len(self.keyed), BATCH)]
        stored: list[dict[bytes, bytes]] = []
        missing: list[list[SourceFile]] = []
        for batch in batches:
            keys = [k.key for k in batch if k.key is not None]
            found = self.store.entries(keys) if self.store is not None else {}
            stored.append(found)
            missing.append([k.source for k in batch
                            if k.source.kind is not None and k.unreadable is None
                            and (k.key is None or k.key not in found)])
        self.fresh = sum(len(m) for m in missing)
        pool = None
        pending: list[AsyncResult[list[_Answer]] | None] = [None] * len(batches)
        if self.jobs > 1 and self.fresh >= MIN_PARALLEL:
            pool = _pool(min(self.jobs, -(-self.fresh // BATCH)))
            for index, sources in enumerate(missing):
                if sources:
                    pending[index] = pool.apply_async(
                        _work, (sources, self.salt, self.max_file_size))
        try:
            for index, batch in enumerate(batches):
                waiting = pending[index]
                answers = (waiting.get() if waiting is not None
                           else _work(missing[index], self.salt, self.max_file_size))
                pending[index] = None
                yield from self._batch(batch, stored[index], dict(zip(
                    (s.file for s in missing[index]), answers, strict=True)))
        finally:
            if pool is not None:
                pool.terminate()  # also when the consumer stops early, e.g. on Ctrl+C
                pool.join()

    def _batch(self, batch: list[Keyed], stored: dict[bytes, bytes],
               answers: dict[str, _Answer]) -> Iterator[tuple[SourceFile, Loaded | None]]:
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
            if answer is None:
                assert keyed.key is not None
                try:
                    loaded = cache_module.decode(stored[keyed.key], source.file)
                except ValueError:  # a damaged entry: load afresh
                    answer = _work([source], self.salt, self.max_file_size)[0]
                else:
                    self.used.add(keyed.key)
                    yield source, loaded
                    continue
            key, blob, result = answer
            if key is not None and blob is not None:
                self.used.add(key)
                fresh.append((key, blob))
                result = cache_module.decode(blob, source.file)
            assert result is not None
            yield source, result
        if fresh and self.store is not None:
            self.store.add(fresh)
