"""The build as a whole: refusal on lint errors, options, determinism, atomic output."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from svccat.config import ConfigError, load_config
from svccat.progress import interactive
from svccat.site import build as build_module
from svccat.site import paths
from svccat.site.build import BuildOptions, normalise_base_url, run
from svccat.site.output import MARKER
from svccat.site.pages import Page, PageMeta
from svccat.site.plan import PlanError, SitePlan
from tests.conftest import REPO, run_svccat
from tests.site import htmlcheck
from tests.site.conftest import Built, build

BAD_ITEM = """\
id: 370784-bad
name: 引用未知部门的事项
type: 公共服务
region: "370784"
department: 370784-nobody
tier: main
status: published
"""


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    """Temporary folders of a build (.site.building-*, .site.previous-*) left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".site."))


# Refusal and --force ---------------------------------------------------------------------

def test_lint_errors_refuse_the_build_and_force_overrides(project: Path) -> None:
    (project / "catalogue/items/370784/370784-bad.yaml").write_text(BAD_ITEM, encoding="utf-8")
    refused = run_svccat("build", "--out", "site", cwd=project)
    assert refused.returncode == 1
    assert "目录中有 1 个错误，未生成网站" in refused.stderr and "--force" in refused.stderr
    assert not (project / "site").exists()
    forced = run_svccat("build", "--out", "site", "--force", cwd=project)
    assert forced.returncode == 0, forced.stderr
    assert "已忽略 1 个错误" in forced.stderr
    assert "已生成网站 site" in forced.stdout
    # The broken reference is shown as plain text, not as a link to nowhere.
    guide = (project / "site/items/370784-bad.html").read_text("utf-8")
    assert "<dd>370784-nobody</dd>" in guide


def test_usage_errors_exit_2(project: Path) -> None:
    bad_url = run_svccat("build", "--base-url", "guides", cwd=project)
    assert bad_url.returncode == 2 and "--base-url" in bad_url.stderr
    (project / "foreign").mkdir()
    (project / "foreign/notes.txt").write_text("mine", encoding="utf-8")
    foreign = run_svccat("build", "--out", "foreign", cwd=project)
    assert foreign.returncode == 2 and "不是 svccat 生成的网站" in foreign.stderr
    assert (project / "foreign/notes.txt").read_text("utf-8") == "mine"
    around = run_svccat("build", "--out", ".", cwd=project)
    assert around.returncode == 2
    assert (project / "catalogue/registries/regions.yaml").is_file()


def test_english_messages(project: Path) -> None:
    done = run_svccat("build", "--out", "site", "--lang", "en", cwd=project)
    assert done.returncode == 0
    assert done.stdout.startswith("svccat: built site: 26 pages, 6 items")


# Options -------------------------------------------------------------------------------

def test_drafts_appear_only_with_drafts_and_are_marked(project: Path) -> None:
    build(project, project / "site")
    assert not (project / "site/items/370784-dibao.html").exists()
    assert "370784-dibao" not in (project / "site/data/catalogue.json").read_text("utf-8")
    build(project, project / "site", drafts=True)
    guide = (project / "site/items/370784-dibao.html").read_text("utf-8")
    assert '<p class="draft-banner" role="note">草稿：本事项尚未正式公布' in guide
    region = (project / "site/regions/370784.html").read_text("utf-8")
    assert '最低生活保障待遇申请</a> <span class="tag tag-draft">草稿</span>' in region
    published = (project / "site/items/370784-sfz-sl.html").read_text("utf-8")
    assert "draft-banner" not in published


def test_base_url_makes_every_link_absolute_under_it(project: Path) -> None:
    site = Built(project / "site", build(project, project / "site", base_url="/guides/"))
    pages = site.pages()
    assert htmlcheck.broken_links(site.root, pages, base_url="/guides/") == []
    assert {p.root_meta for p in pages.values()} == {"/guides/"}
    html = site.html("items/370784-sfz-sl.html")
    assert 'href="/guides/static/style.css"' in html
    assert 'href="/guides/legal/sfzf.html"' in html


def test_base_url_is_normalised_or_refused() -> None:
    assert normalise_base_url("/guides") == "/guides/"
    assert normalise_base_url("https://fw.example.gov.cn/zn") == "https://fw.example.gov.cn/zn/"
    assert normalise_base_url("") is None and normalise_base_url(None) is None
    for bad in ("guides/", "ftp://x/", "/a b/", "javascript:alert(1)//"):
        with pytest.raises(ConfigError):
            normalise_base_url(bad)


def test_english_labels_keep_the_content_chinese(project: Path) -> None:
    site = Built(project / "site", build(project, project / "site", lang="en"))
    home = site.html("index.html")
    assert '<html lang="zh-CN">' in home  # the content is Chinese
    assert '<h2 id="regions-heading"><span lang="en">Browse by region</span></h2>' in home
    guide = site.html("items/370784-sfz-sl.html")
    assert '<span lang="en">Materials</span>' in guide and "居民户口簿" in guide
    assert htmlcheck.check(guide).problems == []


def test_progress_only_on_a_terminal_outside_ci(project: Path, monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("CI", raising=False)
    assert interactive(Terminal()) and not interactive(io.StringIO())
    monkeypatch.setenv("CI", "true")
    assert not interactive(Terminal())
    stream, out = io.StringIO(), io.StringIO()
    config = load_config(cwd=project)
    assert run(config, BuildOptions(out=project / "site"), stream=stream, out=out) == 0
    assert stream.getvalue() == ""  # nothing but the outcome, which goes to standard output
    assert out.getvalue().count("\n") == 1


# Determinism ---------------------------------------------------------------------------

def test_progress_counts_every_file_once_up_to_the_total(project: Path) -> None:
    ticks: list[tuple[int, int]] = []
    report = build_module.build_site(load_config(cwd=project),
                                     BuildOptions(out=project / "site"),
                                     tick=lambda done, total: ticks.append((done, total)))
    assert [done for done, _ in ticks] == list(range(1, report.files + 1))
    # The total grows once, by the search index's files, when the index is made.
    assert ticks[-1] == (report.files, report.files)
    assert all(done <= total for done, total in ticks)
    assert len({total for _, total in ticks}) == 2
    assert any(path.startswith("search/") for path in files(project / "site"))


def test_same_catalogue_gives_byte_identical_output(project: Path, tmp_path: Path) -> None:
    # Separate processes with different hash seeds: set and dict orders that leak into the
    # output would differ between them.
    for seed, name in (("1", "first"), ("2", "second")):
        done = run_svccat("build", "--out", str(tmp_path / name), cwd=project,
                          env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
    first, second = files(tmp_path / "first"), files(tmp_path / "second")
    assert len(first) > 40
    assert first == second


def test_sample_builds_byte_identical_in_another_process(sample_site: Built, tmp_path: Path
                                                         ) -> None:
    done = run_svccat("build", "--out", str(tmp_path / "again"), cwd=REPO,
                      env={**os.environ, "PYTHONHASHSEED": "7"})
    assert done.returncode == 0, done.stderr
    again = files(tmp_path / "again")
    built = sample_site.files()
    assert sorted(again) == sorted(built)
    assert [p for p in built if built[p] != again[p]] == []


# Atomic output -------------------------------------------------------------------------

def fail_on_call(number: int, error: BaseException, real: object) -> object:
    calls = 0

    def failing(*args: object) -> object:
        nonlocal calls
        calls += 1
        if calls == number:
            raise error
        return real(*args)  # type: ignore[operator]

    return failing


@pytest.mark.parametrize("error", [RuntimeError("disk full"), KeyboardInterrupt()],
                         ids=["exception", "interrupt"])
def test_a_failed_build_leaves_the_previous_site_whole(project: Path, error: BaseException,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = project / "site"
    build(project, out)
    before = files(out)
    (project / "catalogue/items/370785/370785-sfz-sl.yaml").unlink()  # the next site differs
    # Only the pages that depend on the removed item are rendered again: a few, not ten.
    monkeypatch.setattr(build_module, "render_page",
                        fail_on_call(2, error, build_module.render_page))
    with pytest.raises(type(error)):
        build(project, out)
    assert files(out) == before
    assert leftovers(project) == []


def test_an_interrupted_swap_puts_the_previous_site_back(project: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from svccat.site import output

    out = project / "site"
    build(project, out)
    before = files(out)
    (project / "catalogue/items/370785/370785-sfz-sl.yaml").unlink()  # else nothing to do
    # First replace moves the old site aside; the second, which brings the new one in, fails.
    monkeypatch.setattr(output.os, "replace", fail_on_call(2, KeyboardInterrupt(), os.replace))
    with pytest.raises(KeyboardInterrupt):
        build(project, out)
    assert files(out) == before
    assert leftovers(project) == []


def test_a_first_build_that_fails_leaves_nothing(project: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "render_page",
                        fail_on_call(3, RuntimeError("boom"), build_module.render_page))
    with pytest.raises(RuntimeError):
        build(project, project / "site")
    assert not (project / "site").exists()
    assert leftovers(project) == []


def test_a_rebuild_replaces_the_site_whole(project: Path) -> None:
    out = project / "site"
    build(project, out)
    (out / "stale.html").write_text("old", encoding="utf-8")
    (project / "catalogue/items/370785/370785-sfz-sl.yaml").unlink()
    build(project, out)
    assert not (out / "stale.html").exists()
    assert not (out / "items/370785-sfz-sl.html").exists()
    assert (out / MARKER).is_file()
    assert oct((out).stat().st_mode & 0o755) == oct(0o755 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_an_empty_folder_may_be_the_output(project: Path) -> None:
    (project / "empty").mkdir()
    assert build(project, project / "empty").built


# The plan ------------------------------------------------------------------------------

def test_two_outputs_to_one_path_are_refused() -> None:
    meta = PageMeta(path="index.html", root="", title="t")
    with pytest.raises(PlanError, match=r"index\.html"):
        list(SitePlan((Page(meta, "index.html", None), Page(meta, "index.html", None)), 2, {},
                      0).each_page())
    with pytest.raises(PlanError, match=r"index\.html"):
        list(SitePlan((Page(meta, "index.html", None),), 1, {"index.html": b""}, 0).each_page())


def test_no_output_path_leaves_the_site(tmp_path: Path) -> None:
    assert paths.inside(tmp_path, "items/a.html") == tmp_path / "items" / "a.html"
    for bad in ("../x.html", "/etc/passwd", "items/../../x", ""):
        with pytest.raises(ValueError):
            paths.inside(tmp_path, bad)


def test_root_prefix_follows_the_depth_of_the_page() -> None:
    assert paths.root_for("index.html", None) == ""
    assert paths.root_for("items/a.html", None) == "../"
    assert paths.root_for("data/regions/a.html", None) == "../../"
    assert paths.root_for("items/a.html", "/guides/") == "/guides/"
