"""What `svccat diff` compares, decided from its arguments, and when it fails (--fail-on)."""

from __future__ import annotations

from pathlib import Path

import pytest

from svccat.config import Config, ConfigError
from svccat.diff.compare import CatalogueDiff, Change, DiffSettings
from svccat.diff.kinds import KINDS, Effect
from svccat.diff.matrix import Matrix
from svccat.diff.run import Request, compare, failing
from tests.diff.helpers import BASE_ID, item, load_valid, write_catalogue


def _diff_of(*kinds: str) -> CatalogueDiff:
    changes = tuple(Change(kind=k, effect=KINDS[k].effect, subject=BASE_ID, old_item=BASE_ID,
                           new_item=BASE_ID, department="公安", field="") for k in kinds)
    return CatalogueDiff("a", "b", (), changes)


@pytest.mark.parametrize(("kinds", "fail_on", "fails"), [
    ((), ["burden-up"], False),
    (("limit-longer",), ["burden-up"], True),
    (("limit-shorter", "status-changed"), ["burden-up"], False),
    # an effect fails at or above it: burden up, legal, structure, burden down, editorial
    (("limit-longer",), ["legal"], True),
    (("basis-added",), ["legal"], True),
    (("item-added",), ["legal"], False),
    (("limit-shorter",), ["structure"], False),
    (("limit-shorter",), ["burden-down"], True),
    (("status-changed",), ["burden-down"], False),
    (("status-changed",), ["editorial"], True),
    # a kind fails on itself only
    (("status-changed",), ["status-changed"], True),
    (("limit-longer",), ["status-changed"], False),
    (("limit-shorter",), ["burden-up", "limit-shorter"], True),
    (("limit-shorter",), [], False),
])
def test_failing(kinds: tuple[str, ...], fail_on: list[str], fails: bool) -> None:
    assert failing(_diff_of(*kinds), fail_on) is fails


def test_failing_follows_a_reclassified_effect() -> None:
    change = Change(kind="status-changed", effect=Effect.BURDEN_UP, subject=BASE_ID,
                    old_item=BASE_ID, new_item=BASE_ID, department="公安", field="status")
    assert failing(CatalogueDiff("a", "b", (), (change,)), ["burden-up"])


def test_failing_refuses_unknown_names() -> None:
    with pytest.raises(ConfigError) as caught:
        failing(_diff_of(), ["burden"])
    assert caught.value.text.en == "--fail-on 'burden' is neither an effect nor a change kind"


@pytest.fixture
def regions(tmp_path: Path) -> Config:
    county_b = item({"id": "370785-ga-sfz-bl", "region": "370785", "department": "370785-gaj",
                     "implements": "370000-ga-sfz-bl", "codes": None,
                     "committed_limit": {"days": 10, "unit": "工作日"}})
    root = write_catalogue(tmp_path / "catalogue", [
        item({"implements": "370000-ga-sfz-bl", "codes": None}), county_b])
    load_valid(root)
    return Config(catalogue=root)


def test_two_regions(regions: Config) -> None:
    found = compare(regions, Request(("370784", "370785")))
    assert isinstance(found, CatalogueDiff)
    assert (found.old_label, found.new_label) == ("安丘市（370784）", "高密市（370785）")
    assert [(c.kind, c.subject) for c in found.changes] == [("limit-shorter", "370785-ga-sfz-bl")]


def test_the_threshold_option_overrides_the_setting(regions: Config, tmp_path: Path) -> None:
    old = write_catalogue(tmp_path / "old", [item({})])
    new = write_catalogue(tmp_path / "new", [item({"id": "370784-ga-sfz-bb",
                                                   "name": "居民身份证补领申请"})])
    config = Config(catalogue=regions.catalogue, diff=DiffSettings(threshold=0.95))
    strict = compare(config, Request((str(old), str(new))))
    loose = compare(config, Request((str(old), str(new)), threshold=0.8))
    assert isinstance(strict, CatalogueDiff) and isinstance(loose, CatalogueDiff)
    assert {c.kind for c in strict.changes} == {"item-added", "item-removed"}
    assert {c.kind for c in loose.changes} == {"item-probable-match", "name-changed"}


def test_a_matrix(regions: Config) -> None:
    found = compare(regions, Request(("370784", "370785"), matrix=True))
    assert isinstance(found, Matrix)
    assert [r.code for r in found.regions] == ["370784", "370785"]


@pytest.mark.parametrize(("request_", "words"), [
    (Request(()), "usage: svccat diff REGION_A REGION_B"),
    (Request(("370784",)), "usage: svccat diff REGION_A REGION_B"),
    (Request(("370784", "370785", "370725")), "usage: svccat diff REGION_A REGION_B"),
    (Request(("370784", "370786")), "region '370786' is not in the regions registry"),
    (Request(("370784", "no-such-folder")), "cannot compare '370784' and 'no-such-folder'"),
    (Request(("370784",), matrix=True), "--matrix needs two or more registered region codes"),
    (Request(("370784", "999999"), matrix=True), "(unknown: 999999)"),
    (Request(("370784", "370785"), base="HEAD"), "--base takes no other arguments"),
])
def test_argument_mistakes(regions: Config, request_: Request, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        compare(regions, request_)
    assert words in caught.value.text.en
    assert caught.value.text.zh


def test_two_folders(regions: Config, tmp_path: Path) -> None:
    old = write_catalogue(tmp_path / "a", [item({})])
    new = write_catalogue(tmp_path / "b", [item({"visits/count": 2})])
    found = compare(regions, Request((str(old), str(new))))
    assert isinstance(found, CatalogueDiff)
    assert (found.old_label, found.new_label) == (str(old), str(new))
    assert [c.kind for c in found.changes] == ["visits-more"]
