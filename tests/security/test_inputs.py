"""Every hostile or broken input gets a clear answer (issue #8): a problem naming the file, with
its line where there is one; the other files are still checked; the exit code is 0, 1 or 2;
never a traceback, a hang, or a byte read from outside the catalogue.

One test per class of input. Each runs `svccat lint` in this process over a small catalogue
that also holds one item with a known problem (X003, an unknown department): seeing that
problem proves the rest of the catalogue was still checked.
"""

from __future__ import annotations

import copy
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from svccat.loader import load_text
from svccat.schema import Kind, validate
from tests.conftest import SHARED
from tests.security.conftest import Outcome, snapshot, svccat
from tests.site.small import ITEMS

SUITE_ERRORS = SHARED / "vendor" / "yaml-test-suite" / "error"
SENTINEL = "catalogue/items/370784/370784-sentinel.yaml"
SENTINEL_ITEM = """\
id: 370784-sentinel
name: 引用未知部门的事项
type: 公共服务
region: "370784"
department: 370784-nobody
tier: main
status: draft
"""
FULL_ITEM: dict[str, Any] = yaml.safe_load(ITEMS["370784/370784-sfz-sl.yaml"])


def lint(project: Path, *args: str) -> tuple[Outcome, list[dict[str, Any]]]:
    """`svccat lint --format json` with the sentinel item in place; the outcome and problems."""
    sentinel = project / SENTINEL
    sentinel.parent.mkdir(parents=True, exist_ok=True)
    sentinel.write_text(SENTINEL_ITEM, encoding="utf-8")
    done = svccat("lint", "--format", "json", "--lang", "en", *args, cwd=project)
    done.assert_answered()
    problems: list[dict[str, Any]] = done.json()["problems"]
    assert ("X003", SENTINEL) in {(p["code"], p["file"]) for p in problems}, \
        "the other files were not checked"
    return done, problems


def by_file(problems: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for p in problems:
        found.setdefault(p["file"], []).append(p)
    return found


# YAML that no parser accepts ------------------------------------------------------------

@pytest.mark.skipif(not SUITE_ERRORS.is_dir(), reason="../shared/vendor/yaml-test-suite absent")
def test_every_error_case_of_the_yaml_test_suite_is_a_problem_with_its_line(project: Path) -> None:
    """Protects: broken YAML is a Y problem at its line, and one broken file never stops the
    run (the loader turns every parser error into a value)."""
    folder = project / "catalogue" / "items" / "suite"
    folder.mkdir(parents=True)
    cases = sorted(SUITE_ERRORS.glob("*.yaml"))
    for case in cases:
        (folder / case.name).write_bytes(case.read_bytes())
    done, problems = lint(project)
    assert done.code == 1
    found = by_file(problems)
    for case in cases:
        mine = found.get(f"catalogue/items/suite/{case.name}", [])
        assert mine, f"{case.name}: no problem"
        assert any(p["code"].startswith("Y") for p in mine), (case.name, mine)
        assert all(p["line"] for p in mine if p["code"] in ("Y001", "Y002", "Y006")), mine


# Wrong types at every level --------------------------------------------------------------

def _pointers(node: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _pointers(value, (*here, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _pointers(value, (*here, index))


def _replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return copy.deepcopy(value)
    changed = copy.deepcopy(document)
    target = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = copy.deepcopy(value)
    return changed


def _wrong_values(original: Any) -> list[Any]:
    if isinstance(original, dict):
        return ["文本", 42, None, []]
    if isinstance(original, list):
        return ["文本", 42, None, {}]
    return [[], {"x": 1}, None, 42 if isinstance(original, str) else "文本"]


def test_wrong_types_at_every_level_of_an_item(project: Path) -> None:
    """Protects: a value of the wrong type anywhere in an item (the whole document, a
    mapping, a list, a scalar) is a schema problem at its line, not a crash in the model
    or the rules, which only ever see schema-valid items."""
    folder = project / "catalogue" / "items" / "variants"
    folder.mkdir(parents=True)
    structural: set[str] = set()
    count = 0
    for path in _pointers(FULL_ITEM):
        for value in _wrong_values(_get(FULL_ITEM, path)):
            count += 1
            ident = f"370784-sfz-sl-v{count}"
            document = _replaced(FULL_ITEM, path, value)
            if isinstance(document, dict) and path[:1] != ("id",):
                document["id"] = ident
            name = f"catalogue/items/variants/{ident}.yaml"
            (project / name).write_text(yaml.safe_dump(document, allow_unicode=True),
                                        encoding="utf-8")
            original = _get(FULL_ITEM, path)
            if isinstance(original, (dict, list)) != isinstance(value, (dict, list)):
                structural.add(name)
    assert count > 400
    done, problems = lint(project)
    assert done.code == 1
    found = by_file(problems)
    for name in sorted(structural):
        mine = [p for p in found.get(name, []) if p["severity"] == "error"]
        assert mine, f"{name}: a list or mapping swapped for a scalar (or back) went unnoticed"
        assert all(p["line"] for p in mine), mine


def _get(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


REGISTRY_FILES = {"regions": "regions.yaml", "departments": "departments.yaml",
                  "legal-documents": "legal-documents.yaml", "certificates": "certificates.yaml"}


def test_wrong_types_at_every_level_of_a_registry(project: Path) -> None:
    """Protects: a registry whose list is not a list (`departments: 5`, a text, a mapping) or
    whose entries have the wrong types is reported, and the rest is still checked. Before
    the fix, `departments: 5` stopped lint with "internal error: TypeError"."""
    registries = project / "catalogue" / "registries"
    count = 0
    for kind, file in REGISTRY_FILES.items():
        original = yaml.safe_load((registries / file).read_text(encoding="utf-8"))
        for path in _pointers(original):
            if not path:
                continue  # a registry that is not a mapping: the loader's Y007, tested above
            for value in _wrong_values(_get(original, path)):
                count += 1
                target = registries / kind / f"v{count}.yaml"  # registries/NAME/**/*.yaml
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(yaml.safe_dump(_replaced(original, path, value),
                                                 allow_unicode=True), encoding="utf-8")
    assert count > 200
    done, problems = lint(project)
    assert done.code == 1
    assert {p["code"] for p in problems} >= {"S003", "X001"}
    reported = by_file(problems)
    for kind in REGISTRY_FILES:
        variants = sorted((registries / kind).glob("v*.yaml"))
        assert variants and all(f"catalogue/registries/{kind}/{v.name}" in reported
                                for v in variants), kind


# Deep nesting, alias bombs, tags ---------------------------------------------------------

def test_deep_nesting_alias_bombs_and_tags(project: Path) -> None:
    """Protects: nesting is refused before libyaml's recursive composer overflows the C stack
    (100,000 levels would kill the process), aliases before they expand (a billion laughs
    would take the memory), and tags before PyYAML could build a Python object or run a
    command (`!!python/object/apply:os.system`)."""
    items = project / "catalogue" / "items" / "hostile"
    items.mkdir(parents=True)
    depth = 100_000
    (items / "flow.yaml").write_text("id: 370784-flow\nx: " + "[" * depth + "]" * depth + "\n")
    block = "".join(f"{'  ' * i}k{i}:\n" for i in range(80)) + "  " * 80 + "v: 1\n"
    (items / "block.yaml").write_text("id: 370784-block\n" + block)
    laughs = ["id: 370784-laughs", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol"]']
    laughs += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 12)]
    (items / "laughs.yaml").write_text("\n".join(laughs) + "\n")
    pwned = project / "pwned"
    (items / "tag.yaml").write_text(
        f'id: 370784-tag\nname: !!python/object/apply:os.system ["touch {pwned}"]\n')
    (items / "merge.yaml").write_text("id: 370784-merge\nbase: &b {x: 1}\nitem:\n  <<: *b\n")
    started = time.monotonic()
    done, problems = lint(project)
    assert time.monotonic() - started < 20
    found = {Path(p["file"]).name: (p["code"], p["line"]) for p in problems}
    assert found["flow.yaml"] == ("Y011", 2)
    assert found["block.yaml"][0] == "Y011"
    assert found["laughs.yaml"] == ("Y008", 3)
    assert found["tag.yaml"] == ("Y015", 2)
    assert found["merge.yaml"] == ("Y008", 4)
    assert not pwned.exists()
    assert done.code == 1


# Size --------------------------------------------------------------------------------------

def test_a_file_of_hundreds_of_megabytes_is_not_read(project: Path) -> None:
    """Protects: the size limit is checked before reading, so a 300 MB file (sparse here,
    so the test itself stays cheap) costs nothing: without the check svccat would read it
    whole and report its NUL bytes (Y012) after a long wait."""
    huge = project / "catalogue" / "items" / "huge.yaml"
    with open(huge, "wb") as handle:
        handle.truncate(300 * 1024 * 1024)
    over = project / "catalogue" / "items" / "over.yaml"
    over.write_text("id: 370784-over\nnote: " + "长" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
    started = time.monotonic()
    _, problems = lint(project)
    assert time.monotonic() - started < 10
    found = by_file(problems)
    assert [p["code"] for p in found["catalogue/items/huge.yaml"]] == ["Y009"]
    assert "314572800" in found["catalogue/items/huge.yaml"][0]["message"]
    assert [p["code"] for p in found["catalogue/items/over.yaml"]] == ["Y009"]


# Bytes that are not UTF-8 text ------------------------------------------------------------

ENCODED: dict[str, tuple[bytes, str, int | None]] = {
    "png.yaml": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Y012", 3),
    "random.yaml": (random.Random(8).randbytes(4096), "Y012", None),
    "nul.yaml": (b"id: 370784-nul\nname: a\x00b\n", "Y012", 2),
    "utf16le.yaml": ("id: 370784-u16\nname: 身份证\n".encode("utf-16-le"), "Y012", 1),
    "utf16-bom.yaml": ("id: 370784-u16\nname: 身份证\n".encode("utf-16"), "Y003", 1),
    "utf16be-bom.yaml": (b"\xfe\xff" + "id: x\n".encode("utf-16-be"), "Y003", 1),
    "utf32-bom.yaml": ("id: x\n".encode("utf-32"), "Y003", 1),
    "gbk.yaml": ("id: 370784-gbk\nname: 居民身份证\n".encode("gbk"), "Y003", 2),
    "gb18030.yaml": ("id: 370784-gb\nname: 居民身份证\n".encode("gb18030"), "Y003", 2),
    "big5.yaml": ("id: 370784-big5\nname: 居民身份證\n".encode("big5"), "Y003", 2),
    "latin1.yaml": ("id: 370784-l1\nname: café\n".encode("latin-1"), "Y003", 2),
    "overlong.yaml": (b"id: 370784-ol\nname: \xc0\xaf\n", "Y003", 2),
    "surrogate.yaml": (b"id: 370784-sg\nname: \xed\xa0\x80\n", "Y003", 2),
    "control.yaml": (b"id: 370784-bel\nname: a\x07b\n", "Y001", 2),
    "escape.yaml": (b"id: 370784-esc\nname: a\x1b[2Jb\n", "Y001", 2),
    # Files with an alias or over 10 kB are scanned event by event first: before the fix a
    # control character there stopped lint with "internal error: ReaderError".
    "control-alias.yaml": (b"id: 370784-ca\nname: a\x07b\nother: *x\n", "Y001", 2),
    "control-long.yaml": (b"id: 370784-cl\n" + b"note: abc\n" * 2000 + b"x: \x7f\n", "Y001",
                          2002),
}


def test_binary_files_nul_bytes_and_other_encodings(project: Path) -> None:
    """Protects: bytes are decoded strictly as UTF-8 before parsing: binary files, UTF-16 or
    UTF-32 (with or without a byte-order mark), GBK, GB 18030, Big5, Latin-1, overlong and
    surrogate sequences and control characters each give one clear problem at their line."""
    folder = project / "catalogue" / "items" / "bytes"
    folder.mkdir(parents=True)
    for name, (raw, _, _) in ENCODED.items():
        (folder / name).write_bytes(raw)
    (folder / "370784-bom.yaml").write_bytes(b"\xef\xbb\xbf" + SENTINEL_ITEM.replace(
        "sentinel", "bom").replace("370784-nobody", "370784-gaj").encode())
    done, problems = lint(project)
    found = by_file(problems)
    for name, (_, code, line) in ENCODED.items():
        got = [(p["code"], p["line"]) for p in found[f"catalogue/items/bytes/{name}"]]
        assert got[0][0] == code and (line is None or got[0][1] == line), (name, got)
    # A byte-order mark is reported and the file is still read (nothing else is wrong in it).
    assert [p["code"] for p in found["catalogue/items/bytes/370784-bom.yaml"]] == ["Y004"]
    assert "\x1b" not in svccat("lint", cwd=project).stdout  # shown as \u001b, never obeyed
    assert done.code == 1


# Symbolic links ----------------------------------------------------------------------------

SECRET = "secret_token_5f3a: hunter2\n"


def test_symbolic_links_are_refused_or_reported_never_followed_out(project: Path) -> None:
    """Protects: a link leading outside the catalogue (to a file, to a folder) or into a
    loop is reported as Y016 and never read, so nothing of the secret file beside the
    catalogue reaches the output; a dangling link is Y013. Before the fix a link loop
    stopped lint with "internal error: RuntimeError: Symlink loop"."""
    outside = project / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(SECRET, encoding="utf-8")
    items = project / "catalogue" / "items" / "links"
    items.mkdir(parents=True)
    (items / "to-file.yaml").symlink_to(outside / "secret.yaml")
    (items / "relative.yaml").symlink_to("../../../outside/secret.yaml")
    (items / "to-folder").symlink_to(outside, target_is_directory=True)
    (items / "to-root").symlink_to("/", target_is_directory=True)
    (items / "self.yaml").symlink_to("self.yaml")
    (items / "ping.yaml").symlink_to("pong.yaml")
    (items / "pong.yaml").symlink_to("ping.yaml")
    (items / "dangling.yaml").symlink_to("nowhere.yaml")
    (items / "370784-sfz.yaml").symlink_to("../370784/370784-sfz.yaml")  # inside: read
    done, problems = lint(project)
    assert done.code == 1
    codes = {p["file"].removeprefix("catalogue/items/links/"): p["code"] for p in problems
             if p["file"].startswith("catalogue/items/links/")}
    assert codes == {"to-file.yaml": "Y016", "relative.yaml": "Y016", "to-folder": "Y016",
                     "to-root": "Y016", "self.yaml": "Y016", "ping.yaml": "Y016",
                     "pong.yaml": "Y016", "dangling.yaml": "Y013",
                     "370784-sfz.yaml": "X001"}  # read, and its id is already taken
    for fmt in ("text", "json", "sarif", "github"):
        assert "secret_token" not in svccat("lint", "--format", fmt, cwd=project).stdout
    built = svccat("build", "--force", "--out", "site", cwd=project)
    built.assert_answered()
    assert built.code == 0
    assert not any(b"secret_token" in p.read_bytes() for p in (project / "site").rglob("*")
                   if p.is_file())


def test_a_link_given_on_the_command_line_must_stay_inside(project: Path) -> None:
    """Protects: `svccat lint PATH` names files of the catalogue only; a link leading out is a
    usage error (exit 2), not a way to read another file."""
    (project / "secret.yaml").write_text(SECRET, encoding="utf-8")
    link = project / "catalogue" / "items" / "look.yaml"
    link.symlink_to(project / "secret.yaml")
    done = svccat("lint", "--lang", "en", "catalogue/items/look.yaml", cwd=project)
    assert done.code == 2 and "not inside the catalogue" in done.stderr
    assert "secret_token" not in done.stdout + done.stderr


def test_an_output_folder_that_is_a_link_loop_is_a_usage_error(project: Path) -> None:
    """Protects: check_output resolves --out inside a try: before the fix a looping link
    given as --out stopped the build with "internal error: RuntimeError"."""
    (project / "site").symlink_to("site")
    done = svccat("build", "--out", "site", "--lang", "en", cwd=project)
    done.assert_answered()
    assert done.code == 2 and "site is a symbolic link that loops" in done.stderr


# Files that cannot be read ---------------------------------------------------------------

def test_a_fifo_named_like_an_item_does_not_hang(project: Path) -> None:
    """Protects: files are opened without blocking and must be regular files. Before the
    fix, a FIFO named x.yaml made `svccat lint` wait forever for a writer (this test runs
    svccat in a subprocess, so that a hang is a timeout and not a stuck test run)."""
    os.mkfifo(project / "catalogue" / "items" / "pipe.yaml")
    (project / SENTINEL).write_text(SENTINEL_ITEM, encoding="utf-8")
    try:
        done = subprocess.run([sys.executable, "-m", "svccat", "lint", "--format", "json"],
                              cwd=project, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("svccat lint hung on a FIFO")
    assert done.returncode == 1, done.stderr
    outcome = Outcome(done.returncode, done.stdout, done.stderr)
    outcome.assert_answered()
    found = by_file(outcome.json()["problems"])
    assert [p["code"] for p in found["catalogue/items/pipe.yaml"]] == ["Y013"]
    assert SENTINEL in found


def test_a_folder_named_like_an_item_is_a_folder(project: Path) -> None:
    """Protects: a folder called x.yaml is walked as a folder (its items are checked), never
    opened as a file, even by root, for whom permissions do not stop reading."""
    folder = project / "catalogue" / "items" / "370784-folder.yaml"
    folder.mkdir()
    (folder / "370784-inner.yaml").write_text(SENTINEL_ITEM.replace("sentinel", "inner"),
                                              encoding="utf-8")
    _, problems = lint(project)
    assert ("X003", "catalogue/items/370784-folder.yaml/370784-inner.yaml") in {
        (p["code"], p["file"]) for p in problems}
    assert "catalogue/items/370784-folder.yaml" not in by_file(problems)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root reads files whatever their mode (the FIFO test covers root)")
def test_an_unreadable_file_is_a_problem(project: Path) -> None:
    """Protects: a file the operating system refuses to open is Y013, and the rest is read."""
    locked = project / "catalogue" / "items" / "locked.yaml"
    locked.write_text("id: x\n", encoding="utf-8")
    locked.chmod(0)
    try:
        _, problems = lint(project)
    finally:
        locked.chmod(0o644)
    assert [p["code"] for p in by_file(problems)["catalogue/items/locked.yaml"]] == ["Y013"]


# Odd file names ----------------------------------------------------------------------------

ODD_NAMES = ["with space.yaml", "居民身份证 补领.yaml", "a" * 250 + ".yaml", "长" * 80 + ".yaml",
             "-starts-with-dash.yaml", "con.yaml", "new\nline.yaml", "esc\x1b[2J.yaml",
             "quote'\"`$(x).yaml", "percent%0A.yaml"]


def test_odd_file_names(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects: any name the file system allows (spaces, Chinese, 250 bytes, newlines,
    terminal escapes, shell syntax) is shown as the file of its problem, exactly in JSON and
    without control characters in the text and GitHub outputs (an escape in a name must not
    clear the reviewer's terminal or end a workflow command)."""
    folder = project / "catalogue" / "items" / "odd"
    folder.mkdir(parents=True)
    for index, name in enumerate(ODD_NAMES):
        (folder / name).write_text(SENTINEL_ITEM.replace("sentinel", f"odd{index}").replace(
            "370784-nobody", "370784-gaj"), encoding="utf-8")
    done, problems = lint(project)
    found = by_file(problems)
    for name in ODD_NAMES:
        assert [p["code"] for p in found[f"catalogue/items/odd/{name}"]] == ["X009"], name
    assert done.code == 1  # the sentinel's error; the names themselves are warnings
    text = svccat("lint", cwd=project).stdout
    assert "\x1b" not in text and "esc\\u001b[2J.yaml" in text and "new\\u000aline.yaml" in text
    summary = project / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    github = svccat("lint", "--format", "github", cwd=project).stdout
    assert "\x1b" not in github and all(line.startswith("::") for line in github.splitlines())
    rows = [r for r in summary.read_text(encoding="utf-8").splitlines() if "| 1 | `X009`" in r]
    assert len(rows) == len(ODD_NAMES) and all(r.count(" | ") == 3 for r in rows), rows
    assert "| catalogue/items/odd/quote'\"&#96;$(x).yaml |" in "\n".join(rows)


CONTROL_KEY = '"\\e]0;title\\a\\e[2J\\0\\x85\\u202e\\uFFFE<x>&": 1\n'


def test_every_report_format_stays_well_formed(project: Path) -> None:
    """Protects: catalogue text quoted in messages (an unknown key written with escapes:
    ESC, BEL, NUL, NEL, a direction override, U+FFFE, markup) leaves every output format
    well formed: JSON, SARIF and GitLab parse, JUnit is valid XML (before the fix the NUL and
    ESC made it unparsable, so CI lost the whole report), text and GitHub hold no control
    character."""
    import json
    import re
    from xml.etree import ElementTree

    item = project / "catalogue/items/370784/370784-sfz.yaml"
    item.write_text(item.read_text(encoding="utf-8") + CONTROL_KEY, encoding="utf-8")
    outputs = {fmt: svccat("lint", "--format", fmt, cwd=project)
               for fmt in ("text", "json", "sarif", "github", "gitlab", "junit")}
    for fmt, done in outputs.items():
        done.assert_answered()
        assert done.code == 1 and "S002" in done.stdout, fmt
    for fmt in ("json", "sarif", "gitlab"):
        json.loads(outputs[fmt].stdout)
    ElementTree.fromstring(outputs["junit"].stdout.encode("utf-8"))
    for fmt in ("text", "github"):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", outputs[fmt].stdout), fmt
    assert "\\u001b]0;title" in outputs["text"].stdout


# Ids and names that would leave the output folder ------------------------------------------

HOSTILE_IDS = ["../x", "../../etc/passwd", "/abs", "a/../b", "..", ".", "a..b", "-a", "a-",
               "x/y", "a\\b", "c:x", "CON", "Sfz", "con", "nul", "aux", "prn", "com1", "lpt1",
               "com0", "lpt9", "nul.x", "con.html", "x" * 101, " a", "a b", "%2e%2e"]


@pytest.mark.parametrize("ident", HOSTILE_IDS)
@pytest.mark.parametrize(("kind", "text", "pointer"), [
    (Kind.ITEM, "id: {}\nname: x\ntype: 公共服务\nregion: '370784'\ndepartment: d\ntier: main\n"
     "status: draft\n", "/id"),
    (Kind.DEPARTMENTS, "departments:\n  - {{id: {}, name: x, region: '370784', system: x}}\n",
     "/departments/0/id"),
    (Kind.LEGAL_DOCUMENTS, "legal_documents:\n  - {{id: {}, title: x, number: x, issuer: x, "
     "level: 法律, status: in_force}}\n", "/legal_documents/0/id"),
    (Kind.CERTIFICATES, "retained:\n  - {{id: {}, name: x, basis: [{{document: d}}], "
     "demanding_unit: x, issuing_unit: x, area: 户籍, commitment: true}}\n", "/retained/0/id"),
    (Kind.REGIONS, "regions:\n  - {{code: {}, name: x, level: county}}\n", "/regions/0/code"),
], ids=["item", "department", "legal", "certificate", "region"])
def test_ids_that_would_escape_or_collide_are_refused(ident: str, kind: Kind, text: str,
                                                      pointer: str) -> None:
    """Protects: every id that becomes a file name of the site (items/<id>.html,
    departments/<id>.html, legal/<id>.html, regions/<code>.html, the #cert-<id> anchors) is
    refused by the schema
    when it could leave the output folder (`../`, `/`), collide on a case-insensitive disk
    (upper case) or name a Windows device (`con`, `nul.x`, `com1`, `lpt1`)."""
    loaded = load_text(text.format(yaml.safe_dump(ident).removesuffix("\n...\n").strip()),
                       "t.yaml")
    assert loaded.document is not None, loaded.problems
    problems = validate(loaded.document, kind)
    assert (pointer, "S005") in {(p.path, p.code) for p in problems} or \
        (pointer, "S006") in {(p.path, p.code) for p in problems}, problems


def test_hostile_ids_write_nothing_anywhere_even_with_force(project: Path) -> None:
    """Protects: an item or registry entry with a hostile id is refused by lint, so the build
    refuses (exit 1) and writes nothing; with --force the entry is left out, and every file
    of the site has a safe name inside the output folder, unique on a case-insensitive disk.
    Themes are free text, so their pages are named by a hash: `../x`, `CON` and `con` give
    three different safe names."""
    items = project / "catalogue" / "items" / "hostile"
    items.mkdir(parents=True)
    for index, ident in enumerate(["../../escaped", "con", "nul.x", "COM1", "/tmp/abs"]):
        (items / f"h{index}.yaml").write_text(
            f"id: {yaml.safe_dump(ident).removesuffix(chr(10) + '...' + chr(10)).strip()}\n"
            "name: 恶意标识\ntype: 公共服务\nregion: '370784'\ndepartment: 370784-gaj\n"
            "tier: main\nstatus: published\n", encoding="utf-8")
    (items / "370784-themes.yaml").write_text(
        "id: 370784-themes\nname: 主题\ntype: 公共服务\nregion: '370784'\n"
        "department: 370784-gaj\ntier: main\nstatus: published\n"
        "themes: [../../escaped, CON, con, Con, 'a/b', '..']\n", encoding="utf-8")
    departments = project / "catalogue" / "registries" / "departments" / "hostile.yaml"
    departments.parent.mkdir(parents=True)
    departments.write_text("departments:\n  - {id: ../x, name: x, region: '370784', system: x}\n"
                           "  - {id: lpt1, name: x, region: '370784', system: x}\n",
                           encoding="utf-8")
    before = snapshot(project)
    refused = svccat("build", "--out", "site", cwd=project)
    refused.assert_answered()
    assert refused.code == 1 and not (project / "site").exists()
    cache = ".svccat-cache"  # the load cache (svccat.cache) is no output
    assert {k: v for k, v in snapshot(project).items() if not k.startswith(cache)} == before
    forced = svccat("build", "--out", "site", "--force", cwd=project)
    forced.assert_answered()
    assert forced.code == 0, forced.stderr
    assert {k: v for k, v in snapshot(project).items()
            if not k.startswith(("site", cache))} == before
    assert not (project.parent / "escaped.html").exists()
    site = project / "site"
    written = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    assert len({p.lower() for p in written}) == len(written)
    for path in written:
        for part in path.split("/"):
            assert part.split(".")[0].lower() not in {"con", "nul", "aux", "prn", "com1", "lpt1"}
            assert part not in ("", ".", "..")
    themes = sorted(p for p in written if p.startswith("themes/"))
    assert len(themes) == 8  # the six hostile names, 身份证件 and 户籍
    assert all(len(Path(p).stem) == 12 for p in themes)
