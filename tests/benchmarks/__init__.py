"""Tests of the benchmark scripts in benchmarks/, which are scripts, not a package."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from tests.conftest import REPO

BENCHMARKS = REPO / "benchmarks"


def benchmark_module(name: str) -> ModuleType:
    """benchmarks/NAME.py loaded as a module (it may import its neighbours, as it does when run)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCHMARKS))
