"""The diff tests run git, and so does svccat: both get a clean, fixed git environment."""

from __future__ import annotations

import os

import pytest

from tests.diff.helpers import git_env


@pytest.fixture(autouse=True)
def _git_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """svccat runs git itself: give it the same clean environment as the tests' own calls."""
    for key in [k for k in os.environ if k.startswith("GIT_")]:
        monkeypatch.delenv(key)
    for key, value in git_env().items():
        if key.startswith("GIT_"):
            monkeypatch.setenv(key, value)
