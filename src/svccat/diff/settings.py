"""[tool.svccat.diff] → DiffSettings, checked like the lint settings (mistakes exit 2)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from svccat.diff.kinds import KINDS, Effect
from svccat.lintconfig import SettingsError

# How alike two items' names must be to count as one item renamed (svccat.diff.align).
DEFAULT_THRESHOLD = 0.8

_KEYS = ("ignore", "effect", "threshold")


@dataclass(frozen=True)
class DiffSettings:
    """`[tool.svccat.diff]`: kinds to ignore and kinds given another effect. Here, not
    beside the comparison: loading the settings (every command does) needs no diff code."""

    ignore: frozenset[str] = frozenset()
    effects: Mapping[str, Effect] = field(default_factory=dict)
    threshold: float = DEFAULT_THRESHOLD


def parse_diff_settings(table: Mapping[str, Any]) -> DiffSettings:
    for key in table:
        if key not in _KEYS:
            raise SettingsError(f"未知配置项 diff.{key}（可用：{'、'.join(_KEYS)}）",
                                f"unknown setting diff.{key} (known: {', '.join(_KEYS)})")
    ignore = table.get("ignore", [])
    if not isinstance(ignore, list) or any(k not in KINDS for k in ignore):
        raise SettingsError("diff.ignore 应为变化类型列表（见 docs/diff.md）",
                            "diff.ignore must be a list of change kinds (see docs/diff.md)")
    effects: dict[str, Effect] = {}
    given = table.get("effect", {})
    if not isinstance(given, dict):
        raise SettingsError("diff.effect 应为表", "diff.effect must be a table")
    for kind, effect in given.items():
        if kind not in KINDS:
            raise SettingsError(f"diff.effect 中的变化类型“{kind}”未知",
                                f"unknown change kind '{kind}' in diff.effect")
        try:
            effects[kind] = Effect(effect)
        except ValueError:
            raise SettingsError(f"diff.effect.{kind} 应为 {'、'.join(Effect)} 之一",
                                f"diff.effect.{kind} must be one of {', '.join(Effect)}") from None
    threshold = table.get("threshold", DEFAULT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) \
            or not 0 < threshold <= 1:
        raise SettingsError("diff.threshold 应为 0 到 1 之间的数", "diff.threshold must be a number "
                            "between 0 and 1")
    return DiffSettings(frozenset(ignore), effects, float(threshold))
