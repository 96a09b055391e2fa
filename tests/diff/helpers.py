"""Helpers of the diff tests: small catalogues built from the base item of
tests/cases/diff/kinds.yaml, and real git repositories in a temporary folder."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from svccat.catalogue import load_catalogue
from svccat.model import Catalogue
from tests.conftest import CASES

DIFF_CASES = CASES / "diff"
RULE_REGISTRIES = CASES / "rules" / "_registries"
KIND_SPEC: dict[str, Any] = yaml.safe_load((DIFF_CASES / "kinds.yaml").read_text(encoding="utf-8"))
BASE: dict[str, Any] = yaml.safe_load(KIND_SPEC["base"])
BASE_ID: str = BASE["id"]


def apply(document: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """A copy of document with each override set: a key is a path of parts separated by "/",
    a number picks a list entry, "-" appends, and None deletes."""
    found = copy.deepcopy(document)
    for path, value in overrides.items():
        parts = path.split("/")
        target: Any = found
        for part in parts[:-1]:
            target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
        last = parts[-1]
        if isinstance(target, list):
            if last == "-":
                target.append(copy.deepcopy(value))
            elif value is None:
                del target[int(last)]
            else:
                target[int(last)] = copy.deepcopy(value)
        elif value is None:
            target.pop(last, None)
        else:
            target[last] = copy.deepcopy(value)
    return found


def item(spec: dict[str, Any] | str) -> dict[str, Any]:
    """An item document from overrides of the base item, or from full YAML text."""
    if isinstance(spec, str):
        loaded: dict[str, Any] = yaml.safe_load(spec)
        return loaded
    return apply(BASE, spec)


def write_catalogue(root: Path, items: list[dict[str, Any]]) -> Path:
    """A catalogue folder (registries/ and items/ replaced, the rest left alone): the shared
    test registries and one file per item."""
    for folder in (root / "registries", root / "items"):
        if folder.exists():
            shutil.rmtree(folder)
    shutil.copytree(RULE_REGISTRIES, root / "registries")
    for document in items:
        path = root / "items" / f"{document['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
    return root


def load_valid(root: Path) -> Catalogue:
    """The catalogue of a folder that must load without a single problem."""
    loaded = load_catalogue(root)
    assert not loaded.problems, [f"{p.file}:{p.line} {p.code} {p.message.en}"
                                 for p in loaded.problems]
    return loaded.catalogue


# --- git --------------------------------------------------------------------------------

def git_env() -> dict[str, str]:
    """The environment for git and svccat subprocesses: no GIT_* variables inherited (a test
    run from a git hook must not write to the real repository), no user or system config,
    and a fixed identity and clock so commits are reproducible."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "svccat test", "GIT_AUTHOR_EMAIL": "test@svccat.invalid",
        "GIT_COMMITTER_NAME": "svccat test", "GIT_COMMITTER_EMAIL": "test@svccat.invalid",
        "GIT_AUTHOR_DATE": "2025-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2025-01-01T00:00:00Z",
        "GIT_TERMINAL_PROMPT": "0", "SVCCAT_LANG": "zh", "NO_COLOR": "1",
    })
    return env


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          env=git_env(), timeout=60, check=False)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


def init_repo(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    return repo


def commit_all(repo: Path, message: str) -> str:
    """Stage everything, commit, and return the commit's id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")
