"""[tool.svccat.diff]: ignore, effect and threshold, and every mistake refused by name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from svccat.config import ConfigError, load_config
from svccat.diff.align import DEFAULT_THRESHOLD
from svccat.diff.kinds import Effect
from svccat.diff.settings import parse_diff_settings
from svccat.lintconfig import SettingsError


def test_defaults() -> None:
    settings = parse_diff_settings({})
    assert settings.ignore == frozenset() and dict(settings.effects) == {}
    assert settings.threshold == DEFAULT_THRESHOLD


def test_ignore_effect_and_threshold() -> None:
    settings = parse_diff_settings({"ignore": ["status-changed", "hall-changed"],
                                    "effect": {"step-changed": "burden-up"}, "threshold": 0.9})
    assert settings.ignore == {"status-changed", "hall-changed"}
    assert settings.effects == {"step-changed": Effect.BURDEN_UP}
    assert settings.threshold == 0.9
    assert parse_diff_settings({"threshold": 1}).threshold == 1.0


@pytest.mark.parametrize(("table", "words"), [
    ({"ignor": []}, "unknown setting diff.ignor"),
    ({"ignore": "status-changed"}, "diff.ignore must be a list"),
    ({"ignore": ["status-change"]}, "diff.ignore must be a list of change kinds"),
    ({"effect": ["x"]}, "diff.effect must be a table"),
    ({"effect": {"no-such-kind": "legal"}}, "unknown change kind 'no-such-kind'"),
    ({"effect": {"step-changed": "severe"}}, "diff.effect.step-changed must be one of"),
    ({"threshold": 0}, "between 0 and 1"),
    ({"threshold": 1.5}, "between 0 and 1"),
    ({"threshold": True}, "between 0 and 1"),
    ({"threshold": "0.8"}, "between 0 and 1"),
])
def test_mistakes_are_refused(table: dict[str, Any], words: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_diff_settings(table)
    assert words in caught.value.en
    assert caught.value.zh


def test_pyproject_table_reaches_the_config(tmp_path: Path) -> None:
    (tmp_path / "catalogue").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.svccat.diff]\nignore = ["status-changed"]\nthreshold = 0.85\n'
        '[tool.svccat.diff.effect]\n"hall-changed" = "burden-up"\n', encoding="utf-8")
    config = load_config(cwd=tmp_path)
    assert config.diff.ignore == {"status-changed"}
    assert config.diff.effects == {"hall-changed": Effect.BURDEN_UP}
    assert config.diff.threshold == 0.85


def test_a_mistake_in_the_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "catalogue").mkdir()
    (tmp_path / "svccat.toml").write_text('[diff]\nignore = ["nope"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(cwd=tmp_path)
    assert "svccat.toml" in caught.value.text.en and "diff.ignore" in caught.value.text.en
