"""The diff reporters: Markdown against a golden file and under GitHub's comment limit on a
large diff, JSON fingerprints that survive different histories, HTML that escapes hostile
text, and the text report.

The golden file tests/cases/diff/golden.md is regenerated only on purpose:
    SVCCAT_REGENERATE_GOLDEN=1 python -m pytest tests/diff/test_report.py -k golden
then read the change to it before committing.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from svccat.config import Config
from svccat.diff import FORMATS, report
from svccat.diff.compare import CatalogueDiff, DiffSettings, diff_catalogues
from svccat.diff.kinds import EFFECT_LABELS, KINDS, Effect
from svccat.diff.matrix import consistency_matrix
from svccat.diff.report import (
    DIFF_REPORTERS,
    GITHUB_COMMENT_LIMIT,
    HtmlDiffReporter,
    JsonDiffReporter,
    MarkdownDiffReporter,
    TextDiffReporter,
    describe,
)
from svccat.diff.run import Request, compare
from svccat.model import Catalogue, item_from_data
from tests.diff.helpers import (
    BASE_ID,
    DIFF_CASES,
    commit_all,
    init_repo,
    item,
    load_valid,
    write_catalogue,
)

GOLDEN = DIFF_CASES / "golden.md"
HOSTILE = "<script>alert('清单')</script>"


def _diff(tmp_path: Path, old: list[dict[str, Any]], new: list[dict[str, Any]], *,
          labels: tuple[str, str] = ("v1", "v2")) -> CatalogueDiff:
    a = load_valid(write_catalogue(tmp_path / "old", old))
    b = load_valid(write_catalogue(tmp_path / "new", new))
    return diff_catalogues(a, b, old_label=labels[0], new_label=labels[1], settings=DiffSettings())


WELFARE = {"id": "370784-mz-tkry", "name": "特困人员认定", "department": "370784-mzj",
           "codes": None, "fees": None}


def _small(tmp_path: Path) -> CatalogueDiff:
    """A fixed diff touching two departments and each effect."""
    old = [item({}), item(WELFARE),
           item({"id": "370784-ga-swzx", "name": "死亡注销户口", "codes": None})]
    new = [item({"name": "居民身份证补领|换领", "committed_limit": {"days": 30, "unit": "工作日"},
                 "materials/-": {"name": "居住证", "necessity": "必要"},
                 "fees/0/standard": "每证 10 元", "status": "published"}),
           item({**WELFARE, "materials/1/commitment": True,
                 "legal_basis/implementing/-": {"document": "sd-notice"}}),
           item({"id": "370784-ga-csdj", "name": "出生登记", "codes": None})]
    return _diff(tmp_path, old, new)


# --- Markdown ------------------------------------------------------------------------------

def test_markdown_matches_the_golden_file(tmp_path: Path) -> None:
    text = MarkdownDiffReporter(lang="zh").render(_small(tmp_path))
    if os.environ.get("SVCCAT_REGENERATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), (
        "Markdown output changed; if on purpose, regenerate tests/cases/diff/golden.md "
        "(see this file's docstring) and review the difference")


def test_markdown_summary_comes_first_and_escapes_table_cells(tmp_path: Path) -> None:
    text = MarkdownDiffReporter(lang="zh").render(_small(tmp_path))
    lines = text.splitlines()
    assert lines[0] == "### svccat diff：v1 → v2"
    assert lines[2] == "| 群众负担增加 | 法律依据变化 | 结构变化 | 群众负担减轻 | 文字调整 |"
    assert lines[4] == "| 2 | 1 | 2 | 2 | 2 |"
    assert "居民身份证补领\\|换领" in text and "补领|换领" not in text
    rows = [line for line in lines if line.startswith("| ") and "`" in line]
    assert rows[0].startswith("| 群众负担增加 |")
    assert len(rows) == 9 and "<details>" not in text  # small: everything shown, nothing folded


def test_markdown_in_english(tmp_path: Path) -> None:
    text = MarkdownDiffReporter(lang="en").render(_small(tmp_path))
    assert text.startswith("### svccat diff: v1 → v2\n")
    assert "| Burden up | Legal | Structure | Burden down | Editorial |" in text
    assert "| Burden up | `370784-ga-sfz-bl` | Time limit longer: committed_limit: 20 工作日 → " \
           "30 工作日 |" in text


def test_markdown_without_changes(tmp_path: Path) -> None:
    diff = _diff(tmp_path, [item({})], [item({})])
    assert MarkdownDiffReporter(lang="zh").render(diff) == "### svccat diff：v1 → v2\n\n没有差异。\n"
    assert MarkdownDiffReporter(lang="en").render(diff).endswith("No differences.\n")


def _big(registries: Catalogue, count: int, *, changed: bool, hall: int = 0) -> Catalogue:
    """A catalogue of count generated items, built in memory (writing and parsing thousands
    of files would only slow the suite; the comparison and the report are the same). When
    changed: with hall=0, each item's limit, status and (every third) name differ, so changes
    of several effects interleave; with hall=N, only the hall's address differs, N long."""
    documents: list[dict[str, Any]] = []
    for n in range(count):
        if hall:
            days, name, status = 5, f"测试事项{n:04d}", "draft"
            address = "公安派出所户籍室" + ("新" if changed else "旧") + "址" * hall
        else:
            days = (10 if n % 2 else 3) if changed else 5
            name = f"测试事项{n:04d}" + ("（新）" if changed and n % 3 == 0 else "")
            status, address = "published" if changed else "draft", "大厅"
        documents.append({
            "id": f"370784-t-{n:04d}", "name": name, "type": "行政确认", "region": "370784",
            "department": "370784-gaj" if n % 2 else "370784-mzj", "tier": "main",
            "status": status, "committed_limit": {"days": days, "unit": "工作日"},
            "channels": {"halls": [{"name": "窗口", "address": address}]}})
    items = {str(d["id"]): item_from_data(d, f"items/{d['id']}.yaml") for d in documents}
    return replace(registries, items=items)


def _rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"^\| [^|]+ \| `", line)]


def test_a_large_diff_stays_under_the_comment_limit(tmp_path: Path) -> None:
    registries = load_valid(write_catalogue(tmp_path / "registries", []))
    old, new = _big(registries, 2000, changed=False), _big(registries, 2000, changed=True)
    diff = diff_catalogues(old, new, old_label="main", new_label="HEAD", settings=DiffSettings())
    assert len(diff.changes) > 4000
    for lang, note in (("zh", r"另有 (\d+) 项变化未显示"), ("en", r"(\d+) more changes are not shown")):
        text = MarkdownDiffReporter(lang=lang).render(diff)
        assert len(text) < GITHUB_COMMENT_LIMIT
        lines = text.splitlines()
        assert lines[4] == "| 1000 | 0 | 0 | 1000 | " + str(2000 + 667) + " |"  # summary first
        rows = _rows(text)
        first_effects = [r.split(" | ")[0][2:] for r in rows[:report.SHOWN_FIRST]]
        up = EFFECT_LABELS[Effect.BURDEN_UP].get(lang)
        assert first_effects == [up] * report.SHOWN_FIRST  # burden up first
        assert text.index("<details>") > text.index(rows[report.SHOWN_FIRST - 1])
        summaries = re.findall(r"<details><summary>([^<]+)</summary>", text)
        assert summaries[0].startswith(up)  # the first folded group is burden up again
        found = re.search(note, text)
        assert found, text[-500:]
        assert len(rows) + int(found.group(1)) == len(diff.changes)
        assert text.rstrip().endswith("`--format json` 输出。" if lang == "zh" else "output.")


def test_long_rows_never_push_the_comment_over_the_limit(tmp_path: Path) -> None:
    """Hall addresses of hundreds of characters: even the first rows are kept in budget."""
    registries = load_valid(write_catalogue(tmp_path / "registries", []))
    old = _big(registries, 60, changed=False, hall=1200)
    new = _big(registries, 60, changed=True, hall=1200)
    diff = diff_catalogues(old, new, old_label="main", new_label="HEAD", settings=DiffSettings())
    assert [c.kind for c in diff.changes] == ["hall-changed"] * 60
    text = MarkdownDiffReporter(lang="zh").render(diff)
    assert len(text) < GITHUB_COMMENT_LIMIT
    rows = _rows(text)
    assert rows and all(len(r) > 2400 for r in rows)
    found = re.search(r"另有 (\d+) 项变化未显示", text)
    assert found and len(rows) + int(found.group(1)) == len(diff.changes)


def test_markdown_matrix_escapes_cells_and_names(tmp_path: Path) -> None:
    baseline = item({"id": "370000-ga-sfz-bl", "name": "补领|换领", "region": "370000",
                     "department": "370000-gat", "codes": None, "implementing_levels": ["county"]})
    county = item({"implements": "370000-ga-sfz-bl", "name": "补领|换领（县）"})
    cat = load_valid(write_catalogue(tmp_path / "c", [baseline, county]))
    text = MarkdownDiffReporter(lang="zh").render_matrix(consistency_matrix(cat, ["370784",
                                                                                 "370785"]))
    assert text.splitlines()[0] == "| 基本目录事项 | 安丘市 | 高密市 |"
    assert text.splitlines()[2] == "| 补领\\|换领 | ≠ 不一致 名称：补领\\|换领（县） | ✗ 缺少 |"


# --- JSON ------------------------------------------------------------------------------------

def test_json_has_summary_matches_and_a_fingerprint_per_change(tmp_path: Path) -> None:
    diff = _small(tmp_path)
    payload = json.loads(JsonDiffReporter(lang="zh").render(diff))
    assert (payload["old"], payload["new"]) == ("v1", "v2")
    assert payload["summary"] == {"burden-up": 2, "legal": 1, "structure": 2, "burden-down": 2,
                                  "editorial": 2}
    assert payload["departments"] == {
        "公安": {"burden-up": 2, "legal": 0, "structure": 2, "burden-down": 1, "editorial": 2},
        "民政": {"burden-up": 0, "legal": 1, "structure": 0, "burden-down": 1, "editorial": 0}}
    assert {(m["old"], m["new"], m["how"]) for m in payload["matches"]} == {
        (BASE_ID, BASE_ID, "key"), ("370784-mz-tkry", "370784-mz-tkry", "key"),
        (None, "370784-ga-csdj", None), ("370784-ga-swzx", None, None)}
    changes = payload["changes"]
    assert len(changes) == len(diff.changes) == 9
    assert len({c["fingerprint"] for c in changes}) == 9
    assert all(re.fullmatch(r"[0-9a-f]{24}", c["fingerprint"]) for c in changes)
    assert [c["effect"] for c in changes] == [c.effect.value for c in diff.ordered()]
    first = changes[0]
    assert set(first) == {"fingerprint", "kind", "effect", "item", "old_item", "new_item",
                          "department", "field", "before", "after", "note", "message"}
    assert first["kind"] in KINDS and first["message"] == describe(diff.ordered()[0], "zh")


def _history(repo: Path, extra: list[dict[str, Any]], noise: str) -> tuple[str, str]:
    """Two commits: the base item (plus other items), then its limit raised to 30 days."""
    init_repo(repo)
    write_catalogue(repo / "catalogue", [item({}), *[item(e) for e in extra]])
    (repo / "NOTES.md").write_text(noise, encoding="utf-8")
    first = commit_all(repo, f"base {noise}")
    write_catalogue(repo / "catalogue", [item({"committed_limit": {"days": 30, "unit": "工作日"}}),
                                         *[item({**e, "status": "published"}) for e in extra]])
    second = commit_all(repo, f"limit {noise}")
    return first, second


def test_the_same_change_in_two_histories_has_the_same_fingerprint(tmp_path: Path) -> None:
    one = tmp_path / "one"
    two = tmp_path / "two"
    a = _history(one, [], "first history")
    b = _history(two, [{"id": "370784-ga-csdj", "name": "出生登记"}], "second history, other files")
    assert a != b  # different commits
    payloads = []
    for repo, (first, second) in ((one, a), (two, b)):
        found = compare(Config(catalogue=repo / "catalogue"), Request((f"{first}..{second}",)))
        assert isinstance(found, CatalogueDiff)
        payloads.append(json.loads(JsonDiffReporter(lang="zh").render(found)))
    limit = [{c["kind"]: c["fingerprint"] for c in p["changes"] if c["item"] == BASE_ID}
             for p in payloads]
    assert limit[0] == limit[1] and set(limit[0]) == {"limit-longer"}
    assert {c["kind"] for c in payloads[1]["changes"]} == {"limit-longer", "status-changed"}
    # The labels (commit ids) differ; the fingerprint does not depend on them.
    assert payloads[0]["old"] != payloads[1]["old"]


def test_json_matrix(tmp_path: Path) -> None:
    baseline = item({"id": "370000-ga-sfz-bl", "region": "370000", "department": "370000-gat",
                     "codes": None, "implementing_levels": ["county"]})
    cat = load_valid(write_catalogue(tmp_path / "c", [baseline, item({"implements":
                                                                      "370000-ga-sfz-bl"})]))
    payload = json.loads(JsonDiffReporter(lang="zh").render_matrix(
        consistency_matrix(cat, ["370784", "370785"])))
    assert payload == {"regions": [{"code": "370784", "name": "安丘市"},
                                   {"code": "370785", "name": "高密市"}],
                       "rows": [{"baseline": "370000-ga-sfz-bl", "name": "居民身份证补领",
                                 "cells": [{"state": "implemented", "item": BASE_ID, "notes": []},
                                           {"state": "missing", "item": None, "notes": []}]}]}


# --- HTML ------------------------------------------------------------------------------------

def test_html_page_has_lang_and_escapes_hostile_text(tmp_path: Path) -> None:
    diff = _diff(tmp_path, [item({})], [item({"name": HOSTILE, "status": "published"})],
                 labels=("<b>old</b>", "new&"))
    for lang, tag in (("zh", '<html lang="zh-CN">'), ("en", '<html lang="en">')):
        page = HtmlDiffReporter(lang=lang).render(diff)
        assert page.startswith("<!DOCTYPE html>\n" + tag)
        assert "&lt;script&gt;alert(&#x27;清单&#x27;)&lt;/script&gt;" in page
        assert "<script" not in page.lower() and "<b>old" not in page
        assert "&lt;b&gt;old&lt;/b&gt;" in page and "new&amp;" in page
        assert "default-src 'none'" in page  # and a policy that would not run a script anyway
        assert '<tr class="editorial">' in page


def test_html_matrix_escapes_names(tmp_path: Path) -> None:
    baseline = item({"id": "370000-ga-sfz-bl", "name": HOSTILE, "region": "370000",
                     "department": "370000-gat", "codes": None, "implementing_levels": ["county"]})
    county = item({"implements": "370000-ga-sfz-bl", "name": "<img src=x onerror=alert(1)>"})
    cat = load_valid(write_catalogue(tmp_path / "c", [baseline, county]))
    page = HtmlDiffReporter(lang="zh").render_matrix(consistency_matrix(cat, ["370784",
                                                                               "370785"]))
    assert '<html lang="zh-CN">' in page and "<title>一致性矩阵</title>" in page
    assert "<script" not in page.lower() and "<img" not in page
    assert "&lt;script&gt;" in page and "名称：&lt;img src=x onerror=alert(1)&gt;" in page
    assert '<td class="deviating">' in page and '<td class="missing">' in page


# --- text ------------------------------------------------------------------------------------

def test_text_report(tmp_path: Path) -> None:
    diff = _small(tmp_path)
    text = TextDiffReporter(lang="zh").render(diff)
    lines = text.splitlines()
    assert lines[0] == "v1 → v2"
    assert lines[1] == "群众负担增加 2  法律依据变化 1  结构变化 2  群众负担减轻 2  文字调整 2"
    assert "\x1b[" not in text
    assert "  [群众负担增加] 时限延长：committed_limit：20 工作日 → 30 工作日" in lines
    colored = TextDiffReporter(lang="zh", color=True).render(diff)
    assert "\x1b[" in colored
    empty = _diff(tmp_path / "empty", [item({})], [item({})])
    assert TextDiffReporter(lang="en").render(empty).rstrip().endswith("no differences")


def test_text_shows_brackets_in_names_as_written(tmp_path: Path) -> None:
    """Rich would read "[bold]" or "[/x]" as markup: names are printed as plain text."""
    odd = "居民身份证[补领] [bold]加急[/bold] [/x]"
    diff = _diff(tmp_path, [item({})], [item({"name": odd})])
    assert odd in TextDiffReporter(lang="zh").render(diff)
    baseline = item({"id": "370000-ga-sfz-bl", "name": odd, "region": "370000",
                     "department": "370000-gat", "codes": None, "implementing_levels": ["county"]})
    cat = load_valid(write_catalogue(tmp_path / "c", [baseline, item({"implements":
                                                                      "370000-ga-sfz-bl"})]))
    table = TextDiffReporter(lang="zh").render_matrix(consistency_matrix(cat, ["370784",
                                                                               "370785"]))
    assert "[/x]" in table and "[bold]" in table and "名称：居民身份证补领" in table


def test_describe_in_both_languages(tmp_path: Path) -> None:
    diff = _diff(tmp_path, [item({})], [item({"id": "370784-ga-sfz-bb",
                                                "name": "居民身份证补领申请"})])
    match = next(c for c in diff.changes if c.kind == "item-probable-match")
    assert describe(match, "zh") == ("按名称相似度匹配：name：居民身份证补领 → 居民身份证补领申请"
                                     "（相似度 0.88）")
    assert describe(match, "en") == ("Matched by name similarity: name: 居民身份证补领 → "
                                     "居民身份证补领申请 (similarity 0.88)")


def test_every_reporter_is_reachable_by_name() -> None:
    assert set(DIFF_REPORTERS) == {"text", "markdown", "json", "html"}


@pytest.mark.parametrize("name", sorted(DIFF_REPORTERS))
def test_every_reporter_renders_an_empty_diff(name: str, tmp_path: Path) -> None:
    empty = _diff(tmp_path, [], [])
    assert DIFF_REPORTERS[name](lang="en").render(empty)


def test_the_command_line_knows_every_format() -> None:
    """The help of `svccat diff --format` names the reporters without importing them."""
    assert tuple(DIFF_REPORTERS) == FORMATS
