#!/usr/bin/env python3
"""Time `svccat lint` on synthetic catalogues against a bare libyaml parse of the same files.

    python benchmarks/bench_lint.py --items 1000 10000 [--runs 3] [--write benchmarks/RESULTS.md]

For each size N the catalogue of benchmarks/generate.py is generated once and cached in the
temporary folder, keyed by N, the seed and a hash of generate.py. Then, in alternating runs,
it times (a) `svccat lint --catalogue DIR --format json` as a subprocess (wall time, from
start to exit) and (b) reading and parsing every item and registry file in this process with
`yaml.load(text, Loader=yaml.CSafeLoader)`, the floor that any YAML-based linter stands on.
It reports the median of the runs, files/s, items/s, the ratio lint/parse and the peak RSS of
the lint process; `svccat --version` is timed too, as the fixed cost of starting the command.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml
from generate import DEFAULT_SEED, generate

HERE = Path(__file__).resolve().parent
REPO = HERE.parent


@dataclass(frozen=True)
class LintRun:
    seconds: float
    cpu_seconds: float  # user + system
    max_rss_kb: int
    exit_code: int
    summary: dict[str, int]


@dataclass(frozen=True)
class Figures:
    items: int
    files: int
    megabytes: float
    lint_runs: list[float]
    parse_runs: list[float]
    startup_runs: list[float]
    lint_cpu: float  # median
    parse_cpu: float  # median
    lint_rss_mb: float  # largest of the runs
    errors: int
    warnings: int
    generator: dict[str, Any]

    @property
    def lint(self) -> float:
        return statistics.median(self.lint_runs)

    @property
    def parse(self) -> float:
        return statistics.median(self.parse_runs)

    @property
    def startup(self) -> float:
        return statistics.median(self.startup_runs)


# ---------------------------------------------------------------------------- catalogue


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
    print(f"generated {root} in {stats['generate_seconds']} s", file=sys.stderr)
    return root, stats


def yaml_files(root: Path) -> list[Path]:
    """Every file svccat lints: *.yaml and *.yml outside hidden folders."""
    found = []
    for folder, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found += [Path(folder, f) for f in sorted(filenames)
                  if not f.startswith(".") and f.endswith((".yaml", ".yml"))]
    return found


# ---------------------------------------------------------------------------- timing


def svccat_command(given: str | None) -> list[str]:
    """The svccat executable from PATH; a pyenv shim (a shell script that adds about 50 ms
    to every call) is resolved to the executable it runs."""
    found = given or shutil.which("svccat")
    if not found:
        sys.exit("bench_lint: svccat is not on PATH (pip install -e . , or give --svccat)")
    if "/.pyenv/shims/" in found and shutil.which("pyenv"):
        real = subprocess.run(["pyenv", "which", "svccat"], capture_output=True, text=True, check=False)
        if real.returncode == 0 and real.stdout.strip():
            found = real.stdout.strip()
    return [found]


def run_lint(command: list[str], root: Path) -> LintRun:
    """One `svccat lint` in a subprocess, waited for with wait4 to get its own resource usage."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([*command, "lint", "--catalogue", str(root), "--format", "json"],
                                   stdout=out, stderr=err, cwd=root)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if process.returncode not in (0, 1) or stderr:
        sys.exit(f"bench_lint: svccat lint failed (exit {process.returncode}):\n"
                 f"{stderr.decode('utf-8', 'replace')}")
    summary: dict[str, int] = json.loads(stdout)["summary"]
    return LintRun(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, process.returncode, summary)


def run_parse(files: list[Path]) -> tuple[float, float]:
    """Read and parse every file with libyaml, as plain Python data: wall and CPU seconds."""
    loader: Any = yaml.CSafeLoader
    started, cpu = time.perf_counter(), time.process_time()
    for path in files:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
        yaml.load(text, Loader=loader)
    return time.perf_counter() - started, time.process_time() - cpu


def run_startup(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([*command, "--version"], check=True, capture_output=True)
    return time.perf_counter() - started


def measure(n_items: int, runs: int, seed: int, cache: Path, command: list[str]) -> Figures:
    root, stats = catalogue(n_items, seed, cache)
    files = yaml_files(root)
    size = sum(p.stat().st_size for p in files)
    # Warm-up, untimed: fills the page cache and checks that the catalogue is clean.
    first = run_lint(command, root)
    run_parse(files)
    if first.summary["files"] != len(files):
        print(f"bench_lint: svccat linted {first.summary['files']} files, the parse reads {len(files)}",
              file=sys.stderr)
    if first.summary["errors"] or first.summary["warnings"]:
        print(f"bench_lint: warning: svccat reports {first.summary['errors']} errors and "
              f"{first.summary['warnings']} warnings on {root}", file=sys.stderr)
    lint_runs: list[LintRun] = []
    parse_runs: list[tuple[float, float]] = []
    startup_runs: list[float] = []
    for index in range(runs):  # alternate, and alternate which goes first
        if index % 2 == 0:
            lint_runs.append(run_lint(command, root))
            parse_runs.append(run_parse(files))
        else:
            parse_runs.append(run_parse(files))
            lint_runs.append(run_lint(command, root))
        startup_runs.append(run_startup(command))
        print(f"  {n_items} items, run {index + 1}/{runs}: lint {lint_runs[-1].seconds:.3f} s "
              f"(CPU {lint_runs[-1].cpu_seconds:.3f}), parse {parse_runs[-1][0]:.3f} s "
              f"(CPU {parse_runs[-1][1]:.3f})", file=sys.stderr)
    return Figures(
        items=n_items, files=len(files), megabytes=size / 1e6,
        lint_runs=[r.seconds for r in lint_runs], parse_runs=[wall for wall, _ in parse_runs],
        startup_runs=startup_runs, lint_cpu=statistics.median(r.cpu_seconds for r in lint_runs),
        parse_cpu=statistics.median(cpu for _, cpu in parse_runs),
        lint_rss_mb=max(r.max_rss_kb for r in lint_runs) / 1024,
        errors=first.summary["errors"], warnings=first.summary["warnings"], generator=stats)


# ---------------------------------------------------------------------------- report

COLUMNS = ("items", "files", "MB", "lint (s)", "lint files/s", "lint items/s", "lint CPU (s)",
           "lint peak RSS (MB)", "parse (s)", "parse files/s", "parse items/s", "parse CPU (s)",
           "lint/parse", "startup (s)", "errors")


def row(f: Figures) -> tuple[str, ...]:
    return (f"{f.items:,}", f"{f.files:,}", f"{f.megabytes:.1f}", f"{f.lint:.2f}",
            f"{f.files / f.lint:,.0f}", f"{f.items / f.lint:,.0f}", f"{f.lint_cpu:.2f}",
            f"{f.lint_rss_mb:.0f}", f"{f.parse:.3f}", f"{f.files / f.parse:,.0f}",
            f"{f.items / f.parse:,.0f}", f"{f.parse_cpu:.3f}", f"{f.lint / f.parse:.1f}×", f"{f.startup:.2f}",
            str(f.errors))


def markdown_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---:" if i else "---" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def text_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(c) for c in column) for column in zip(header, *rows, strict=True)]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True))
                     for r in (header, *rows)) + "\n"


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


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"


def machine(load_at_start: str) -> list[tuple[str, str]]:
    memory = _first_line("/proc/meminfo", "MemTotal")
    memory_text = f"{int(memory.split()[0]) / 1024**2:.1f} GiB" if memory else "unknown"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    libyaml = "not available"
    if yaml.__with_libyaml__:
        from yaml import _yaml

        libyaml = str(_yaml.get_version_string())
    commit = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                            capture_output=True, text=True, check=False).stdout.strip()
    changed = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "src", "schemas"],
                             capture_output=True, text=True, check=False).stdout.splitlines()
    if commit and changed:
        commit += f", {len(changed)} uncommitted or untracked paths in src/ and schemas/"
    return [
        ("CPU", _first_line("/proc/cpuinfo", "model name") or platform.processor() or "unknown"),
        ("Cores", f"{os.cpu_count()} logical, {usable} usable by this process"),
        ("Memory", memory_text),
        ("OS", platform.platform()),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("PyYAML / libyaml", f"{yaml.__version__} / {libyaml}"),
        ("jsonschema / jsonschema-rs", f"{_version('jsonschema')} / {_version('jsonschema-rs')}"),
        ("svccat", f"{_version('svccat')} ({commit or 'no git'})"),
        ("Load average (1, 5, 15 min)", f"{load_at_start} at start, {load_average()} at the end"),
        ("Date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
    ]


def results_markdown(figures: list[Figures], runs: int, seed: int, command: list[str],
                     invocation: str, load_at_start: str) -> str:
    parts = ["# svccat lint benchmark\n",
             "Generated by `benchmarks/bench_lint.py`; see `benchmarks/README.md`. Do not edit by hand.\n",
             "## Command\n", f"```sh\n{invocation}\n```\n",
             f"Each size: one untimed warm-up, then {runs} alternating runs of each measurement; "
             "the figures are medians (peak RSS: the largest of the runs).\n",
             f"- **lint**: `{shlex.join(command)} lint --catalogue DIR --format json`, run as a "
             "subprocess; wall time from start to exit, including interpreter start-up and imports.",
             "- **parse**: in the benchmark's own process, read every item and registry file and "
             "`yaml.load(text, Loader=yaml.CSafeLoader)` it — the libyaml floor.",
             "- **startup**: `svccat --version`, the fixed cost of starting the command.",
             "- **CPU** columns: user + system time of the lint process (from `wait4`) and of the "
             "parse loop (`time.process_time`); wall time well above CPU time means the machine "
             "was busy with something else.",
             f"- Catalogues: `python benchmarks/generate.py --items N --seed {seed}` (synthetic, "
             "valid; errors is what lint reported on it).\n",
             "## Machine\n"]
    parts += [f"- **{k}**: {v}" for k, v in machine(load_at_start)]
    parts += ["", "## Results\n", markdown_table(COLUMNS, [row(f) for f in figures])]
    parts += ["## Catalogues\n"]
    parts += [markdown_table(
        ("items", "baseline items", "regions", "implementing regions", "departments", "legal documents",
         "certificates", "files", "MB"),
        [(f"{f.items:,}", f"{f.generator['baseline']:,}", str(f.generator["regions"]),
          str(f.generator["implementing_regions"]), str(f.generator["departments"]),
          str(f.generator["legal_documents"]),
          f"{f.generator['retained']} + {f.generator['cancelled']}", f"{f.files:,}",
          f"{f.megabytes:.1f}") for f in figures])]
    parts += ["## Every run (seconds)\n", markdown_table(
        ("items", "lint", "parse", "startup"),
        [(f"{f.items:,}", ", ".join(f"{t:.3f}" for t in f.lint_runs),
          ", ".join(f"{t:.3f}" for t in f.parse_runs), ", ".join(f"{t:.3f}" for t in f.startup_runs))
         for f in figures])]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--items", type=int, nargs="+", required=True, metavar="N",
                        help="catalogue sizes, e.g. --items 1000 10000")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each measurement (default 3)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"generator seed (default {DEFAULT_SEED})")
    parser.add_argument("--write", type=Path, metavar="FILE", help="write the results as Markdown to FILE")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "svccat-bench",
                        help="where generated catalogues are kept (default: %(default)s)")
    parser.add_argument("--svccat", help="the svccat executable (default: svccat from PATH)")
    args = parser.parse_args(argv)
    if args.runs < 1 or any(n < 1 for n in args.items):
        parser.error("--runs and --items must be at least 1")
    command = svccat_command(args.svccat)
    load_at_start = load_average()
    figures = [measure(n, args.runs, args.seed, args.cache, command) for n in args.items]
    sys.stdout.write(text_table(COLUMNS, [row(f) for f in figures]))
    if args.write:
        invocation = shlex.join(["python", "benchmarks/bench_lint.py", *(argv or sys.argv[1:])])
        args.write.write_text(
            results_markdown(figures, args.runs, args.seed, command, invocation, load_at_start),
            encoding="utf-8")
        print(f"wrote {args.write}", file=sys.stderr)
    return 1 if any(f.errors for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
