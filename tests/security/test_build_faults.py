"""A build interrupted at any point leaves the previous site untouched and no temporary folder
behind; two builds at once each put a whole site in place (issue #8).

An exception mid-render, Ctrl+C during the writes and an interruption between the two
renames of the swap are tested in tests/site/test_build.py; here: a full disk, SIGTERM and
SIGINT to a real build process, and two builds into one folder at the same time.
"""

from __future__ import annotations

import builtins
import errno
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from svccat.site import output
from svccat.site.output import MARKER, write_site
from tests.conftest import REPO
from tests.security.conftest import snapshot, svccat


def leftovers(folder: Path) -> list[str]:
    """Temporary folders of a build of `site` (.site.building-*, .site.previous-*)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".site."))


def test_a_full_disk_leaves_the_previous_site_and_no_temporary_folder(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects: a write that fails with ENOSPC (simulated: the 20th file written raises)
    is a usage error (exit 2, one line saying why), the temporary folder is removed and the
    previous site stays exactly as it was."""
    assert svccat("build", "--out", "site", cwd=project).code == 0
    before = snapshot(project / "site")
    (project / "catalogue/items/370785/370785-sfz-sl.yaml").unlink()  # the next site differs
    real_open = builtins.open
    written = 0

    class FullDisk:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            nonlocal written
            written += 1
            if written == 20:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return int(self.handle.write(data))

    def full_disk_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(file, mode, *args, **kwargs)
        return FullDisk(handle) if "x" in mode else handle

    monkeypatch.setattr(output, "open", full_disk_open, raising=False)
    done = svccat("build", "--out", "site", "--lang", "en", cwd=project)
    done.assert_answered()
    assert written == 20
    assert done.code == 2
    assert "cannot write site" in done.stderr and "No space left on device" in done.stderr
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_build_leaves_the_previous_site_and_no_temporary_folder(
        tmp_path: Path, signum: signal.Signals) -> None:
    """Protects: SIGTERM (a CI job cancelled or timed out, `kill`) unwinds the build like
    Ctrl+C, so the temporary folder is removed and the previous site kept. Before the fix
    SIGTERM ended the process on the spot and left `.site.building-*` with half a site."""
    site = tmp_path / "site"
    site.mkdir()
    (site / MARKER).write_text(output.MARKER_TEXT, encoding="utf-8")
    (site / "index.html").write_text("the previous site", encoding="utf-8")
    before = snapshot(site)
    # The sample catalogue (420 items) takes seconds to write: time enough to interrupt it.
    process = subprocess.Popen(
        [sys.executable, "-m", "svccat", "build", "--catalogue", str(REPO / "catalogue"),
         "--out", "site"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        deadline = time.monotonic() + 120
        while not any(p.name.startswith(".site.building-") for p in tmp_path.iterdir()):
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.01)
        time.sleep(0.2)  # well inside the writes
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, (process.returncode, stderr)  # as for Ctrl+C
    assert "Traceback" not in stderr
    assert snapshot(site) == before
    assert leftovers(tmp_path) == []


def test_two_builds_at_once_each_swap_in_a_whole_site(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Protects: the swap lock. Build A has moved the previous site aside and is about to
    move its own in; build B finishes meanwhile. Without the lock B put its site in place
    while A's rename then failed ("Directory not empty") and A's build was lost with an
    error; with it B waits for A, and the later build wins, whole."""
    out = tmp_path / "site"
    write_site(out, [("index.html", b"previous")])
    real_replace = os.replace
    a_moved_aside, b_finished = threading.Event(), threading.Event()

    def replace(source: Any, target: Any) -> None:
        real_replace(source, target)
        if threading.current_thread().name == "A" and Path(target).name.startswith(".site.previous-"):
            a_moved_aside.set()
            b_finished.wait(timeout=1.5)  # B gets its chance to slip in between A's renames

    monkeypatch.setattr(output.os, "replace", replace)
    errors: list[tuple[str, BaseException]] = []

    def build(name: str) -> None:
        try:
            write_site(out, [("index.html", name.encode()), ("items/a.html", name.encode())])
        except BaseException as e:  # collected: the assertion below shows them
            errors.append((name, e))
        finally:
            if name == "B":
                b_finished.set()

    first = threading.Thread(target=build, args=("A",), name="A")
    first.start()
    assert a_moved_aside.wait(timeout=10)
    second = threading.Thread(target=build, args=("B",), name="B")
    second.start()
    first.join(timeout=30)
    second.join(timeout=30)
    assert errors == []
    site = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert site == {MARKER: output.MARKER_TEXT.encode(), "index.html": b"B", "items/a.html": b"B"}
    assert leftovers(tmp_path) == []
