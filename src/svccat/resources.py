"""Where the bundled schemas and templates are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    # A wheel carries the folders inside the package; a source checkout (editable install,
    # tests) has them at the top of the repository, which is their one true copy.
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parents[1] / name


def schemas_dir() -> Path:
    return _bundled("schemas")


def templates_dir() -> Path:
    return _bundled("templates")
