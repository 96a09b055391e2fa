"""The benchmark measures svccat as installed: its modules compiled to bytecode first."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import svccat
from tests.conftest import REPO


def _bench_module() -> ModuleType:
    sys.path.insert(0, str(REPO / "benchmarks"))  # bench.py imports its neighbours
    try:
        spec = importlib.util.spec_from_file_location("bench_main", REPO / "benchmarks" / "bench.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(REPO / "benchmarks"))


def test_svccat_bytecode_is_compiled_for_a_python_script(tmp_path: Path) -> None:
    bench = _bench_module()
    script = tmp_path / "svccat"
    script.write_text(f"#!{sys.executable}\nfrom svccat.cli import main\nmain()\n",
                      encoding="utf-8")
    assert bench.compile_bytecode([str(script)]).startswith("compiled before measuring")
    cached = Path(svccat.__file__).parent / "__pycache__"
    assert any(cached.glob(f"lint.{sys.implementation.cache_tag}.pyc"))


def test_an_executable_that_is_no_python_script_is_left_alone(tmp_path: Path) -> None:
    bench = _bench_module()
    binary = tmp_path / "svccat"
    binary.write_bytes(b"\x7fELF\x02\x01\x01")
    assert bench.compile_bytecode([str(binary)]).startswith("not compiled")
    assert bench.compile_bytecode([str(tmp_path / "missing")]).startswith("not compiled")


def test_tree_memory_is_the_pss_of_the_process_and_its_children() -> None:
    bench = _bench_module()
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
