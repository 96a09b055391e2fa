"""Run every check over a catalogue and collect the problems into one LintResult.

Order: load and validate → reference checks → domain rules → settings (select, ignore,
severity, per-path ignores) → inline suppressions → baseline → the files asked about.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from svccat import suppress
from svccat.baseline import Baseline
from svccat.cache import LoadCache
from svccat.catalogue import Loaded, display_path, load_catalogue, paths_inside
from svccat.config import Config
from svccat.lintconfig import LintSettings, known_codes
from svccat.problems import Problem, Severity
from svccat.references import check_references
from svccat.rules import RULES, Context


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


def lint(config: Config, paths: Sequence[Path] = (), *, baseline: Path | None = None,
         loaded: Loaded | None = None, cache: Path | None = None) -> LintResult:
    """Lint the catalogue; with paths, report only on those files (references still resolve
    against the whole catalogue). `loaded` spares a second read when the caller has one;
    `cache` is a cache folder (svccat.cache) that spares parsing files seen before."""
    chosen = _selected_files(paths, config.catalogue) if paths else None
    known_baseline = Baseline.read(baseline, display_path(baseline)) if baseline else None
    settings = config.lint
    if loaded is None:
        store = (LoadCache.for_catalogue(cache, config.catalogue,
                                         max_file_size=config.max_file_size)
                 if cache is not None else None)
        loaded = load_catalogue(config.catalogue, max_file_size=config.max_file_size,
                                cache=store)
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
    files = len(loaded.files)
    items = len(loaded.catalogue.items) + len(loaded.catalogue.broken_item_ids)
    if chosen is not None:
        problems = [p for p in problems if p.file in chosen or p.code == "N004"]
        files = sum(1 for f in loaded.files if f.file in chosen)
        items = sum(1 for i in loaded.catalogue.items.values() if i.file in chosen)
    return LintResult(tuple(sorted(problems, key=lambda p: p.sort_key)), files, items,
                      suppressed=len(outcome.suppressed), baselined=baselined)
