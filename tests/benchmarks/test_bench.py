"""The benchmark measures svccat as installed: its modules compiled to bytecode first."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.benchmarks import benchmark_module


def test_svccat_bytecode_is_compiled_for_a_python_script(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bench = benchmark_module("bench")
    # A stand-in svccat, found first by the script's Python: no bytecode until compiled.
    package = tmp_path / "site" / "svccat"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "lint.py").write_text("RULES = 1\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "site"))
    script = tmp_path / "svccat"
    script.write_text(f"#!{sys.executable}\nfrom svccat.cli import main\nmain()\n",
                      encoding="utf-8")
    assert not (package / "__pycache__").exists()
    assert bench.compile_bytecode([str(script)]).startswith("compiled before measuring")
    assert any((package / "__pycache__").glob(f"lint.{sys.implementation.cache_tag}.pyc"))


def test_an_executable_that_is_no_python_script_is_left_alone(tmp_path: Path) -> None:
    bench = benchmark_module("bench")
    binary = tmp_path / "svccat"
    binary.write_bytes(b"\x7fELF\x02\x01\x01")
    assert bench.compile_bytecode([str(binary)]).startswith("not compiled")
    assert bench.compile_bytecode([str(tmp_path / "missing")]).startswith("not compiled")


def test_tree_memory_is_the_pss_of_the_process_and_its_children() -> None:
    bench = benchmark_module("bench")
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    alone = bench._proc_tree_pss_kb(os.getpid(), page_kb)
    assert alone == bench._pss_kb(os.getpid(), 0) > 1024  # this process: over a megabyte
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        time.sleep(0.5)
        assert bench._proc_tree_pss_kb(os.getpid(), page_kb) > alone
    finally:
        child.kill()
        child.wait()
    assert bench._pss_kb(2**22 + 7, 123) == 123  # no such process: the RSS given
