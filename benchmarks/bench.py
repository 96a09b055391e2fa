#!/usr/bin/env python3
"""The svccat benchmark of issue #7: lint, build and diff on synthetic catalogues, beside
check-jsonschema, a bare libyaml parse and Hugo.

    python benchmarks/bench.py --sizes 1000 10000 100000 [--runs 3] [--write benchmarks/RESULTS.md]
    python benchmarks/bench.py --sizes 10000 --only lint,parse      # a subset

For each size N the catalogue of benchmarks/generate.py is generated once and cached under
$TMPDIR/svccat-bench/ (keyed by N, the seed and a hash of generate.py), with a work folder
beside it: a copy of the catalogue to edit, scratch folders for lint and build (each command
runs with its own working directory, where svccat keeps `.svccat-cache/`), the Hugo site of
the same items and a git repository of two revisions 100 items apart. svccat, check-jsonschema
and Hugo run as subprocesses; every figure is the median of R runs taken in rotation within
the size, so each ratio compares runs of the same session. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import math
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml
from chart import Series, loglog_svg
from generate import DEFAULT_SEED, generate

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE / "hugo"))
from convert import convert as convert_to_hugo  # noqa: E402

DEFAULT_CACHE = Path(tempfile.gettempdir()) / "svccat-bench"
TOOLS = DEFAULT_CACHE / "tools"
CHECK_JSONSCHEMA = TOOLS / "venv" / "bin" / "check-jsonschema"
CACHE_FOLDER = ".svccat-cache"
DIFF_ITEMS = 100
ARGUMENT_BYTES = 1 << 20  # per check-jsonschema batch, well under ARG_MAX (2 MiB with the environment)
# smaps_rollup walks a process's page tables: every 0.2 s costs a few ms of a 2 GB process.
SAMPLE_SECONDS = 0.2
GIT = ("git", "-c", "user.name=svccat bench", "-c", "user.email=bench@svccat.invalid",
       "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null")

# Every measurement: its name, the group it belongs to (`--only` selects groups, the rotation
# rotates groups), what its rate counts, and one line on what it is.
MEASUREMENTS: dict[str, tuple[str, str, str]] = {
    "lint-cold": ("lint", "files", "`svccat lint`, no cache folder (deleted first)"),
    "lint-warm": ("lint", "files", "`svccat lint` again, nothing changed (warm cache)"),
    "lint-file": ("lint", "", "`svccat lint FILE` after one item file changed, warm cache"),
    "lint-no-cache": ("lint", "files", "`svccat lint --no-cache`"),
    "parse": ("parse", "files", "read + `yaml.load(CSafeLoader)` of every file, one process"),
    "check-jsonschema": ("check-jsonschema", "files",
                         "`check-jsonschema --schemafile item.schema.json` over every item file"),
    "build-cold": ("build", "pages", "`svccat build`, empty output, no cache folder"),
    "build-warm": ("build", "pages", "`svccat build` again, nothing changed"),
    "build-one": ("build", "", "`svccat build` after one item file changed"),
    "hugo": ("hugo", "pages", "`hugo --quiet`, no public/, resources/ or cache (same items as Markdown)"),
    "diff": ("diff", "", f"`svccat diff REV1..REV2`, {DIFF_ITEMS} items changed"),
}
GROUPS = ("lint", "parse", "check-jsonschema", "build", "hugo", "diff")


@dataclass(frozen=True)
class Run:
    """One timed run of one measurement."""

    seconds: float
    cpu_seconds: float = 0.0  # user + system, of the whole process tree (wait4)
    max_rss_kb: int = 0  # the largest process of the tree (wait4's ru_maxrss)
    # The largest sampled sum of the tree's proportional set sizes (PSS: a page shared by
    # n processes counts 1/n in each; RSS where the kernel gives no PSS); 0: not sampled.
    tree_pss_kb: int = 0
    count: int = 0  # files, pages or changes, depending on the measurement
    note: str = ""
    round: int = 0  # which round of the size it was taken in (0 first)


@dataclass
class Size:
    """Everything measured on one catalogue size."""

    items: int
    files: int
    megabytes: float
    generator: dict[str, Any]
    runs: dict[str, list[Run]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    current_round: int = 0

    def add(self, name: str, run: Run) -> None:
        self.runs.setdefault(name, []).append(replace(run, round=self.current_round))

    def median(self, name: str, rounds: set[int] | None = None) -> float | None:
        """The median seconds of the measurement, over the given rounds only if rounds is given."""
        runs = [r for r in self.runs.get(name, ()) if rounds is None or r.round in rounds]
        return statistics.median(r.seconds for r in runs) if runs else None

    def rounds(self, name: str) -> set[int]:
        return {r.round for r in self.runs.get(name, ())}

    def count(self, name: str) -> int:
        runs = self.runs.get(name)
        return max(r.count for r in runs) if runs else 0

    def rate(self, name: str, rounds: set[int] | None = None) -> float | None:
        seconds, count = self.median(name, rounds), self.count(name)
        return count / seconds if seconds and count else None


# ---------------------------------------------------------------------------- processes


def _proc_tree_pss_kb(root: int, page_kb: int) -> int:
    """The memory of root and all its descendants, from /proc: the sum of their PSS, which
    counts the pages forked processes share once in all (RSS counts them in each)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rindex(b")") + 2:].split()  # after "pid (comm) "
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * page_kb
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += _pss_kb(pid, rss.get(pid, 0))
        stack.extend(children.get(pid, ()))
    return total


def _pss_kb(pid: int, rss_kb: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return rss_kb


class TreeSampler:
    """Polls the memory (PSS) of a process tree every SAMPLE_SECONDS in a thread and keeps the
    largest sum."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_kb = pid, 0
        self._stop = threading.Event()
        self._page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError, ValueError, IndexError):
                self.peak_kb = max(self.peak_kb, _proc_tree_pss_kb(self.pid, self._page_kb))
            self._stop.wait(SAMPLE_SECONDS)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak_kb


@dataclass(frozen=True)
class Finished:
    run: Run
    exit_code: int
    stdout: str
    stderr: str


def run_process(argv: Sequence[str | Path], *, cwd: Path, sample: bool = False) -> Finished:
    """Run a command, waited for with wait4: wall time, CPU and largest RSS of its process tree
    (the kernel folds waited-for descendants into the child's usage); with sample, also the
    largest sum of the tree's PSS, polled from /proc."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([str(a) for a in argv], stdout=out, stderr=err, cwd=cwd)
        sampler = TreeSampler(process.pid) if sample and os.path.isdir("/proc") else None
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        tree_kb = sampler.stop() if sampler else 0
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    run = Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, tree_kb)
    return Finished(run, process.returncode, stdout, stderr)


class CommandFailed(Exception):
    """A measured command exited with an unexpected code: the round's group is skipped."""


def checked(finished: Finished, what: str, ok: tuple[int, ...] = (0, 1)) -> Finished:
    if finished.exit_code not in ok:
        raise CommandFailed(f"{what} failed (exit {finished.exit_code}): "
                            + " ".join(finished.stderr.split())[-500:])
    return finished


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


# ---------------------------------------------------------------------------- catalogues


def catalogue(n_items: int, seed: int, cache: Path) -> tuple[Path, dict[str, Any]]:
    """The cached catalogue of n_items items, generated first if missing."""
    digest = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:10]
    root = cache / f"n{n_items}-seed{seed}-{digest}"
    marker = root / ".complete.json"
    if marker.is_file():
        stats: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
        return root, stats
    cache.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f"{root.name}.", suffix=".partial", dir=cache))
    started = time.perf_counter()
    stats = asdict(generate(n_items, partial, seed))
    stats["generate_seconds"] = round(time.perf_counter() - started, 2)
    (partial / ".complete.json").write_text(json.dumps(stats) + "\n", encoding="utf-8")
    try:
        partial.rename(root)
    except OSError:  # another run finished first: use its copy
        shutil.rmtree(partial, ignore_errors=True)
    log(f"generated {root} in {stats['generate_seconds']} s")
    return root, stats


def yaml_files(root: Path) -> list[Path]:
    """Every file svccat lints: *.yaml and *.yml outside hidden folders."""
    found = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found += [Path(folder, f) for f in sorted(filenames)
                  if not f.startswith(".") and f.endswith((".yaml", ".yml"))]
    return found


def item_files(root: Path) -> list[Path]:
    return yaml_files(root / "items")


CONDITIONS = "\nconditions:\n  - "
# lint-file runs this many times a round (the file edited anew each time): about a second
# each, against a target of one second, so one run a round at 100,000 items is too few.
LINT_FILE_REPEATS = 3


def editable_items(root: Path, count: int) -> list[Path]:
    """count published leaf items with conditions, evenly spread over the sorted item files."""
    candidates = []
    for path in item_files(root):
        text = path.read_text(encoding="utf-8")
        if CONDITIONS in text and "\nstatus: published" in text:
            candidates.append(path)
    if len(candidates) < count:
        sys.exit(f"bench: only {len(candidates)} editable items in {root}, {count} wanted")
    step = len(candidates) / count
    return [candidates[int(i * step + step / 2)] for i in range(count)]


def edit_item(path: Path, variant: int) -> str:
    """Change one item the way an editor would (a condition added or reworded), keeping it
    valid; the original text, to restore it."""
    original = path.read_text(encoding="utf-8")
    if variant % 2 == 0:
        changed = original.replace(CONDITIONS, CONDITIONS + "申请人已按规定缴纳相关费用\n  - ", 1)
    else:
        changed = original.replace(CONDITIONS, CONDITIONS + "经核实，", 1)
    path.write_text(changed, encoding="utf-8")
    return original


def _snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Relative path → (inode, mtime ns, size) of every file under root."""
    found = {}
    for folder, _, filenames in os.walk(root):
        for name in filenames:
            path = os.path.join(folder, name)
            st = os.stat(path)
            found[os.path.relpath(path, root)] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return found


def html_pages(root: Path) -> int:
    return sum(1 for _, _, names in os.walk(root) for name in names if name.endswith(".html"))


def _inline_refs(schemas: dict[str, Any], name: str) -> Any:
    """The schema `name` with every `$ref` to another bundled file (`common.schema.json#/$defs/x`)
    or to its own definitions written out in place: one self-contained schema, the form svccat
    validates with, which check-jsonschema can use without fetching the `$id` URLs."""

    def resolve(document: str, pointer: str) -> Any:
        node = schemas[document]
        for part in pointer.strip("/").split("/") if pointer.strip("/") else []:
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def inline(node: Any, document: str) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                target, _, pointer = ref.partition("#")
                target = target or document
                if target in schemas and (target != document or pointer.startswith("/$defs/")):
                    merged = dict(resolve(target, pointer))
                    merged.update({k: v for k, v in node.items() if k not in ("$ref", "description")})
                    return inline(merged, target)
            return {k: inline(v, document) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v, document) for v in node]
        return node

    return inline(schemas[name], name)


# ---------------------------------------------------------------------------- the bench


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Bench:
    """The measurements of one catalogue size, with the work folder they share."""

    def __init__(self, *, n_items: int, seed: int, cache: Path, svccat: list[str], groups: set[str]) -> None:
        self.svccat = svccat
        self.groups = groups
        self.source, stats = catalogue(n_items, seed, cache)
        self.work = cache / f"work-{self.source.name}"
        self.catalogue = self.work / "catalogue"
        self.files = yaml_files(self.source)
        self.size = Size(items=stats["items"], files=len(self.files),
                         megabytes=sum(p.stat().st_size for p in self.files) / 1e6, generator=stats)
        self._prepare()

    # ---- preparation, untimed

    def _prepare(self) -> None:
        marker = self.work / ".catalogue-ready"
        if not marker.is_file():
            log(f"copying the catalogue to {self.catalogue}")
            shutil.rmtree(self.work, ignore_errors=True)
            shutil.copytree(self.source, self.catalogue, ignore=shutil.ignore_patterns(".complete.json"))
            marker.write_text("", encoding="utf-8")
        for folder in ("lint", "build"):
            (self.work / folder).mkdir(exist_ok=True)
        self.edited = editable_items(self.catalogue, 1)[0]
        # The one file the runs edit and restore: restored here too, in case a run was killed.
        shutil.copyfile(self.source / self.edited.relative_to(self.catalogue), self.edited)
        if "check-jsonschema" in self.groups:
            self.item_schema = self._item_schema()
        if "hugo" in self.groups:
            self.hugo_site = self.work / "hugo"
            hugo_marker = self.hugo_site / ".converted"
            digest = hashlib.sha256(b"".join(p.read_bytes() for p in sorted((HERE / "hugo").rglob("*"))
                                             if p.is_file() and "__pycache__" not in p.parts)).hexdigest()
            if not hugo_marker.is_file() or hugo_marker.read_text(encoding="utf-8") != digest:
                log("writing the Hugo site")
                convert_to_hugo(self.source, self.hugo_site)
                hugo_marker.write_text(digest, encoding="utf-8")
        if "diff" in self.groups:
            self.repo, self.revisions = self._diff_repo()

    def _item_schema(self) -> Path:
        folder = self.work / "schemas"
        shutil.rmtree(folder, ignore_errors=True)
        finished = run_process([*self.svccat, "schema", "--out", folder], cwd=self.work)
        if finished.exit_code != 0:
            sys.exit(f"bench: svccat schema --out failed: {finished.stderr[-2000:]}")
        schemas = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}
        bundled = _inline_refs(schemas, "item.schema.json")
        if "$ref" in json.dumps(bundled):
            self.size.notes.append("check-jsonschema: the inlined item schema still has a `$ref`.")
        path = self.work / "item.bundled.schema.json"
        path.write_text(json.dumps(bundled, ensure_ascii=False, indent=1), encoding="utf-8")
        return path

    def _diff_repo(self) -> tuple[Path, str]:
        repo = self.work / "repo"
        marker = repo / ".git" / "svccat-bench-revisions"
        if not marker.is_file():
            log(f"creating the git repository for diff in {repo}")
            shutil.rmtree(repo, ignore_errors=True)
            shutil.copytree(self.source, repo / "catalogue", ignore=shutil.ignore_patterns(".complete.json"))
            git(repo.parent, "init", "-q", str(repo))
            git(repo, "add", "-A")
            git(repo, "commit", "-q", "-m", "catalogue")
            for index, path in enumerate(editable_items(repo / "catalogue", DIFF_ITEMS)):
                edit_item(path, index)
            git(repo, "commit", "-q", "-a", "-m", f"{DIFF_ITEMS} items changed")
            marker.write_text(f"{git(repo, 'rev-parse', '--short=12', 'HEAD~1')}.."
                              f"{git(repo, 'rev-parse', '--short=12', 'HEAD')}", encoding="utf-8")
        return repo, marker.read_text(encoding="utf-8").strip()

    # ---- measurements

    def _lint(self, *extra: str | Path, sample: bool = False) -> Finished:
        finished = run_process(
            [*self.svccat, "lint", "--catalogue", self.catalogue, "--format", "json", *extra],
            cwd=self.work / "lint", sample=sample)
        return checked(finished, "svccat lint")

    def _lint_count(self, finished: Finished) -> tuple[int, str]:
        try:
            summary = json.loads(finished.stdout)["summary"]
        except (ValueError, KeyError, TypeError):
            return 0, "no JSON summary"
        note = f"{summary.get('errors', 0)} errors, {summary.get('warnings', 0)} warnings"
        return int(summary.get("files", 0)), note

    def _forget_cache(self, folder: Path) -> None:
        for candidate in (folder / CACHE_FOLDER, self.catalogue / CACHE_FOLDER, self.work / CACHE_FOLDER):
            shutil.rmtree(candidate, ignore_errors=True)

    def lint(self, first: bool) -> None:
        self._forget_cache(self.work / "lint")
        cold = self._lint(sample=first)
        files, note = self._lint_count(cold)
        self.size.add("lint-cold", replace(cold.run, count=files, note=note))
        if first and not note.startswith("0 errors, 0 warnings"):
            log(f"warning: svccat lint reports {note} on the generated catalogue")
        if first and not (self.work / "lint" / CACHE_FOLDER).is_dir():
            self.size.notes.append(f"lint wrote no `{CACHE_FOLDER}/` in its working directory.")
        warm = self._lint()
        files, note = self._lint_count(warm)
        self.size.add("lint-warm", replace(warm.run, count=files, note=note))
        for variant in range(LINT_FILE_REPEATS):
            original = edit_item(self.edited, variant)
            try:
                one = self._lint(self.edited)
            finally:
                self.edited.write_text(original, encoding="utf-8")
            files, note = self._lint_count(one)
            self.size.add("lint-file", replace(one.run, count=files, note=note))
        no_cache = self._lint("--no-cache")
        files, note = self._lint_count(no_cache)
        self.size.add("lint-no-cache", replace(no_cache.run, count=files, note=note))

    def _parse_all(self) -> Run:
        loader: Any = yaml.CSafeLoader
        started, cpu = time.perf_counter(), time.process_time()
        for path in self.files:
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8")
            yaml.load(text, Loader=loader)
        return Run(time.perf_counter() - started, time.process_time() - cpu, count=len(self.files))

    def parse(self, first: bool) -> None:
        self.size.add("parse", self._parse_all())

    def check_jsonschema(self, first: bool) -> None:
        paths = [str(p.relative_to(self.catalogue)) for p in item_files(self.catalogue)]
        batches: list[list[str]] = [[]]
        used = 0
        for path in paths:
            if used + len(path) + 1 > ARGUMENT_BYTES and batches[-1]:
                batches.append([])
                used = 0
            batches[-1].append(path)
            used += len(path) + 1
        total = Run(0.0)
        flagged: list[str] = []
        for batch in batches:
            finished = run_process([CHECK_JSONSCHEMA, "--schemafile", self.item_schema, *batch],
                                   cwd=self.catalogue)
            run = finished.run
            total = Run(total.seconds + run.seconds, total.cpu_seconds + run.cpu_seconds,
                        max(total.max_rss_kb, run.max_rss_kb))
            if finished.exit_code != 0 or "ok -- validation done" not in finished.stdout:
                flagged += [line for line in (finished.stdout + finished.stderr).splitlines() if line.strip()]
        note = f"{len(batches)} batch(es), all valid" if not flagged else \
            f"{len(batches)} batch(es), flagged: " + " / ".join(flagged[:4])[:300]
        self.size.add("check-jsonschema", replace(total, count=len(paths), note=note))

    def _build(self, *, sample: bool = False) -> Finished:
        finished = run_process([*self.svccat, "build", "--catalogue", self.catalogue, "--out", "site"],
                               cwd=self.work / "build", sample=sample)
        return checked(finished, "svccat build", (0,))

    def build(self, first: bool) -> None:
        out = self.work / "build" / "site"
        shutil.rmtree(out, ignore_errors=True)
        self._forget_cache(self.work / "build")
        cold = self._build(sample=first)
        self.size.add("build-cold", replace(cold.run, count=html_pages(out)))
        warm = self._build()
        self.size.add("build-warm", replace(warm.run, count=html_pages(out)))
        before = _snapshot(out)
        original = edit_item(self.edited, 0)
        try:
            one = self._build()
        finally:
            self.edited.write_text(original, encoding="utf-8")
        after = _snapshot(out)
        rewritten = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
        pages = [p for p in rewritten if p.endswith(".html")]
        others = [p for p in rewritten if not p.endswith(".html")]
        shown = ", ".join(pages[:6] + others[:4]) + (", …" if len(pages) > 6 or len(others) > 4 else "")
        total = sum(p.endswith(".html") for p in after)
        note = f"{len(pages)} of {total} pages rewritten ({len(rewritten)} of {len(after)} files): {shown}"
        self.size.add("build-one", replace(one.run, count=len(pages), note=note))

    def hugo(self, first: bool) -> None:
        for sub in ("public", "resources", ".hugo-cache"):
            shutil.rmtree(self.hugo_site / sub, ignore_errors=True)
        finished = run_process(["hugo", "--quiet", "--source", self.hugo_site, "--destination", "public",
                                "--cacheDir", self.hugo_site / ".hugo-cache"], cwd=self.hugo_site)
        checked(finished, "hugo", (0,))
        self.size.add("hugo", replace(finished.run, count=html_pages(self.hugo_site / "public")))

    def diff(self, first: bool) -> None:
        finished = checked(run_process([*self.svccat, "diff", self.revisions, "--format", "json"],
                                       cwd=self.repo), "svccat diff")
        try:
            changes = sum(json.loads(finished.stdout)["summary"].values())
        except (ValueError, KeyError, TypeError, AttributeError):
            changes = 0
        note = f"{changes} changes, {self.revisions}"
        self.size.add("diff", replace(finished.run, count=changes, note=note))

    def measure(self, runs: int, cjs_runs: int) -> Size:
        steps: dict[str, Callable[[bool], None]] = {
            "lint": self.lint, "parse": self.parse, "check-jsonschema": self.check_jsonschema,
            "build": self.build, "hugo": self.hugo, "diff": self.diff}
        order = [g for g in GROUPS if g in self.groups]
        log(f"{self.size.items} items: warming the page cache (one untimed parse)")
        self._parse_all()
        for index in range(runs):
            self.size.current_round = index
            rotated = order[index % len(order):] + order[:index % len(order)] if order else []
            for group in rotated:
                if group == "check-jsonschema" and index >= cjs_runs:
                    continue
                try:
                    steps[group](index == 0)
                except CommandFailed as failure:  # record it and go on: one broken command spoils no other
                    self.size.notes.append(f"round {index + 1}, {group}: {failure}")
                    log(f"{self.size.items} items, run {index + 1}/{runs}, {group}: {failure}")
                    continue
                done = [name for name, (of, _, _) in MEASUREMENTS.items()
                        if of == group and name in self.size.runs]
                log(f"{self.size.items} items, run {index + 1}/{runs}, {group}: "
                    + ", ".join(f"{name} {self.size.runs[name][-1].seconds:.2f} s" for name in done))
        return self.size


# ---------------------------------------------------------------------------- report


@dataclass(frozen=True)
class Target:
    label: str
    value: Callable[[Size], float | None]
    text: Callable[[float], str]
    met: Callable[[float], bool]
    goal: str


def _ratio(a: str, b: str, by_rate: bool) -> Callable[[Size], float | None]:
    """a ÷ b over the rounds in which both were measured (check-jsonschema may run in fewer),
    so that both sides of a ratio saw the same machine."""
    def value(size: Size) -> float | None:
        both = size.rounds(a) & size.rounds(b)
        x, y = (size.rate(a, both), size.rate(b, both)) if by_rate else \
            (size.median(a, both), size.median(b, both))
        return x / y if x and y else None
    return value


def _peak_mb(name: str) -> Callable[[Size], float | None]:
    """The memory of the whole process tree (sampled PSS sum); the largest process's where
    the tree was not sampled."""
    def value(size: Size) -> float | None:
        runs = size.runs.get(name)
        if not runs:
            return None
        tree = max(r.tree_pss_kb for r in runs)
        return (tree or max(r.max_rss_kb for r in runs)) / 1024
    return value


TARGETS = (
    Target("lint cold files/s ÷ check-jsonschema files/s", _ratio("lint-cold", "check-jsonschema", True),
           lambda v: f"{v:.1f}×", lambda v: v >= 5, "≥ 5×"),
    Target("lint cold files/s ÷ libyaml parse files/s", _ratio("lint-cold", "parse", True),
           lambda v: f"{v:.2f}×", lambda v: v >= 1.2, "≥ 1.2×"),
    Target("lint warm ÷ lint cold (time)", _ratio("lint-warm", "lint-cold", False),
           lambda v: f"{v:.0%}", lambda v: v <= 0.10, "≤ 10%"),
    Target("lint FILE, one file changed, warm cache", lambda s: s.median("lint-file"),
           lambda v: f"{v:.2f} s", lambda v: v < 1.0, "< 1 s"),
    Target("build cold pages/s ÷ Hugo pages/s", _ratio("build-cold", "hugo", True),
           lambda v: f"{v:.2f}×", lambda v: v >= 1.0, "≥ 1×"),
    Target("build warm ÷ build cold (time)", _ratio("build-warm", "build-cold", False),
           lambda v: f"{v:.0%}", lambda v: v <= 0.10, "≤ 10%"),
    Target("build, one item changed: HTML pages rewritten", lambda s: float(s.count("build-one"))
           if "build-one" in s.runs else None, lambda v: f"{v:.0f}",
           lambda v: v <= 10, "only its dependants (≤ 10 here)"),
    Target("diff, 100 items changed", lambda s: s.median("diff"),
           lambda v: f"{v:.2f} s", lambda v: v < 3.0, "< 3 s"),
    Target("lint cold peak memory (whole process tree)", _peak_mb("lint-cold"),
           lambda v: f"{v:,.0f} MB", lambda v: v < 2048, "< 2 GiB"),
    Target("build cold peak memory (whole process tree)", _peak_mb("build-cold"),
           lambda v: f"{v:,.0f} MB", lambda v: v < 4096, "< 4 GiB"),
)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---:" if i else "---" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(c) for c in column) for column in zip(header, *rows, strict=True)]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True))
                     for r in (header, *rows)) + "\n"


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _growth(sizes: Sequence[Size], name: str) -> str:
    """The exponent k in time ∝ itemsᵏ between the two largest sizes measured (1: linear)."""
    points = [(s.items, s.median(name)) for s in sizes if s.median(name)]
    if len(points) < 2:
        return "—"
    (n1, t1), (n2, t2) = points[-2], points[-1]
    return f"{math.log(t2 / t1) / math.log(n2 / n1):.2f}" if t1 and t2 and n1 != n2 else "—"


def summary_rows(sizes: Sequence[Size]) -> tuple[list[str], list[list[str]]]:
    header = ["measurement", *(f"{s.items:,} items (s)" for s in sizes), "growth exponent"]
    rows = [[name, *(_seconds(s.median(name)) for s in sizes), _growth(sizes, name)]
            for name in MEASUREMENTS if any(name in s.runs for s in sizes)]
    return header, rows


def detail_rows(size: Size) -> tuple[list[str], list[list[str]]]:
    header = ["measurement", "median (s)", "runs", "rate", "CPU (s)", "peak RSS, largest process (MB)",
              "peak memory, whole tree (PSS, MB)"]
    rows = []
    for name, (_, unit, _) in MEASUREMENTS.items():
        runs = size.runs.get(name)
        if not runs:
            continue
        rate = size.rate(name) if unit else None
        tree = max(r.tree_pss_kb for r in runs)
        rss = max(r.max_rss_kb for r in runs)
        rows.append([name, _seconds(size.median(name)), str(len(runs)),
                     f"{rate:,.0f} {unit}/s" if rate else "—",
                     _seconds(statistics.median(r.cpu_seconds for r in runs)),
                     f"{rss / 1024:,.0f}" if rss else "—", f"{tree / 1024:,.0f}" if tree else "—"])
    return header, rows


def target_rows(sizes: Sequence[Size]) -> tuple[list[str], list[list[str]]]:
    header = ["target (issue #7)", "goal", *(f"{s.items:,} items" for s in sizes)]
    rows = []
    for target in TARGETS:
        cells = []
        for size in sizes:
            value = target.value(size)
            cells.append("—" if value is None else
                         f"{target.text(value)} {'met' if target.met(value) else '**not met**'}")
        if any(c != "—" for c in cells):
            rows.append([target.label, target.goal, *cells])
    return header, rows


def _first_line(path: str, key: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _tool_version(argv: Sequence[str | Path]) -> str:
    try:
        found = subprocess.run([str(a) for a in argv], capture_output=True, text=True, check=False)
    except OSError:
        return "not installed"
    if found.returncode != 0:
        return "not installed"
    return (found.stdout or found.stderr).strip().splitlines()[0]


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"


def machine(load_at_start: str, svccat: list[str]) -> list[tuple[str, str]]:
    memory = _first_line("/proc/meminfo", "MemTotal")
    memory_text = f"{int(memory.split()[0]) / 1024**2:.1f} GiB" if memory else "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    libyaml = "not available"
    if yaml.__with_libyaml__:
        from yaml import _yaml

        libyaml = str(_yaml.get_version_string())
    commit = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                            capture_output=True, text=True, check=False).stdout.strip()
    changed = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "src", "schemas", "templates"],
        capture_output=True, text=True, check=False).stdout.splitlines()
    if commit and changed:
        commit += f", {len(changed)} uncommitted or untracked paths in src/, schemas/ and templates/"
    os_name = ""
    with contextlib.suppress(OSError):
        os_name = platform.freedesktop_os_release().get("PRETTY_NAME", "")
    return [
        ("CPU", _first_line("/proc/cpuinfo", "model name") or platform.processor() or "unknown"),
        ("Cores", f"{os.cpu_count()} logical, {usable} usable by this process"),
        ("Memory", memory_text),
        ("OS", f"{os_name} ({platform.platform()})"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("PyYAML / libyaml", f"{yaml.__version__} / {libyaml}"),
        ("jsonschema / jsonschema-rs / Jinja2", f"{_version('jsonschema')} / {_version('jsonschema-rs')} / "
                                               f"{_version('Jinja2')}"),
        ("Hugo", _tool_version(["hugo", "version"])),
        ("check-jsonschema",
         f"{_tool_version([CHECK_JSONSCHEMA, '--version'])} (in {CHECK_JSONSCHEMA.parent})"),
        ("svccat", f"{_version('svccat')} ({commit or 'no git'}), run as `{shlex.join(svccat)}`"),
        ("Load average (1, 5, 15 min)", f"{load_at_start} at start, {load_average()} at the end"),
        ("Date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
    ]


def results_markdown(sizes: Sequence[Size], *, session: dict[str, Any], chart: str | None) -> str:
    """The results as Markdown; session holds the invocation, options, machine and duration."""
    runs, cjs_explicit = session["runs"], session["check_jsonschema_runs"]
    cjs_rounds = (f"check-jsonschema runs in the first {cjs_explicit} round(s) only."
                  if cjs_explicit is not None and cjs_explicit < runs else
                  "check-jsonschema runs in the first round only at 100,000 items or more (one run takes "
                  "over half an hour there).")
    parts = ["# svccat benchmark\n",
             "Generated by `benchmarks/bench.py` (see `benchmarks/README.md`); do not edit by hand.\n",
             "## Command\n", f"```sh\n{session['invocation']}\n```\n",
             f"Took {session['minutes']:.1f} minutes. Each size: one untimed parse of every file (to fill "
             f"the page cache), then {runs} rounds; each round runs the groups (lint, parse, "
             "check-jsonschema, build, Hugo, diff) once, in an order rotated by one group every round, "
             f"so every ratio compares runs of the same session. {cjs_rounds} Figures are medians of "
             "the runs.\n",
             "## Method\n"]
    parts += [f"- **{name}**: {what}." for name, (_, _, what) in MEASUREMENTS.items()]
    parts += [
        "- Every command runs as a subprocess; wall time from start to exit (interpreter start-up and "
        "imports included). **CPU** is user + system time of the whole process tree, from `wait4`.",
        "- **Peak memory, whole tree**: the largest sum of the PSS (proportional set size, from "
        "`/proc/PID/smaps_rollup`) of the process and all its descendants, polled every "
        f"{SAMPLE_SECONDS:g} s during the first round: pages that forked processes share count once in all. "
        "The memory targets are judged on it. **Peak RSS, largest process**: `ru_maxrss` from `wait4`, "
        "which covers the process and every descendant it waited for: the largest single process.",
        "- svccat lint and build each run in their own scratch working directory, where svccat keeps "
        f"`{CACHE_FOLDER}/`; *cold* deletes it (and the output folder) first. *lint-file* "
        f"({LINT_FILE_REPEATS} times a round) and *build-one* add a condition to one published item "
        "file (the same one each time), run, and restore the file.",
        "- **Rates**: lint counts the files it reports (items and registries), parse every YAML file, "
        "check-jsonschema the item files it is given, build and Hugo the `.html` files in their output.",
        "- **check-jsonschema** gets the item schema with its `$ref`s to `common.schema.json` written out in "
        "place (the form svccat validates with; the files of `svccat schema --out` resolve their references "
        "through the `https://schemas.svccat.org/` `$id`s, which needs the network). Files go in batches of "
        "at most 1 MiB of arguments, one after the other; the time is the sum of the batches.",
        "- **Hugo** builds the same items as Markdown pages with front matter (`benchmarks/hugo/`), "
        "drafts for unpublished items; one page per item and per region, a home page and an item list. "
        "The Markdown is written before timing; `public/`, `resources/` and Hugo's cache folder are "
        "deleted before each run.",
        "- **diff**: a git repository of the catalogue with a second commit changing 100 items (a condition "
        "added or reworded), `svccat diff OLD..NEW --format json` in it.",
        "- **Ratios** take the medians over the rounds in which both measurements ran (check-jsonschema "
        "may run in fewer), so both sides saw the same machine.",
        "- **growth exponent**: k in time ∝ itemsᵏ between the two largest sizes; 1 is linear, less than "
        "1 means fixed costs still weigh.",
        f"- Catalogues: `python benchmarks/generate.py --items N --seed {session['seed']}`.\n",
        "## Machine\n"]
    parts += [f"- **{k}**: {v}" for k, v in session["machine"]]
    parts += ["", "## Targets\n", markdown_table(*target_rows(sizes))]
    parts += ["## Median seconds\n", markdown_table(*summary_rows(sizes))]
    if chart:
        parts += [f"![seconds against items, log-log]({chart})\n"]
    for size in sizes:
        parts += [f"## {size.items:,} items\n",
                  f"{size.files:,} files, {size.megabytes:.1f} MB; baseline "
                  f"{size.generator.get('baseline', 0):,} items, "
                  f"{size.generator.get('regions', 0)} regions.\n",
                  markdown_table(*detail_rows(size))]
        notes = [f"- {name}: {runs[0].note}" for name, runs in size.runs.items() if runs[0].note]
        notes += [f"- {note}" for note in size.notes]
        parts += [*notes, ""] if notes else []
    parts += ["## Every run (seconds)\n", markdown_table(
        ["items", "measurement", "runs"],
        [[f"{s.items:,}", name, ", ".join(f"{r.seconds:.3f}" for r in runs)]
         for s in sizes for name, runs in s.runs.items()])]
    return "\n".join(parts)


# One colour per group, one dash pattern per variant within the group (cold, warm, …).
GROUP_COLOURS = {"lint": "#0072B2", "parse": "#009E73", "check-jsonschema": "#CC79A7",
                 "build": "#D55E00", "hugo": "#E69F00", "diff": "#000000"}
VARIANT_DASHES = ("", "6 3", "2 3", "8 3 2 3")


def write_chart(sizes: Sequence[Size], path: Path) -> None:
    series = []
    for group in GROUPS:
        names = [n for n, (g, _, _) in MEASUREMENTS.items() if g == group and any(n in s.runs for s in sizes)]
        series += [Series(name, [(s.items, t) for s in sizes if (t := s.median(name))],
                          colour=GROUP_COLOURS[group], dash=VARIANT_DASHES[i % len(VARIANT_DASHES)])
                   for i, name in enumerate(names)]
    path.write_text(loglog_svg(series, title="svccat benchmark: median seconds by catalogue size",
                               x_label="items", y_label="seconds"), encoding="utf-8")


# ---------------------------------------------------------------------------- main


def cjs_runs(explicit: int | None, runs: int, items: int, large: int | None = None,
             large_from: int = 100_000) -> int:
    """Rounds of check-jsonschema at this size (`large`: at `large_from` items and more)."""
    if large is not None and items >= large_from:
        return min(large, runs)
    if explicit is not None:
        return min(explicit, runs)
    return runs if items < 100_000 else 1


def svccat_command(given: str | None) -> list[str]:
    """The svccat executable beside this interpreter (so that `make bench` measures the
    project's venv), else from PATH; a pyenv shim (a shell script that adds about 50 ms to
    every call) is resolved to the executable it runs."""
    beside = Path(sys.executable).parent / "svccat"
    found = given or (str(beside) if beside.is_file() else shutil.which("svccat"))
    if not found:
        sys.exit("bench: svccat is not on PATH (pip install -e . , or give --svccat)")
    if "/.pyenv/shims/" in found and shutil.which("pyenv"):
        real = subprocess.run(["pyenv", "which", "svccat"], capture_output=True, text=True, check=False)
        if real.returncode == 0 and real.stdout.strip():
            found = real.stdout.strip()
    return [found]


def compile_bytecode(svccat: Sequence[str]) -> str:
    """Compile svccat's modules to bytecode, as pip does when it installs the wheel: an
    editable install on a machine with PYTHONDONTWRITEBYTECODE set (this sandbox) would
    otherwise compile every module from source on every start, about 0.2 s. What was done,
    for the report."""
    try:
        first = Path(svccat[0]).read_bytes()[:200].split(b"\n", 1)[0]
    except OSError:
        return "not compiled (the svccat executable cannot be read)"
    if not first.startswith(b"#!") or b"python" not in first:
        return "not compiled (the svccat executable is no Python script)"
    python = first[2:].decode().strip().split()[0]
    done = subprocess.run(
        [python, "-c", "import compileall, os, svccat; "
                       "compileall.compile_dir(os.path.dirname(svccat.__file__), quiet=1)"],
        capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return f"not compiled ({(done.stderr.strip().splitlines() or [done.returncode])[-1]})"
    return "compiled before measuring (`compileall`, as pip does when it installs the wheel)"


def _groups(text: str) -> set[str]:
    chosen = {g.strip() for g in text.split(",") if g.strip()}
    unknown = chosen - set(GROUPS)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown group(s) {', '.join(sorted(unknown))}; "
                                         f"choose from {', '.join(GROUPS)}")
    return chosen


def _missing_tools(groups: set[str]) -> Iterator[str]:
    if "hugo" in groups and not shutil.which("hugo"):
        yield "hugo"
    if "check-jsonschema" in groups and not CHECK_JSONSCHEMA.is_file():
        yield "check-jsonschema"


def measure_all(args: argparse.Namespace, argv: list[str] | None) -> tuple[dict[str, Any], list[Size]]:
    """Measure every size; after each, save every figure so far in raw-DATE.json in the cache
    folder, from which `--from-raw` writes the report should anything later fail."""
    svccat = svccat_command(args.svccat)
    bytecode = compile_bytecode(svccat)
    load_at_start, started = load_average(), time.perf_counter()
    given = argv if argv is not None else sys.argv[1:]
    session: dict[str, Any] = {
        "invocation": shlex.join(["python", "benchmarks/bench.py", *given]), "runs": args.runs,
        "check_jsonschema_runs": args.check_jsonschema_runs, "seed": args.seed,
        "runs_large": args.runs_large, "large_from": args.large_from,
        "check_jsonschema_runs_large": args.check_jsonschema_runs_large}
    raw = args.cache / f"raw-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.json"
    sizes: list[Size] = []
    for n in sorted(args.sizes):
        bench = Bench(n_items=n, seed=args.seed, cache=args.cache, svccat=svccat, groups=args.only)
        runs = args.runs_large if args.runs_large is not None and n >= args.large_from \
            else args.runs
        sizes.append(bench.measure(runs, cjs_runs(args.check_jsonschema_runs, runs, n,
                                                  args.check_jsonschema_runs_large,
                                                  args.large_from)))
        session["minutes"] = (time.perf_counter() - started) / 60
        session["machine"] = [*machine(load_at_start, svccat), ("svccat bytecode", bytecode)]
        raw.write_text(json.dumps({"session": session, "sizes": [asdict(s) for s in sizes]},
                                  ensure_ascii=False, indent=1), encoding="utf-8")
        log(f"raw figures so far in {raw}")
    return session, sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000], metavar="N",
                        help="catalogue sizes in items (default: 1000 10000 100000)")
    parser.add_argument("--runs", type=int, default=3, help="rounds of every measurement (default 3)")
    parser.add_argument("--runs-large", type=int, metavar="R",
                        help="rounds at --large-from items and more (default: --runs)")
    parser.add_argument("--check-jsonschema-runs-large", type=int, metavar="R",
                        help="rounds of check-jsonschema at --large-from items and more; 0 "
                        "skips it there (one run at 100,000 items takes about an hour)")
    parser.add_argument("--large-from", type=int, default=100_000, metavar="N",
                        help="what --runs-large and --check-jsonschema-runs-large call large "
                        "(default 100000 items)")
    parser.add_argument("--check-jsonschema-runs", type=int, metavar="R",
                        help="rounds of check-jsonschema (default: --runs below 100,000 items, 1 from "
                             "100,000 items, where one run takes over half an hour)")
    parser.add_argument("--only", type=_groups, default=set(GROUPS), metavar="GROUPS",
                        help=f"comma-separated groups to run (default all): {','.join(GROUPS)}")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"generator seed (default {DEFAULT_SEED})")
    parser.add_argument("--write", type=Path, metavar="FILE",
                        help="write the results as Markdown to FILE, and the chart as results.svg beside it")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                        help="where catalogues and work folders are kept (default: %(default)s)")
    parser.add_argument("--svccat", help="the svccat executable (default: svccat beside this Python, "
                                         "else from PATH)")
    parser.add_argument("--from-raw", type=Path, metavar="JSON",
                        help="measure nothing: report the figures a previous run saved in JSON")
    args = parser.parse_args(argv)
    if args.runs < 1 or (args.check_jsonschema_runs or 1) < 1 or any(n < 1 for n in args.sizes):
        parser.error("--runs, --check-jsonschema-runs and --sizes must be at least 1")
    missing = [] if args.from_raw else list(_missing_tools(args.only))
    if missing:
        sys.exit(f"bench: {' and '.join(missing)} not installed: run benchmarks/install-tools.sh "
                 "(or leave them out with --only)")
    if args.from_raw:
        saved = json.loads(args.from_raw.read_text(encoding="utf-8"))
        session: dict[str, Any] = saved["session"]
        # Files saved before runs recorded their round: the n-th run of a measurement was in round n.
        # Files saved before the tree was measured by PSS have a summed RSS, which is dropped.
        sizes = [Size(**{**s, "runs": {name: [Run(**{"round": i, **{k: v for k, v in r.items()
                                                                    if k != "tree_rss_kb"}})
                                              for i, r in enumerate(runs)]
                                       for name, runs in s["runs"].items()}})
                 for s in saved["sizes"]]
    else:
        session, sizes = measure_all(args, argv)
    header, rows = summary_rows(sizes)
    sys.stdout.write(text_table(header, rows) + "\n")
    header, rows = target_rows(sizes)
    sys.stdout.write(text_table(header, rows))
    if args.write:
        chart = args.write.with_name("results.svg" if args.write.name == "RESULTS.md"
                                     else args.write.stem + ".svg")
        args.write.parent.mkdir(parents=True, exist_ok=True)
        write_chart(sizes, chart)
        args.write.write_text(results_markdown(sizes, session=session, chart=chart.name), encoding="utf-8")
        log(f"wrote {args.write} and {chart}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
