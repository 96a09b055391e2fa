"""Run every check over a catalogue and collect the problems into one LintResult.

Order: load and validate → reference checks → domain rules → settings (select, ignore,
severity, per-path ignores) → inline suppressions → baseline → the files asked about.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from svccat import incremental, suppress
from svccat.baseline import Baseline
from svccat.cache import LoadCache, StateRow, code_fingerprint, store_problems, stored_problems
from svccat.catalogue import Loaded, Scan, discover, display_path, load_files, paths_inside, scan, walk_order
from svccat.config import Config
from svccat.lintconfig import LintSettings, known_codes
from svccat.parallel import Keyed, Results, key_files
from svccat.problems import Problem, Severity
from svccat.references import check_references
from svccat.rules import RULES, Context
from svccat.schema import Kind


@dataclass(frozen=True)
class Summary:
    files: int
    items: int
    errors: int
    warnings: int
    infos: int


@dataclass(frozen=True)
class LintResult:
    problems: tuple[Problem, ...]
    files: int
    items: int
    suppressed: int = 0
    baselined: int = 0

    @property
    def summary(self) -> Summary:
        count = {s: 0 for s in Severity}
        for p in self.problems:
            count[p.severity] += 1
        return Summary(self.files, self.items, count[Severity.ERROR], count[Severity.WARNING],
                       count[Severity.INFO])

    def exit_code(self, fail_on: Severity = Severity.ERROR) -> int:
        return 1 if any(p.severity.rank >= fail_on.rank for p in self.problems) else 0


def _selected_files(paths: Sequence[Path], root: Path) -> set[str]:
    chosen: set[str] = set()
    for full in paths_inside(paths, root):
        if full.is_dir():
            chosen.update(display_path(p) for p in full.rglob("*") if p.is_file())
        else:
            chosen.add(display_path(full))
    return chosen


def run_rules(loaded: Loaded, settings: LintSettings) -> list[Problem]:
    """Findings of every enabled rule, stamped with code, file and line."""
    context = Context(loaded.catalogue)
    problems: list[Problem] = []
    for code, rule_class in RULES.items():
        if not settings.enabled(code):
            continue
        rule = rule_class()
        for finding in rule.check(context, settings.rule_options(code)):
            file = finding.where
            document = loaded.documents.get(file)
            mark = document.mark(finding.pointer) if document else None
            problems.append(Problem(code=code, severity=rule_class.severity,
                                    message=finding.message, file=file,
                                    line=mark.line if mark else None,
                                    column=mark.column if mark else None, path=finding.pointer,
                                    item=finding.item.id if finding.item else None))
    return problems


def _relative_to(file: str, root: Path) -> str:
    # Lexically: the file may be a link (even a loop), and per-path settings name the link.
    try:
        return Path(os.path.abspath(file)).relative_to(root.resolve()).as_posix()
    except ValueError:
        return file


@dataclass(frozen=True)
class _Whole:
    """A run over the whole catalogue, before narrowing to the files asked about: what a
    run record stores."""

    problems: tuple[Problem, ...]
    files: tuple[str, ...]
    item_files: tuple[str, ...]  # the file of each item (of each broken item: nothing)
    broken_items: int
    suppressed: tuple[str, ...]  # the file of each suppressed problem
    baselined: int

    def result(self, chosen: set[str] | None) -> LintResult:
        problems, files = self.problems, len(self.files)
        items = len(self.item_files) + self.broken_items
        suppressed = len(self.suppressed)
        if chosen is not None:
            problems = tuple(p for p in problems if p.file in chosen or p.code == "N004")
            files = sum(1 for f in self.files if f in chosen)
            items = sum(1 for f in self.item_files if f in chosen)
            suppressed = sum(1 for f in self.suppressed if f in chosen)
        return LintResult(problems, files, items, suppressed=suppressed,
                          baselined=self.baselined)

    def encode(self) -> tuple[Any, ...]:
        return ([(p.file, *stored) for p, stored in zip(
                    self.problems, store_problems(self.problems), strict=True)],
                list(self.files), list(self.item_files), self.broken_items,
                list(self.suppressed), self.baselined)

    @classmethod
    def decode(cls, record: Any) -> _Whole:
        stored, files, item_files, broken, suppressed, baselined = record
        problems = tuple(p for file, *one in stored for p in stored_problems([tuple(one)], file))
        return cls(problems, tuple(files), tuple(item_files), broken, tuple(suppressed),
                   baselined)


def _family_key(store: LoadCache, config: Config, baseline: bytes | None) -> bytes:
    """What a run's result depends on besides the files: svccat's code, the settings, where
    paths are shown from and the baseline. Runs of one family share a State."""
    digest = hashlib.sha256(code_fingerprint() + store.salt)
    digest.update("\0".join([os.getcwd(), str(config.catalogue.resolve()), repr(config.lint)
                              ]).encode())
    digest.update(b"\0baseline\0" + (baseline if baseline is not None else b"\0none"))
    return digest.digest()


def _run_key(family: bytes, keyed: Sequence[Keyed], found: list[Problem]) -> bytes:
    """The family and each file's name and content key."""
    digest = hashlib.sha256(b"run\0" + family + repr(found).encode())
    for each in keyed:
        digest.update(f"\0{each.source.file}\0{each.source.kind}\0".encode())
        # A file that could not be read has no key: the problem stands for it.
        digest.update(each.key if each.key is not None else
                      repr(each.unreadable).encode() if each.unreadable else b"-")
    return digest.digest()


def _header(record: Any) -> incremental.Header | None:
    try:
        return incremental.Header.decode(record) if record is not None else None
    except (TypeError, ValueError):
        return None


def lint(config: Config, paths: Sequence[Path] = (), *, baseline: Path | None = None,
         loaded: Loaded | None = None, cache: Path | None = None, jobs: int | None = None
         ) -> LintResult:
    """Lint the catalogue; with paths, report only on those files (references still resolve
    against the whole catalogue). `loaded` spares a second read when the caller has one;
    `cache` is a cache folder (svccat.cache) that spares parsing files seen before, replays
    the whole result when no file, setting or code changed since a run it saw, and lets a
    run about a few files load only their neighbourhood (svccat.incremental); `jobs`:
    worker processes that parse and validate (default: one per usable core)."""
    chosen = _selected_files(paths, config.catalogue) if paths else None
    known_baseline = Baseline.read(baseline, display_path(baseline)) if baseline else None
    # Read again for the run key, after Baseline.read has reported any unreadable file.
    baseline_raw = baseline.read_bytes() if baseline is not None else None
    if loaded is not None:
        return _lint_loaded(loaded, config, known_baseline).result(chosen)
    if cache is None:
        files, found = discover(config.catalogue)
        loaded = load_files(files, found, max_file_size=config.max_file_size, jobs=jobs,
                            keep_data=False)
        return _lint_loaded(loaded, config, known_baseline).result(chosen)
    taken_ns = time.time_ns()  # before any stamp: a file changed after it is not trusted
    walked = scan(config.catalogue, stamps=True, jobs=jobs)
    store = LoadCache.for_catalogue(cache, config.catalogue, max_file_size=config.max_file_size)
    try:
        family = _family_key(store, config, baseline_raw)
        header = _header(store.record(family))
        suspect = None
        if header is not None:
            suspect = incremental.suspects(header, walked, partial(store.state_rows, family))
        if header is not None and suspect is not None and not suspect.links_changed \
                and len(suspect.files) <= incremental.MAX_CHANGED:
            few = _few_changed(_Since(config, walked, store, family, header, suspect), chosen,
                               taken_ns=taken_ns, neighbourhood=known_baseline is None)
            # A store that failed meanwhile may have answered short (no neighbours found):
            # then the full run below, which needs it for nothing but speed.
            if few is not None and not store.failed:
                return few
        files, found = walked.sources(), walked.problems()
        keyed: list[Keyed] | None = None  # a first run: load_files has workers hash the files
        if header is not None or store.known_keys():
            trusted = store.state_keys(family) if header is not None else {}
            for file in suspect.files if suspect is not None else ():
                trusted.pop(file, None)
            keyed = key_files(files, store.salt, config.max_file_size, trusted)
            replayed = _replay(store.record(_run_key(family, keyed, found)), chosen)
            if replayed is not None:
                return replayed
        # A copy: assemble adds the loading problems to the list it is given.
        loaded = load_files(files, list(found), max_file_size=config.max_file_size,
                            cache=store, jobs=jobs, keep_data=False, keyed=keyed)
        whole = _lint_loaded(loaded, config, known_baseline)
        # The keys the files were loaded under (workers found those the main process did not).
        keyed = [k if k.key is not None or k.unreadable is not None
                 else Keyed(k.source, loaded.keys.get(k.source.file),
                            loaded.unreadable.get(k.source.file))
                 for k in keyed or [Keyed(f, None) for f in files]]
        run = _run_key(family, keyed, found)
        store.add_record(run, whole.encode())
        new_header, rows = incremental.state_of(
            walked, taken_ns, run, {k.source.file: k.key for k in keyed if k.key is not None},
            loaded.placements)
        store.add_record(family, new_header.encode(), compress=False, state=rows)
        return whole.result(chosen)
    finally:
        store.close()


def _replay(record: Any, chosen: set[str] | None) -> LintResult | None:
    """A run record's result (None: no record, or one of the wrong shape)."""
    if record is None:
        return None
    try:
        return _Whole.decode(record).result(chosen)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class _Since:
    """A run compared with its family's state (the last full run): what the catalogue's
    walk found, the store and family the state is kept under, and the files that may
    differ from it."""

    config: Config
    walked: Scan
    store: LoadCache
    family: bytes
    header: incremental.Header
    suspect: incremental.Suspects

    def rows(self, column: str, value: str) -> list[StateRow]:
        return self.store.state_rows(self.family, column, value)


def _few_changed(since: _Since, chosen: set[str] | None, *, taken_ns: int,
                 neighbourhood: bool) -> LintResult | None:
    """Few files may differ from the state. None of them does (nothing changed, or a file
    was touched or changed back): the state's run replayed, the state taking their new
    stamps. Some item files do, and some files are asked about (the pre-commit case): the
    problems of those from their neighbourhood. Else None: a full run is needed."""
    config, store, header, suspect = since.config, since.store, since.header, since.suspect
    present = [s for s in suspect.files.values() if s is not None]
    keyed = key_files(present, store.salt, config.max_file_size)
    changed, only_items = incremental.changed_files(keyed, suspect)
    if not changed:
        replayed = _replay(store.record(header.run), chosen)
        if replayed is not None and suspect.files:
            refreshed, restamped = incremental.restamp(header, since.walked, taken_ns, suspect)
            store.add_record(since.family, refreshed.encode(), compress=False,
                             restamped=restamped)
        return replayed
    if chosen is None or not neighbourhood or not only_items:
        return None
    for file in chosen:
        if file in suspect.files:
            source = suspect.files[file]
            if source is None or source.kind is not Kind.ITEM:
                return None
        else:
            found = since.rows("file", file)
            if not found or found[0][3] != Kind.ITEM.value:
                return None  # not a file of the state, or no item: a full run says what
    return _lint_some(since, keyed, changed, chosen)


def _lint_some(since: _Since, keyed: Sequence[Keyed], changed: set[str], chosen: set[str]
               ) -> LintResult:
    """Problems of the chosen item files, from their neighbourhood (svccat.incremental);
    `keyed`: the suspects that are there, read and hashed."""
    config, walked, store, header, suspect = (since.config, since.walked, since.store,
                                              since.header, since.suspect)
    rows = since.rows
    fresh_keys = {k.source.file: k for k in keyed}
    fresh = Results([fresh_keys[f] for f in sorted(changed) if f in fresh_keys], store=store,
                    salt=store.salt, max_file_size=config.max_file_size, jobs=1)
    for _ in fresh:  # the changed files' new places (and their entries, into the store)
        pass
    where = suspect.where
    places = incremental.Places(rows, changed, fresh.index, where)
    wanted = incremental.neighbourhood(places, chosen)
    subset: list[tuple[tuple[tuple[int, str], ...], Keyed]] = []
    for row in header.others:
        if row[2] not in changed:
            subset.append((walk_order(row[0], row[1]),
                           Keyed(incremental.source_of(walked, row), row[8])))
    for file in wanted:
        if file in fresh_keys:
            folder, name = where[file]
            subset.append((walk_order(folder, name), fresh_keys[file]))
            continue
        found = rows("file", file)
        if found:
            row = found[0]
            subset.append((walk_order(row[0], row[1]),
                           Keyed(incremental.source_of(walked, row), row[8])))
    subset.sort(key=lambda pair: pair[0])
    keyed_subset = [k for _, k in subset]
    loaded = load_files([k.source for k in keyed_subset], [],
                        max_file_size=config.max_file_size, cache=store, jobs=1,
                        keep_data=False, keyed=keyed_subset, prune=False)
    # Every other item is known to exist: references to it stand.
    known = set(header.ids.split("\n")) if header.ids else set()
    for file in changed:  # an id that only a changed file had may be gone
        old = suspect.old.get(file)
        if old is not None and old[9] and not any(
                row[2] not in changed for row in rows("id", old[9])):
            known.discard(old[9])
    known.update(ident for ident, _, _ in fresh.index.values() if ident)
    catalogue = replace(loaded.catalogue,
                        broken_item_ids=frozenset(known - set(loaded.catalogue.items)))
    return _lint_loaded(replace(loaded, catalogue=catalogue), config, None).result(chosen)


def _lint_loaded(loaded: Loaded, config: Config, known_baseline: Baseline | None) -> _Whole:
    settings = config.lint
    found = [*loaded.problems, *check_references(loaded), *run_rules(loaded, settings)]
    kept = [replace(p, severity=settings.severity_of(p.code)) for p in found
            if settings.enabled(p.code)
            # Resolving a path costs a system call: only when some per-path ignore could apply.
            and not (settings.per_path_ignores
                     and settings.ignored_at(p.code, _relative_to(p.file, config.catalogue)))]
    codes = known_codes()
    outcome = suppress.apply(
        kept, {f: d.suppressions for f, d in loaded.documents.items() if d.suppressions},
        known=set(codes), enabled={c for c in codes if settings.enabled(c)})
    problems = [*outcome.kept,
                *(replace(p, severity=settings.severity_of(p.code)) for p in outcome.about_suppressions
                  if settings.enabled(p.code))]
    baselined = 0
    if known_baseline is not None:
        fresh, stale = known_baseline.apply(problems)
        baselined = len(problems) - len(fresh)
        problems = [*fresh, *(s for s in stale if settings.enabled(s.code))]
    return _Whole(tuple(sorted(problems, key=lambda p: p.sort_key)),
                  tuple(f.file for f in loaded.files),
                  tuple(i.file for i in loaded.catalogue.items.values()),
                  len(loaded.catalogue.broken_item_ids),
                  tuple(p.file for p in outcome.suppressed), baselined)
