"""The bundled sample catalogue: realistic in size and shape, and clean."""

from __future__ import annotations

from collections import Counter

import pytest

from svccat.catalogue import Loaded, load_catalogue
from tests.conftest import REPO, lint_json

PILOT_COUNTIES = {"370705": "奎文区", "370784": "安丘市", "370785": "高密市", "370725": "昌乐县"}


@pytest.fixture(scope="module")
def sample() -> Loaded:
    return load_catalogue(REPO / "catalogue")


def test_sample_lints_clean() -> None:
    code, report = lint_json(cwd=REPO)
    assert report["problems"] == []
    assert code == 0
    assert report["summary"]["items"] >= 150


def test_regions_of_the_pilot(sample: Loaded) -> None:
    regions = sample.catalogue.regions
    assert regions["370000"].name == "山东省" and regions["370700"].name == "潍坊市"
    for code, name in PILOT_COUNTIES.items():
        assert regions[code].name == name and regions[code].parent == "370700"
    levels = Counter(r.level for r in regions.values())
    assert levels["town"] >= 1 and levels["community"] >= 1


def test_provincial_baseline_covers_six_systems_and_forty_items(sample: Loaded) -> None:
    cat = sample.catalogue
    baseline = [i for i in cat.items.values() if i.region == "370000"]
    assert len(baseline) >= 40
    systems = {cat.departments[i.department].system for i in baseline}
    assert len(systems) >= 6


def test_counties_implement_the_baseline_with_local_differences(sample: Loaded) -> None:
    cat = sample.catalogue
    for code in [*PILOT_COUNTIES, "370700"]:
        local = [i for i in cat.items.values() if i.region == code]
        assert local, code
        implemented = [i for i in local if i.implements]
        assert implemented, code
        for item in implemented:
            assert cat.items[item.implements].region == "370000"  # type: ignore[index]
    # an extra local item with no baseline, and a baseline item one county lacks
    assert any(i.implements is None for i in cat.items.values() if i.region in PILOT_COUNTIES)
    per_county = {c: {i.implements for i in cat.items.values() if i.region == c}
                  for c in PILOT_COUNTIES}
    union = set().union(*per_county.values())
    assert any(union - ids for ids in per_county.values())


def test_student_grant_is_split_to_its_leaves(sample: Loaded) -> None:
    cat = sample.catalogue
    children = cat.children()
    grants = [i for i in cat.items.values()
              if i.region == "370000" and i.tier == "main" and "助学金" in i.name]
    assert grants

    def leaves(ident: str) -> int:
        kids = children.get(ident, [])
        return 1 if not kids else sum(leaves(k.id) for k in kids)

    assert max(leaves(g.id) for g in grants) >= 10


def test_legal_register_holds_the_seed_documents(sample: Loaded) -> None:
    numbers = {d.number for d in sample.catalogue.legal_documents.values()}
    for number in ("国办发〔2015〕86号", "国发〔2015〕32号", "国发〔2012〕29号",
                   "国办发〔2018〕47号", "国办发〔2020〕42号"):
        assert number in numbers
    titles = {d.title for d in sample.catalogue.legal_documents.values()}
    assert any("优化营商环境条例" in t for t in titles)
    assert any(d.status == "repealed" for d in sample.catalogue.legal_documents.values())


def test_certificate_register_has_retained_and_cancelled(sample: Loaded) -> None:
    cat = sample.catalogue
    assert len(cat.retained) >= 5 and len(cat.cancelled) >= 5
    assert {c.category for c in cat.cancelled.values()} >= {"奇葩", "循环", "重复", "无依据"}


@pytest.mark.parametrize("word", ["公积金", "身份证", "助学金", "户口迁移", "营业执照"])
def test_search_words_of_the_site_have_items(sample: Loaded, word: str) -> None:
    assert any(word in i.name for i in sample.catalogue.items.values())
