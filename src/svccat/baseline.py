"""Baselines for adopting svccat on a legacy catalogue: known problems are recorded once and
only new ones fail. Entries are keyed by item (or file), code and path inside the document,
never by line, so moving lines does not break them."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from svccat import __version__
from svccat.atomic import write_atomically
from svccat.config import ConfigError
from svccat.problems import Problem, make

FORMAT_VERSION = 1
Key = tuple[str, str, str]  # (item id or file, code, path)


def key_of(problem: Problem) -> Key:
    return (problem.item or problem.file, problem.code, problem.path)


def write(path: Path, problems: Sequence[Problem]) -> int:
    """Write the baseline atomically; returns how many problems it records."""
    counts = Counter(key_of(p) for p in problems if not p.code.startswith("N"))
    entries = [{"subject": subject, "code": code, "path": pointer, "count": count}
               for (subject, code, pointer), count in sorted(counts.items())]
    payload = {"version": FORMAT_VERSION, "generator": f"svccat {__version__}",
               "problems": entries}
    write_atomically(path, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    return sum(counts.values())


@dataclass(frozen=True)
class Baseline:
    file: str
    counts: Counter[Key]

    @classmethod
    def read(cls, path: Path, shown: str) -> Baseline:
        try:
            payload: Any = json.loads(path.read_text(encoding="utf-8"))
        except OSError as e:
            raise ConfigError(f"无法读取基线文件 {shown}：{e.strerror}",
                              f"cannot read baseline {shown}: {e.strerror}") from None
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as e:
            raise ConfigError(f"基线文件 {shown} 不是有效的 JSON：{e}",
                              f"baseline {shown} is not valid JSON: {e}") from None
        try:
            if payload["version"] != FORMAT_VERSION:
                raise ValueError(f"version {payload['version']}")
            counts: Counter[Key] = Counter()
            for entry in payload["problems"]:
                key = (str(entry["subject"]), str(entry["code"]), str(entry["path"]))
                counts[key] += int(entry["count"])
        except (KeyError, TypeError, ValueError) as e:
            raise ConfigError(f"基线文件 {shown} 格式不对（{e}），请用 --write-baseline 重新生成",
                              f"baseline {shown} has the wrong shape ({e}); rewrite it with "
                              "--write-baseline") from None
        return cls(shown, counts)

    def apply(self, problems: Sequence[Problem]) -> tuple[list[Problem], list[Problem]]:
        """(new problems, stale-entry problems)."""
        left = Counter(self.counts)
        fresh: list[Problem] = []
        for problem in problems:
            key = key_of(problem)
            if left[key] > 0:
                left[key] -= 1
            else:
                fresh.append(problem)
        stale = [make("N004", f"基线中的问题已不存在（已修复）：{code} {subject} {pointer}".rstrip(),
                      f"baseline entry no longer occurs (fixed): {code} {subject} {pointer}".rstrip(),
                      file=self.file)
                 for (subject, code, pointer), count in sorted(left.items()) if count > 0]
        return fresh, stale
