"""Incremental builds: only what changed is made again, and the site is byte for byte the
site a cold build makes."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from svccat.config import load_config
from svccat.resources import templates_dir
from svccat.site import fingerprint, plan, render
from svccat.site.build import BuildOptions, build_site
from svccat.site.manifest import MANIFEST
from svccat.site.output import MARKER
from tests.conftest import run_svccat
from tests.site.conftest import build

CHANGED_ITEM = "catalogue/items/370785/370785-sfz-sl.yaml"
CHANGED_PAGE = "items/370785-sfz-sl.html"


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def identities(folder: Path) -> dict[str, tuple[int, int]]:
    """Each page's or data file's inode and modification time: equal only if the file was
    not written (svccat's own marker and manifest are written by every build)."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name not in (MANIFEST, MARKER)}


def cold(project: Path, tmp_path: Path, name: str) -> dict[str, bytes]:
    """The site a build from scratch makes of the catalogue as it is now."""
    out = tmp_path / name
    assert build(project, out).built
    return files(out)


def test_nothing_changed_does_nothing(project: Path, tmp_path: Path) -> None:
    out = project / "site"
    first = build(project, out)
    before, made = files(out), identities(out)
    again = build(project, out)
    assert again.up_to_date and again.built
    assert (again.pages, again.items, again.files) == (first.pages, first.items, first.files)
    assert again.written == again.rendered == 0
    assert files(out) == before and identities(out) == made


def test_one_changed_item_rewrites_only_the_pages_that_show_it(project: Path,
                                                                tmp_path: Path) -> None:
    out = project / "site"
    first = build(project, out)
    before, made = files(out), identities(out)
    item = project / CHANGED_ITEM
    item.write_text(item.read_text("utf-8").replace("days: 30", "days: 20"), encoding="utf-8")
    report = build(project, out)
    after, now = files(out), identities(out)
    assert not report.up_to_date
    assert after == cold(project, tmp_path, "cold")
    changed = {path for path in after if before.get(path) != after[path]}
    assert CHANGED_PAGE in changed
    # A file with the bytes it had is the very file it was: linked, not written again.
    assert {path for path in now if now[path] != made.get(path)} == changed - {MANIFEST}
    assert report.written == len(changed - {MANIFEST})
    assert report.unchanged == report.files - report.written
    # Only the pages whose views changed were rendered: the guide and the few that count
    # limits (the dashboard), not the home page or the other guides.
    assert 1 <= report.rendered < first.pages / 2
    assert before["index.html"] == after["index.html"]


def test_a_deleted_item_loses_its_page(project: Path, tmp_path: Path) -> None:
    out = project / "site"
    build(project, out)
    assert (out / CHANGED_PAGE).is_file()
    (project / CHANGED_ITEM).unlink()
    assert build(project, out).built
    assert not (out / CHANGED_PAGE).exists()
    assert files(out) == cold(project, tmp_path, "cold")


def test_a_changed_template_renders_every_page(project: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = project / "site"
    first = build(project, out)
    made = identities(out)
    templates = tmp_path / "templates"
    shutil.copytree(templates_dir(), templates)
    base = templates / "base.html"
    base.write_text(base.read_text("utf-8").replace("</body>", "<!-- changed --></body>"),
                    encoding="utf-8")
    for module in (fingerprint, render, plan):
        monkeypatch.setattr(module, "templates_dir", lambda: templates)
    report = build(project, out)
    assert report.rendered == first.pages
    assert "<!-- changed -->" in (out / "index.html").read_text("utf-8")
    # Files the template does not make keep their bytes, and so their inode: also the
    # catalogue's JSON, written piece by piece and then found unchanged.
    assert report.unchanged > 0
    assert identities(out)["data/catalogue.json"] == made["data/catalogue.json"]


def test_an_edited_output_file_is_made_again(project: Path, tmp_path: Path) -> None:
    out = project / "site"
    build(project, out)
    page = out / CHANGED_PAGE
    original = page.read_bytes()
    page.write_bytes(original.replace("居民身份证".encode(), "居民户口本".encode()))
    report = build(project, out)
    assert not report.up_to_date
    assert page.read_bytes() == original
    assert report.written >= 1


def test_a_stray_file_in_the_output_is_no_longer_up_to_date(project: Path) -> None:
    out = project / "site"
    build(project, out)
    (out / "stray.html").write_text("x", encoding="utf-8")
    report = build(project, out)
    assert not report.up_to_date and report.rendered == 0
    assert not (out / "stray.html").exists()


def test_without_hard_links_unchanged_files_are_written(project: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    out = project / "site"
    build(project, out)
    item = project / CHANGED_ITEM
    item.write_text(item.read_text("utf-8").replace("days: 30", "days: 20"), encoding="utf-8")

    def no_link(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    report = build(project, out)
    assert report.unchanged == 0 and report.written == report.files
    assert files(out) == cold(project, tmp_path, "cold")


def test_the_report_counts_written_and_unchanged_files(project: Path) -> None:
    first = run_svccat("build", "--out", "site", "--lang", "en", cwd=project)
    assert first.returncode == 0, first.stderr
    assert " written, 0 unchanged;" in first.stdout
    again = run_svccat("build", "--out", "site", "--lang", "en", cwd=project)
    assert "is up to date: nothing changed since the last build" in again.stdout
    item = project / CHANGED_ITEM
    item.write_text(item.read_text("utf-8").replace("days: 30", "days: 20"), encoding="utf-8")
    changed = run_svccat("build", "--out", "site", "--no-cache", cwd=project)
    assert changed.returncode == 0, changed.stderr
    assert "未变" in changed.stdout and "渲染" in changed.stdout


def test_an_up_to_date_site_built_with_errors_still_needs_force(project: Path) -> None:
    (project / "catalogue/items/370784/370784-bad.yaml").write_text(
        "id: 370784-bad\nname: 坏\ntype: 公共服务\nregion: \"370784\"\n"
        "department: 370784-nobody\ntier: main\nstatus: published\n", encoding="utf-8")
    out = project / "site"
    assert build(project, out, force=True).built
    refused = build(project, out)
    assert not refused.built and refused.errors == 1
    assert build(project, out, force=True).up_to_date


def _rename(project: Path) -> None:
    # The same bytes under another name: the site is the same, the catalogue is not.
    item = project / CHANGED_ITEM
    item.rename(item.with_name("370785-renamed.yaml"))


def _unknown_registry(project: Path) -> None:
    # Not loaded at all (lint's X010), so only its path can tell that it is there.
    (project / "catalogue/registries/unknown.yaml").write_text("a: 1\n", encoding="utf-8")


@pytest.mark.parametrize("change", [_rename, _unknown_registry], ids=lambda f: f.__name__)
def test_a_file_renamed_or_added_is_a_change(project: Path, tmp_path: Path,
                                            change: Callable[[Path], None]) -> None:
    out = project / "site"
    build(project, out)
    change(project)
    report = build(project, out, force=True)
    assert report.built and not report.up_to_date
    assert build(project, tmp_path / "cold", force=True).built
    assert files(out) == files(tmp_path / "cold")


def test_with_the_load_cache_nothing_changed_is_up_to_date(project: Path,
                                                           tmp_path: Path) -> None:
    """The catalogue's digest is made of the load's keys; read again to check a site, the
    files give the same digest. The manifest is the same as without the cache (`cold`)."""
    config = load_config(cwd=project)
    out, cache = project / "site", tmp_path / "cache"
    first = build_site(config, BuildOptions(out=out), cache=cache)
    again = build_site(config, BuildOptions(out=out), cache=cache)
    assert again.up_to_date and again.pages == first.pages
    item = project / CHANGED_ITEM
    item.write_text(item.read_text("utf-8").replace("days: 30", "days: 20"), encoding="utf-8")
    changed = build_site(config, BuildOptions(out=out), cache=cache)
    assert not changed.up_to_date and 1 <= changed.rendered < first.pages / 2
    assert files(out) == cold(project, tmp_path, "cold")
    assert build_site(config, BuildOptions(out=out), cache=cache).up_to_date
