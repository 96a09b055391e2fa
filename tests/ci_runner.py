"""Run CI definitions locally: the shell steps of a GitHub workflow or composite action, and
the scripts of GitLab CI jobs, with bash, the way the hosted runners run them.

GitHub: `${{ }}` expressions in `env`, `with`, `run` and `if` are evaluated against the given
contexts (inputs, github, env, steps, runner), each step gets its own GITHUB_OUTPUT and
GITHUB_STEP_SUMMARY file, and `uses:` steps are skipped (they need GitHub). GitLab: a job's
`extends`, `before_script` and `variables` are resolved and its lines run in one shell.
An expression this small evaluator does not know is an error, never silently true.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.diff.helpers import git_env

BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]


# --- expressions ----------------------------------------------------------------------------

_TOKEN = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>==|!=|&&|\|\||!|\(|\)|,)"
                    r"|(?P<num>\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*))")


class _Expression:
    def __init__(self, text: str, contexts: Mapping[str, Any], functions: Mapping[str, Any]) -> None:
        self.tokens: list[tuple[str, str]] = []
        position = 0
        text = text.strip()
        while position < len(text):
            found = _TOKEN.match(text, position)
            if found is None or found.end() == position:
                raise ValueError(f"cannot read expression {text!r} at {position}")
            kind = found.lastgroup
            assert kind is not None
            self.tokens.append((kind, found.group(kind)))
            position = found.end()
        self.at = 0
        self.contexts = contexts
        self.functions = functions

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise ValueError(f"expected {value!r}, found {token!r}")
        self.at += 1
        return token

    def evaluate(self) -> Any:
        value = self.either()
        if self.peek() is not None:
            raise ValueError(f"unexpected {self.peek()!r}")
        return value

    def either(self) -> Any:
        value = self.both()
        while self.peek() == ("op", "||"):
            self.take()
            right = self.both()
            value = value if truthy(value) else right
        return value

    def both(self) -> Any:
        value = self.unary()
        while self.peek() == ("op", "&&"):
            self.take()
            right = self.unary()
            value = right if truthy(value) else value
        return value

    def unary(self) -> Any:
        if self.peek() == ("op", "!"):
            self.take()
            return not truthy(self.unary())
        left = self.primary()
        token = self.peek()
        if token in (("op", "=="), ("op", "!=")):
            self.take()
            right = self.primary()
            same = _loose(left) == _loose(right)
            return same if token[1] == "==" else not same
        return left

    def primary(self) -> Any:
        kind, value = self.take()
        if (kind, value) == ("op", "("):
            inner = self.either()
            self.take(")")
            return inner
        if kind == "str":
            return value[1:-1].replace("''", "'")
        if kind == "num":
            return int(value)
        if kind != "name":
            raise ValueError(f"unexpected {value!r}")
        if value in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[value]
        if self.peek() == ("op", "("):
            self.take()
            args = []
            while self.peek() != ("op", ")"):
                args.append(self.either())
                if self.peek() == ("op", ","):
                    self.take()
            self.take(")")
            if value not in self.functions:
                raise ValueError(f"unknown function {value}()")
            return self.functions[value](*args)
        head, *rest = value.split(".")
        if head not in self.contexts:
            raise ValueError(f"unknown context {head}")
        found: Any = self.contexts[head]
        for part in rest:
            found = found.get(part) if isinstance(found, Mapping) else None
        return found


def _loose(value: Any) -> Any:
    return "" if value is None else str(value).lower() if isinstance(value, str) else value


def truthy(value: Any) -> bool:
    return value not in (None, False, 0, "")


def show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


_EMBEDDED = re.compile(r"\$\{\{(.*?)\}\}")


# --- GitHub ---------------------------------------------------------------------------------

@dataclass
class StepRun:
    name: str
    id: str | None
    skipped: str | None = None  # why it did not run: "uses", "if"
    returncode: int = 0
    stdout: str = ""
    stderr: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    uses: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)  # its `with:`, evaluated


@dataclass
class JobRun:
    steps: list[StepRun]
    failed: bool
    outputs: dict[str, str]

    @property
    def summary(self) -> str:
        return "".join(s.summary for s in self.steps)

    def step(self, name_or_id: str) -> StepRun:
        for s in self.steps:
            if name_or_id in (s.id, s.name):
                return s
        raise KeyError(name_or_id)


def _read_outputs(path: Path) -> dict[str, str]:
    outputs: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    index = 0
    while index < len(lines):
        line = lines[index]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, index + 1)
            outputs[key] = "\n".join(lines[index + 1:end])
            index = end + 1
            continue
        key, _, value = line.partition("=")
        outputs[key] = value
        index += 1
    return outputs


def run_github_steps(steps: list[dict[str, Any]], *, workspace: Path, temp: Path,
                     path_prefix: list[Path], inputs: Mapping[str, str] | None = None,
                     github: Mapping[str, Any] | None = None,
                     env: Mapping[str, str] | None = None) -> JobRun:
    """Run the steps in order, as a runner would; `uses:` steps are recorded, not run."""
    temp.mkdir(parents=True, exist_ok=True)
    contexts: dict[str, Any] = {
        "inputs": dict(inputs or {}), "github": {"workspace": str(workspace), **(github or {})},
        "env": dict(env or {}), "steps": {}, "runner": {"temp": str(temp), "os": "Linux"}}
    failed = False

    functions = {
        "always": lambda: True, "cancelled": lambda: False, "success": lambda: not failed,
        "failure": lambda: failed,
        "hashFiles": lambda *patterns: _hash_files(workspace, patterns),
        "format": lambda text, *args: re.sub(r"\{(\d+)\}", lambda m: show(args[int(m[1])]), text),
    }

    def evaluate(text: str) -> Any:
        return _Expression(text, contexts, functions).evaluate()

    def substitute(text: Any) -> str:
        return _EMBEDDED.sub(lambda m: show(evaluate(m.group(1))), str(text))

    runs: list[StepRun] = []
    for number, step in enumerate(steps):
        name = str(step.get("name") or step.get("uses") or step.get("run", "")[:40])
        run = StepRun(name=name, id=step.get("id"), uses=step.get("uses"))
        runs.append(run)
        condition = str(step.get("if", "success()"))
        inner = _EMBEDDED.fullmatch(condition.strip())
        wanted = truthy(evaluate(inner.group(1) if inner else condition))
        if not wanted:
            run.skipped = "if"
            continue
        run.inputs = {k: substitute(v) for k, v in (step.get("with") or {}).items()}
        run.env = {k: substitute(v) for k, v in (step.get("env") or {}).items()}
        if "uses" in step:
            run.skipped = "uses"
            continue
        output_file, summary_file = temp / f"output-{number}", temp / f"summary-{number}"
        for f in (output_file, summary_file):
            f.write_text("", encoding="utf-8")
        script = temp / f"step-{number}.sh"
        script.write_text(substitute(step["run"]), encoding="utf-8")
        process_env = {
            **git_env(),
            "PATH": os.pathsep.join([*map(str, path_prefix), os.environ.get("PATH", "")]),
            **contexts["env"], **run.env,
            "GITHUB_OUTPUT": str(output_file), "GITHUB_STEP_SUMMARY": str(summary_file),
            "GITHUB_ENV": str(temp / "env"), "GITHUB_PATH": str(temp / "path"),
            "GITHUB_WORKSPACE": str(workspace), "RUNNER_TEMP": str(temp), "CI": "true",
            "GITHUB_ACTIONS": "true",
        }
        assert step.get("shell", "bash") == "bash", step.get("shell")
        cwd = workspace / step.get("working-directory", ".")
        done = subprocess.run([*BASH, str(script)], cwd=cwd, env=process_env, text=True,
                              capture_output=True, timeout=600, check=False)
        run.returncode, run.stdout, run.stderr = done.returncode, done.stdout, done.stderr
        run.outputs = _read_outputs(output_file)
        run.summary = summary_file.read_text(encoding="utf-8")
        if run.id:
            contexts["steps"][run.id] = {
                "outputs": run.outputs, "outcome": "success" if done.returncode == 0 else "failure",
                "conclusion": "success" if done.returncode == 0 else "failure"}
        if done.returncode != 0 and not step.get("continue-on-error"):
            failed = True
    return JobRun(steps=runs, failed=failed, outputs={})


def _hash_files(workspace: Path, patterns: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    found = False
    for pattern in patterns:
        for path in sorted(workspace.glob(pattern)):
            if path.is_file():
                digest.update(path.read_bytes())
                found = True
    return digest.hexdigest() if found else ""


def run_action(action_file: Path, *, workspace: Path, temp: Path, path_prefix: list[Path],
               inputs: Mapping[str, str], github: Mapping[str, Any]) -> JobRun:
    """A composite action: its inputs with their defaults, its steps, then its outputs."""
    action = yaml.safe_load(action_file.read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    unknown = set(inputs) - set(action.get("inputs", {}))
    assert not unknown, f"inputs the action does not declare: {unknown}"
    given = {name: str(inputs.get(name, spec.get("default", "")))
             for name, spec in action.get("inputs", {}).items()}
    job = run_github_steps(action["runs"]["steps"], workspace=workspace, temp=temp,
                           path_prefix=path_prefix, inputs=given, github=github)
    steps = {s.id: {"outputs": s.outputs} for s in job.steps if s.id}
    contexts = {"steps": steps, "inputs": given, "github": dict(github)}
    for name, spec in action.get("outputs", {}).items():
        job.outputs[name] = _EMBEDDED.sub(
            lambda m: show(_Expression(m.group(1), contexts, {}).evaluate()), spec["value"])
    return job


def run_workflow_job(workflow_file: Path, job: str, *, workspace: Path, temp: Path,
                     path_prefix: list[Path], github: Mapping[str, Any]) -> JobRun:
    workflow = yaml.safe_load(workflow_file.read_text(encoding="utf-8"))
    spec = workflow["jobs"][job]
    env = {**(workflow.get("env") or {}), **(spec.get("env") or {})}
    return run_github_steps(spec["steps"], workspace=workspace, temp=temp,
                            path_prefix=path_prefix, github=github,
                            env={k: str(v) for k, v in env.items()})


# --- GitLab ---------------------------------------------------------------------------------

@dataclass
class GitlabJobRun:
    returncode: int
    stdout: str
    stderr: str
    script: str


def gitlab_job_script(config: Mapping[str, Any], job: str) -> tuple[list[str], dict[str, str]]:
    """The lines a GitLab runner runs for a job (before_script then script), and its variables."""
    spec = dict(config[job])
    chain = [spec]
    while "extends" in chain[-1]:
        parent = chain[-1]["extends"]
        assert isinstance(parent, str), "one level of extends, by name"
        chain.append(dict(config[parent]))
    merged: dict[str, Any] = {}
    for part in reversed(chain):
        merged.update(part)
    default = config.get("default", {})
    before = merged.get("before_script", default.get("before_script", []))
    variables = {**(config.get("variables") or {})}
    for part in reversed(chain):
        variables.update(part.get("variables") or {})
    return [*before, *merged["script"]], {k: str(v) for k, v in variables.items()}


def run_gitlab_job(config_file: Path, job: str, *, workspace: Path, path_prefix: list[Path],
                   ci: Mapping[str, str], variables: Mapping[str, str] | None = None
                   ) -> GitlabJobRun:
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    lines, defaults = gitlab_job_script(config, job)
    script = "\n".join(lines) + "\n"
    env = {**git_env(),
           "PATH": os.pathsep.join([*map(str, path_prefix), os.environ.get("PATH", "")]),
           "CI": "true", "GITLAB_CI": "true", "CI_PROJECT_DIR": str(workspace),
           **defaults, **ci, **(variables or {})}
    done = subprocess.run([*BASH, "-c", script], cwd=workspace, env=env, text=True,
                          capture_output=True, timeout=600, check=False)
    return GitlabJobRun(done.returncode, done.stdout, done.stderr, script)


# --- stand-ins for what CI installs -----------------------------------------------------------

def shims(folder: Path) -> Path:
    """A bin folder: `svccat` runs this checkout's svccat; `pip`, `curl` only record their
    arguments (one line per call in pip.log, curl.log), since tests have no network."""
    folder.mkdir(parents=True, exist_ok=True)
    scripts = {
        "svccat": f'#!/bin/sh\nexec "{sys.executable}" -m svccat "$@"\n',
        "pip": f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{folder}/pip.log"\n',
        "curl": f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{folder}/curl.log"\n',
    }
    for name, text in scripts.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        path.chmod(0o755)
    return folder


# --- a repository with a pull request -------------------------------------------------------

@dataclass(frozen=True)
class PullRequest:
    origin: Path  # the bare repository both branches were pushed to
    base: str
    head: str


def run_git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          env=git_env(), timeout=120, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def push_pull_request(source: Path, origin: Path, change: Mapping[str, str], *,
                      base: str = "main", head: str = "change") -> PullRequest:
    """Commit source on `base`, push it to a new bare origin, then commit `change` (file →
    new text) on `head` and push that too."""
    run_git(source, "init", "--quiet", "--initial-branch", base)
    run_git(source, "add", "--all")
    run_git(source, "commit", "--quiet", "-m", "catalogue")
    run_git(source.parent, "init", "--quiet", "--bare", str(origin))
    run_git(source, "remote", "add", "origin", str(origin))
    run_git(source, "push", "--quiet", "origin", base)
    run_git(source, "checkout", "--quiet", "-b", head)
    for name, text in change.items():
        (source / name).write_text(text, encoding="utf-8")
    run_git(source, "commit", "--quiet", "--all", "-m", "change")
    run_git(source, "push", "--quiet", "origin", head)
    return PullRequest(origin=origin, base=base, head=head)


def checkout(pull: PullRequest, workspace: Path, *, full: bool) -> Path:
    """The head branch as actions/checkout leaves it: full history (fetch-depth: 0), or one
    commit of the head branch only (its default)."""
    depth = [] if full else ["--depth", "1"]
    run_git(workspace.parent, "clone", "--quiet", *depth, "--branch", pull.head,
            f"file://{pull.origin}", str(workspace))
    return workspace
