"""examples/flawed: every problem code svccat knows fires, in the file named after it."""

from __future__ import annotations

from svccat.problems import CODES
from tests.conftest import REPO, lint_json

FLAWED = REPO / "examples" / "flawed"


def test_every_code_fires_in_its_own_file() -> None:
    code, report = lint_json(cwd=FLAWED)
    assert code == 1
    fired = {p["code"] for p in report["problems"]}
    assert fired == set(CODES)
    for p in report["problems"]:
        name = p["file"].rsplit("/", 1)[-1]
        if p["file"].startswith("items/") and p["code"] != "X009":
            assert name.startswith(p["code"].lower()), p


def test_line_numbers_point_at_the_mistake() -> None:
    _, report = lint_json(cwd=FLAWED)
    where = {(p["code"], p["file"]): (p["line"], p["column"], p["path"])
             for p in report["problems"]}
    assert where[("S002", "items/s002-unknown-key.yaml")] == (12, 1, "/handling_tpye")
    assert where[("X005", "items/x005-unknown-certificate.yaml")] == \
        (15, 18, "/materials/0/certificate")
    assert where[("Y010", "items/y010-duplicate-key.yaml")] == (12, 1, "/name")
    assert where[("X001", "registries/regions.yaml")] == (11, 11, "/regions/2/code")
    assert where[("X002", "registries/departments.yaml")] == (10, 13, "/departments/1/region")


def test_broken_files_do_not_stop_the_others() -> None:
    _, report = lint_json(cwd=FLAWED)
    # the valid items next to 36 broken files are still counted and checked
    assert report["summary"]["files"] == 37
    assert report["summary"]["items"] >= 20
