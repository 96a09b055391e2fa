"""Run every check over a catalogue and collect the problems into one LintResult."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from svccat.catalogue import display_path, load_catalogue
from svccat.config import Config, ConfigError
from svccat.problems import Problem, Severity
from svccat.references import check_references


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
    root = root.resolve()
    chosen: set[str] = set()
    for path in paths:
        if not path.exists():
            raise ConfigError(f"路径不存在：{path}", f"no such path: {path}")
        full = path.resolve()
        if not full.is_relative_to(root):
            raise ConfigError(f"{path} 不在目录 {display_path(root)} 中",
                              f"{path} is not inside the catalogue {display_path(root)}")
        if full.is_dir():
            chosen.update(display_path(p) for p in full.rglob("*") if p.is_file())
        else:
            chosen.add(display_path(full))
    return chosen


def lint(config: Config, paths: Sequence[Path] = ()) -> LintResult:
    """Lint the catalogue; with paths, report only on those files (references still resolve
    against the whole catalogue)."""
    chosen = _selected_files(paths, config.catalogue) if paths else None
    loaded = load_catalogue(config.catalogue, max_file_size=config.max_file_size)
    problems = [*loaded.problems, *check_references(loaded)]
    files = len(loaded.files)
    items = len(loaded.catalogue.items) + len(loaded.catalogue.broken_item_ids)
    if chosen is not None:
        problems = [p for p in problems if p.file in chosen]
        files = sum(1 for f in loaded.files if f.file in chosen)
        items = sum(1 for i in loaded.catalogue.items.values() if i.file in chosen)
    return LintResult(tuple(sorted(problems, key=lambda p: p.sort_key)), files, items)
