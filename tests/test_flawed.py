"""examples/flawed: every problem code svccat knows fires, in a file named after it."""

from __future__ import annotations

from typing import Any

import pytest

from svccat.lintconfig import known_codes
from tests.conftest import REPO, lint_json

FLAWED = REPO / "examples" / "flawed"
# Fires only with --baseline (tests/test_baseline.py); on a registry entry; or on registries.
ELSEWHERE = {"N004": None, "K004": "registries/regions.yaml"}


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    code, found = lint_json(cwd=FLAWED)
    assert code == 1
    return found


def test_every_code_fires(report: dict[str, Any]) -> None:
    fired = {p["code"] for p in report["problems"]}
    assert fired == set(known_codes()) - {"N004"}


def test_each_code_fires_in_the_file_named_after_it(report: dict[str, Any]) -> None:
    files: dict[str, set[str]] = {}
    for p in report["problems"]:
        files.setdefault(p["code"], set()).add(p["file"])
    for code in known_codes():
        if code in ELSEWHERE:
            if ELSEWHERE[code]:
                assert ELSEWHERE[code] in files[code]
            continue
        named = {f for f in files[code] if f.rsplit("/", 1)[-1].startswith(code.lower())}
        in_registry = {f for f in files[code] if f.startswith("registries/")}
        assert named or in_registry, (code, files[code])


def test_line_numbers_point_at_the_mistake(report: dict[str, Any]) -> None:
    where = {(p["code"], p["file"]): (p["line"], p["column"], p["path"])
             for p in report["problems"]}
    assert where[("S002", "items/s002-unknown-key.yaml")] == (12, 1, "/handling_tpye")
    assert where[("X005", "items/x005-unknown-certificate.yaml")] == \
        (14, 16, "/materials/0/certificate")
    assert where[("Y010", "items/y010-duplicate-key.yaml")] == (12, 1, "/name")
    assert where[("X001", "registries/regions.yaml")] == (11, 9, "/regions/2/code")
    assert where[("X002", "registries/departments.yaml")] == (10, 11, "/departments/1/region")


def test_broken_files_do_not_stop_the_others(report: dict[str, Any]) -> None:
    assert report["summary"]["files"] >= 37
    assert report["summary"]["items"] >= 20
