"""A broken or hostile settings file is exit 2 with the file and the key (issue #8).

tests/test_cli.py covers an unknown key, a text where a number belongs, an unknown language,
invalid TOML, unknown codes in lint.select and a lint table of the wrong type;
tests/test_lintconfig.py and tests/diff/test_settings.py every lint and diff setting. Here:
the rest, run as the command line runs them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.security.conftest import svccat

CASES = [
    # Settings files that are not TOML text: before the fix, both stopped with an
    # "internal error" (UnicodeDecodeError, RecursionError) instead of naming the file.
    (b'lang = "\xff\xfe"\n', "not UTF-8"),
    (b"\xff\xfe\x00l\x00a\x00n\x00g\x00", "not UTF-8"),
    (b"lang = " + b"[" * 50_000 + b"]" * 50_000 + b"\n", "nested too deep"),
    (b"x = " + b"{a=" * 5000 + b"1" + b"}" * 5000 + b"\n", "nested too deep"),
    # max_file_size out of range: before the fix a huge one stopped with an OverflowError.
    (b"max_file_size = 0\n", "max_file_size must be between 1 and"),
    (b"max_file_size = -5\n", "max_file_size must be between 1 and"),
    (b"max_file_size = 99999999999999999999999\n", "max_file_size must be between 1 and"),
    (b"max_file_size = 2147483648000\n", "max_file_size must be between 1 and"),
    (b"max_file_size = true\n", "setting 'max_file_size' must be an integer"),
    (b"max_file_size = 1.5\n", "setting 'max_file_size' must be an integer"),
    (b"catalogue = 5\n", "setting 'catalogue' must be text"),
    (b"lang = 5\n", "setting 'lang' must be text"),
    (b"diff = []\n", "setting 'diff' must be a table"),
    (b'[lint.severity]\nZZZ9 = "error"\n', "unknown code 'ZZZ9' in lint.severity"),
    (b'[lint]\nignore = ["G001", "Q999"]\n', "unknown code 'Q999' in lint.ignore"),
    (b'[lint]\nselect = "G"\n', "lint.select must be a list of codes"),
    (b'[lint.per-path-ignores]\n"items/*" = "G001"\n', "lint.per-path-ignores.items/* must be"),
    (b"[lint.options.G002]\nthreshold = 1e400\n", "lint.options.G002.threshold must be an integer"),
    (b"[diff]\nbogus = 1\n", "unknown setting diff.bogus"),
    (b'[diff]\nthreshold = "high"\n', "diff.threshold must be a number between 0 and 1"),
]


@pytest.mark.parametrize(("content", "message"), CASES, ids=[c[1][:40] for c in CASES])
def test_a_broken_settings_file_is_exit_2_naming_the_file_and_key(
        project: Path, content: bytes, message: str) -> None:
    (project / "svccat.toml").write_bytes(content)
    for command in (["lint"], ["build", "--out", "site"], ["diff", "370784", "370785"]):
        done = svccat(*command, "--lang", "en", cwd=project)
        done.assert_answered()
        assert done.code == 2 and done.stdout == "", (command, done.stderr)
        assert "svccat.toml" in done.stderr and message in done.stderr, done.stderr
    assert not (project / "site").exists()


def test_a_pyproject_whose_tool_svccat_is_not_a_table(project: Path) -> None:
    (project / "svccat.toml").unlink()
    (project / "pyproject.toml").write_text('[tool]\nsvccat = "catalogue"\n', encoding="utf-8")
    done = svccat("lint", "--lang", "en", cwd=project)
    done.assert_answered()
    assert done.code == 2 and "pyproject.toml: [tool.svccat] must be a table" in done.stderr
