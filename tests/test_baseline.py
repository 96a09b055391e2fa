"""Baselines: record today's problems, fail only on new ones, survive moved lines."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SMALL_ITEM, lint_json, run_svccat


def test_write_then_use_a_baseline(small: Path) -> None:
    done = run_svccat("lint", "--write-baseline", "svccat-baseline.json", cwd=small)
    assert done.returncode == 0 and "3" in done.stderr
    recorded = json.loads((small / "svccat-baseline.json").read_text(encoding="utf-8"))
    assert recorded["version"] == 1
    assert {(e["subject"], e["code"], e["path"]) for e in recorded["problems"]} == {
        ("370784-sfz", "G001", "/name"), ("370784-sfz", "L001", "/legal_basis"),
        ("370784-sfz", "H008", "/handling_type")}
    code, report = lint_json("--baseline", "svccat-baseline.json", cwd=small)
    assert (code, report["problems"]) == (0, [])


def test_moving_lines_keeps_the_baseline_valid(small: Path) -> None:
    run_svccat("lint", "--write-baseline", "b.json", cwd=small)
    item = small / "catalogue/items/370784-sfz.yaml"
    moved = SMALL_ITEM.replace("tier: main\n", "").replace("status: draft\n",
                                                          "status: draft\n\n\ntier: main\n")
    item.write_text("# 新增的注释\n\n" + moved, encoding="utf-8")
    code, report = lint_json("--baseline", "b.json", cwd=small)
    assert (code, report["problems"]) == (0, [])


def test_new_problems_fail_and_fixed_ones_are_stale(small: Path) -> None:
    run_svccat("lint", "--write-baseline", "b.json", cwd=small)
    item = small / "catalogue/items/370784-sfz.yaml"
    text = SMALL_ITEM.replace("居民身份证补领、换领", "居民身份证补领")  # fixes G001
    (small / "catalogue/items/370784-x.yaml").write_text(
        SMALL_ITEM.replace("370784-sfz", "370784-x"), encoding="utf-8")  # three new problems
    item.write_text(text, encoding="utf-8")
    code, report = lint_json("--baseline", "b.json", cwd=small)
    assert code == 1
    got = sorted((p["code"], p["file"].rsplit("/", 1)[-1]) for p in report["problems"])
    assert got == [("G001", "370784-x.yaml"), ("H008", "370784-x.yaml"),
                   ("L001", "370784-x.yaml"), ("N004", "b.json")]
    stale = next(p for p in report["problems"] if p["code"] == "N004")
    assert "G001" in stale["message"] and stale["severity"] == "info"


def test_broken_or_missing_baseline_is_a_usage_error(small: Path) -> None:
    assert run_svccat("lint", "--baseline", "nope.json", cwd=small).returncode == 2
    (small / "bad.json").write_text("{not json", encoding="utf-8")
    done = run_svccat("lint", "--baseline", "bad.json", "--lang", "en", cwd=small)
    assert done.returncode == 2 and "not valid JSON" in done.stderr
    (small / "shape.json").write_text('{"version": 1, "problems": [{"code": 1}]}', encoding="utf-8")
    done = run_svccat("lint", "--baseline", "shape.json", "--lang", "en", cwd=small)
    assert done.returncode == 2 and "wrong shape" in done.stderr
