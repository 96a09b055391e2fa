"""svccat fmt: case files in → out, the sample unchanged in data, --check and exit codes."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from svccat.catalogue import discover
from svccat.fmt import format_file, format_text
from svccat.loader import load_file, load_text
from svccat.schema import Kind
from tests.conftest import CASES, REPO, lint_json, run_svccat

FMT_CASES = CASES / "fmt"
INPUTS = sorted(FMT_CASES.glob("*.in.yaml"))
FLAWED = REPO / "examples" / "flawed"


def _kind(case: Path) -> Kind:
    """regions-*.in.yaml is a regions registry, and so on; anything else is an item."""
    return next((k for k in Kind if k is not Kind.ITEM and case.name.startswith(f"{k.value}-")),
                Kind.ITEM)


def _data(text: str) -> Any:
    loaded = load_text(text, "t.yaml")
    assert loaded.document is not None and not loaded.problems, loaded.problems
    return loaded.document.data


@pytest.mark.parametrize("case", INPUTS, ids=lambda p: p.name.removesuffix(".in.yaml"))
def test_case_formats_to_its_expected_text(case: Path) -> None:
    expected = case.with_name(case.name.replace(".in.", ".out.")).read_text(encoding="utf-8")
    given = case.read_text(encoding="utf-8")
    assert given != expected  # each case has something to do
    formatted = format_text(given, _kind(case))
    assert formatted.text == expected
    assert _data(expected) == _data(given)
    assert format_text(expected, _kind(case)).text == expected  # idempotent


def test_quoting_rule() -> None:
    out = (FMT_CASES / "quoting.out.yaml").read_text(encoding="utf-8")
    for line in ('region: "370784"', 'window: "0755"', 'hours: "8:30"', '- "no"', '- "on"',
                 '- "2023-05-10"', 'date: "2023-05-18"', 'consultation: ["0536-4396110", 12345',
                 'codes: {basic: "370000GA0300", handling: "370784GA0300-bl"}',
                 "name: 居民身份证补领", "reviewer: 安丘市司法局", "department: 370784-gaj",
                 "- 本人：到场", '- "a: b"', 'phone: "1e3"'):
        assert line in out, line
    # A plain yes where the schema wants a boolean is the editor's slip: lint says so, and
    # fmt leaves it plain rather than dress it up as deliberate text.
    assert "data_sharing: yes\n" in out
    assert 'commitment: "no"\n' in out


def test_comments_stay_with_their_lines() -> None:
    out = (FMT_CASES / "comments.out.yaml").read_text(encoding="utf-8").split("\n")
    assert out[0].startswith("# yaml-language-server: $schema=")
    assert out[1] == "# svccat: disable=G001 -- 省定名称，年底前拆分"  # still above the first key
    moved = out.index("# 状态：草稿（写在这里，fmt 把它和这条注释一起挪到模式规定的位置）")
    assert out[moved + 1] == "status: draft  # 待合法性审查"
    assert out[out.index("handling_type: 即办件") - 1].startswith("# svccat: disable=H008 --")
    assert out[out.index("  - name: 各公安派出所户籍室") - 1] == \
        "  # svccat: disable=Q002 -- 各派出所窗口随排班调整"
    assert out[-2] == "# 文件末尾的注释 / a comment at the end"


def test_suppressions_reach_the_same_lines() -> None:
    from svccat import suppress

    for name in ("comments", "regions-registry"):
        given = (FMT_CASES / f"{name}.in.yaml").read_text(encoding="utf-8")
        out = (FMT_CASES / f"{name}.out.yaml").read_text(encoding="utf-8")

        def targets(text: str) -> list[tuple[tuple[str, ...], str]]:
            lines = text.split("\n")
            return sorted((s.codes, "file" if s.target == suppress.WHOLE_FILE
                           else lines[s.target - 1].strip()) for s in suppress.parse(text))

        assert targets(given) == targets(out)


def test_a_reorder_that_would_move_a_suppression_leaves_the_file_alone() -> None:
    given = ("name: 居民身份证补领  # svccat: disable=G001 -- 省定名称\n"
             "id: 370784-sfz\ntype: 行政确认\nregion: \"370784\"\ndepartment: 370784-gaj\n"
             "tier: main\nstatus: draft\n")
    formatted = format_text(given, Kind.ITEM)
    assert formatted.text is None
    assert formatted.refusal is not None and "suppression" in formatted.refusal.en


@pytest.mark.parametrize(("text", "code"), [
    ((FMT_CASES / "broken-duplicate-key.yaml").read_text(encoding="utf-8"), "Y010"),
    ((FMT_CASES / "broken-syntax.yaml").read_text(encoding="utf-8"), "Y001"),
])
def test_a_file_that_does_not_load_cleanly_is_not_formatted(text: str, code: str) -> None:
    formatted = format_text(text, Kind.ITEM)
    assert formatted.text is None
    assert [p.code for p in formatted.problems] == [code]


def _sample_files() -> list[Any]:
    found = []
    for root in (REPO / "catalogue", FLAWED):
        files, _ = discover(root)
        found.extend(f for f in files if f.kind is not None and not f.path.is_symlink())
    return found


def test_formatting_the_sample_changes_no_data(tmp_path: Path) -> None:
    """Every sample file, formatted, loads to the same data; the sample is already formatted
    (svccat fmt --check passes); broken files are exactly the deliberately broken y* ones."""
    broken = []
    for source in _sample_files():
        formatted = format_file(source, max_size=65536)
        if formatted.text is None:
            broken.append(source.path.name)
            continue
        before = load_file(source.path, source.file)
        target = tmp_path / "formatted.yaml"
        target.write_text(formatted.text, encoding="utf-8")
        after = load_file(target, source.file)
        assert before.document is not None and after.document is not None
        assert after.document.data == before.document.data, source.file
        assert after.document.plain_text == before.document.plain_text, source.file
        assert formatted.text == source.path.read_text(encoding="utf-8"), source.file
    assert broken and all(re.fullmatch(r"y\d{3}-.*\.yaml", name) for name in broken), broken


def test_fmt_check_passes_on_the_sample_catalogue() -> None:
    done = run_svccat("fmt", "--check", cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""


def _deformat(text: str) -> str:
    """Undo what fmt does, the way editors do: single quotes, indented lists, status moved up."""
    text = re.sub(r': "([0-9-]+)"$', r": '\1'", text, flags=re.MULTILINE)
    lines = text.split("\n")
    status = next((i for i, line in enumerate(lines) if re.fullmatch(r"status: [a-z_]+", line)),
                  None)
    if status is not None and lines[0].startswith("# yaml") and lines[1].startswith("id:"):
        lines.insert(2, lines.pop(status))
    for i, line in enumerate(lines):  # top-level lists of scalars: `  - x` under their key
        if line.startswith("- ") and i and lines[i - 1].endswith(":") and ": " not in line \
                and not lines[i - 1].startswith(" "):
            j = i
            while j < len(lines) and lines[j].startswith("- "):
                lines[j] = "  " + lines[j]
                j += 1
    return "\n".join(lines)


def test_flawed_examples_keep_their_problems(tmp_path: Path) -> None:
    """De-formatted flawed examples format back to the committed files, and lint finds the
    same problems in both (plain yes, duplicate keys and the like stay as they are)."""
    copy = tmp_path / "flawed"
    shutil.copytree(FLAWED, copy, symlinks=True)
    changed = 0
    for path in sorted((copy / "items").glob("[a-x]*.yaml")) + sorted(
            (copy / "registries").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        messy = _deformat(text)
        if messy != text:
            path.write_text(messy, encoding="utf-8")
            changed += 1
    assert changed > 40
    code, before = lint_json(cwd=copy)
    assert code == 1
    done = run_svccat("fmt", cwd=copy)
    assert done.returncode == 1  # the y* files cannot be formatted
    assert re.search(r"y010-duplicate-key\.yaml:12:1: .*Y010", done.stdout)
    _, after = lint_json(cwd=copy)
    for path in sorted(copy.rglob("*.yaml")):
        if not path.is_symlink():
            original = FLAWED / path.relative_to(copy)
            assert path.read_bytes() == original.read_bytes(), path.name

    def found(report: dict[str, Any]) -> list[tuple[str, str, str]]:
        return sorted((p["code"], p["file"], p["path"]) for p in report["problems"])

    assert found(after) == found(before)
    assert "data_sharing: yes\n" in (copy / "items" / "s003-wrong-type.yaml").read_text("utf-8")


# --- the command ---------------------------------------------------------------------------

MESSY = (FMT_CASES / "indentation.in.yaml").read_text(encoding="utf-8")
TIDY = (FMT_CASES / "indentation.out.yaml").read_text(encoding="utf-8")


@pytest.fixture
def project(write: Any) -> Path:
    return write({"catalogue/items/370784/370784-lqzm.yaml": MESSY,
                  "catalogue/items/370784/370784-tidy.yaml": TIDY,
                  "catalogue/registries/notes.yaml": "not: [a registry\n"})


def test_check_lists_the_files_that_would_change_and_writes_nothing(project: Path) -> None:
    messy = project / "catalogue/items/370784/370784-lqzm.yaml"
    done = run_svccat("fmt", "--check", "--lang", "en", cwd=project)
    assert done.returncode == 1
    assert done.stdout == "catalogue/items/370784/370784-lqzm.yaml: would reformat\n"
    assert "2 files: 1 would be reformatted, 0 could not be formatted" in done.stderr
    assert messy.read_text(encoding="utf-8") == MESSY


def test_fmt_rewrites_only_what_changes_and_keeps_the_mode(project: Path) -> None:
    messy = project / "catalogue/items/370784/370784-lqzm.yaml"
    tidy = project / "catalogue/items/370784/370784-tidy.yaml"
    messy.chmod(0o664)
    os.utime(tidy, (1_000_000_000, 1_000_000_000))
    done = run_svccat("fmt", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "catalogue/items/370784/370784-lqzm.yaml: 已格式化\n"
    assert messy.read_text(encoding="utf-8") == TIDY
    assert messy.stat().st_mode & 0o777 == 0o664
    assert tidy.stat().st_mtime == 1_000_000_000  # untouched, not rewritten the same
    assert not [p for p in messy.parent.iterdir() if p.name.startswith(".")]
    again = run_svccat("fmt", "--check", cwd=project)
    assert (again.returncode, again.stdout) == (0, "")


def test_a_broken_file_is_reported_with_its_line_and_left_alone(write: Any) -> None:
    broken = (FMT_CASES / "broken-duplicate-key.yaml").read_text(encoding="utf-8")
    project = write({"catalogue/items/370784-cf.yaml": broken,
                     "catalogue/items/370784-lqzm.yaml": MESSY})
    for args in (["--check"], []):
        done = run_svccat("fmt", *args, "--lang", "en", cwd=project)
        assert done.returncode == 1
        assert re.search(r"^catalogue/items/370784-cf\.yaml:4:1: cannot format: Y010 duplicate "
                         r"key 'name'", done.stdout, re.MULTILINE)
        assert (project / "catalogue/items/370784-cf.yaml").read_text(encoding="utf-8") == broken


def test_paths_narrow_the_run_and_must_be_inside_the_catalogue(project: Path) -> None:
    messy = project / "catalogue/items/370784/370784-lqzm.yaml"
    done = run_svccat("fmt", "catalogue/items/370784/370784-tidy.yaml", cwd=project)
    assert (done.returncode, done.stdout) == (0, "")
    assert messy.read_text(encoding="utf-8") == MESSY
    done = run_svccat("fmt", "--check", "catalogue/items", cwd=project)
    assert done.returncode == 1 and "370784-lqzm.yaml" in done.stdout
    (project / "elsewhere.yaml").write_text(MESSY, encoding="utf-8")
    outside = run_svccat("fmt", "elsewhere.yaml", cwd=project)
    assert outside.returncode == 2
    assert "不在目录" in outside.stderr
    missing = run_svccat("fmt", "catalogue/items/none.yaml", cwd=project)
    assert missing.returncode == 2


def test_pre_commit_hooks_are_defined() -> None:
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(
        encoding="utf-8"))}
    assert hooks["svccat-lint"]["entry"] == "svccat lint"
    assert hooks["svccat-fmt"]["entry"] == "svccat fmt"
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["pass_filenames"] is True
        assert re.search(hook["files"], "catalogue/items/370784/370784-sfz.yaml")
        assert re.search(hook["files"], "catalogue/registries/regions.yml")
        assert not re.search(hook["files"], ".pre-commit-config.yaml")
