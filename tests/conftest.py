"""Shared helpers: paths of the repository, the shared folder, and a CLI runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "cases"
SHARED = REPO.parent / "shared"


def run_svccat(*args: str, cwd: Path, env: dict[str, str] | None = None
               ) -> subprocess.CompletedProcess[str]:
    """Run the real command in a subprocess, as a user or CI would."""
    return subprocess.run([sys.executable, "-m", "svccat", *args], cwd=cwd, text=True,
                          capture_output=True, env=env, timeout=300)


def lint_json(*args: str, cwd: Path) -> tuple[int, dict[str, Any]]:
    done = run_svccat("lint", "--format", "json", *args, cwd=cwd)
    assert not done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write text files under tmp_path: write({"catalogue/x.yaml": "..."})."""

    def _write(files: dict[str, str | bytes]) -> Path:
        for name, content in files.items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return tmp_path

    return _write


RULE_REGISTRIES = {f"catalogue/registries/{p.name}": p.read_text(encoding="utf-8")
                   for p in (CASES / "rules" / "_registries").glob("*.yaml")}
# One item with one problem of each severity: G001 (warning), L001 (error), H008 (info).
SMALL_ITEM = """# yaml-language-server: $schema=../../schemas/item.schema.json
id: 370784-sfz
name: 居民身份证补领、换领
type: 行政确认
region: "370784"
department: 370784-gaj
tier: main
handling_type: 即办件
channels:
  halls:
    - {name: 安丘市政务服务中心, address: 安丘市兴安街道健康路 1 号, window: 一楼 8 号窗口}
status: draft
"""


@pytest.fixture
def small(write):  # type: ignore[no-untyped-def]
    """A catalogue whose lint finds one error, one warning and one info."""
    return write({**RULE_REGISTRIES, "svccat.toml": '[lint]\nselect = ["G001", "L001", "H008", "N"]\n',
                  "catalogue/items/370784-sfz.yaml": SMALL_ITEM})


def dies_in_workers(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` in this process; in any other (a worker, a forked child) it kills the
    process on the spot, as the kernel's out-of-memory killer would."""
    parent = os.getpid()

    def dying(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            os._exit(9)
        return function(*args, **kwargs)

    return dying
