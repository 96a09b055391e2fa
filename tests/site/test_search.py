"""The search index: the expected results on the sample catalogue, exact results (checked
against a brute-force substring search), the ranking rule, deterministic files, sharding at
scale, and search.js reading the files exactly like the Python reader."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from random import Random
from typing import Any

import pytest
import yaml

from svccat.catalogue import load_catalogue
from svccat.site.search import (
    CONTAINS,
    END,
    EXACT,
    FIELDS,
    MANIFEST,
    PREFIX,
    START,
    Index,
    Kind,
    SearchDoc,
    field_text,
    fnv1a32,
    index_files,
    normalise,
    query,
)
from tests.conftest import CASES, REPO

QUERIES: list[dict[str, Any]] = yaml.safe_load(
    (CASES / "search" / "queries.yaml").read_text(encoding="utf-8"))
SEARCH_JS = REPO / "templates" / "static" / "search.js"
REQUIRED = ("公积金", "身份证", "助学金", "户口迁移", "营业执照")  # issue #4


def sample_docs() -> list[SearchDoc]:
    """The published items of the bundled sample catalogue, as the site indexes them."""
    catalogue = load_catalogue(REPO / "catalogue").catalogue
    return [
        SearchDoc(id=item.id, url=f"items/{item.id}.html", title=item.name,
                  region=catalogue.regions[item.region].name,
                  department=catalogue.departments[item.department].name, type=item.type,
                  codes=tuple(code for code in (item.basic_code, item.implementation_code,
                                                item.handling_code) if code),
                  materials=tuple(material.name for material in item.materials),
                  conditions=item.conditions)
        for item in catalogue.items.values() if item.status == "published"]


class Reference:
    """The ranking rule applied by brute force: substring tests on each document's text."""

    def __init__(self, docs: list[SearchDoc]) -> None:
        self.docs = [(doc, [[normalise(value) for value in field.segments(doc)]
                            if field.kind is Kind.PREFIX else field_text(field, doc)
                            for field in FIELDS]) for doc in docs]

    def __call__(self, text: str) -> list[str]:
        chars = normalise(text)
        if len(chars) < 2:
            return []
        ranked = []
        for doc, texts in self.docs:
            tiers = []
            for place, found in enumerate(texts):
                if isinstance(found, list):  # codes: whole or prefix
                    tier = (EXACT if chars in found else
                            PREFIX if any(value.startswith(chars) for value in found) else None)
                else:
                    tier = (None if chars not in found else
                            EXACT if f"{START}{chars}{END}" in found else
                            PREFIX if f"{START}{chars}" in found else CONTAINS)
                if tier is not None:
                    tiers.append((place, tier))
            if tiers:
                ranked.append((min(tiers), len(doc.title), doc.title, doc.url, doc.id))
        return [row[-1] for row in sorted(ranked)]


def reference(docs: list[SearchDoc], text: str) -> list[str]:
    return Reference(docs)(text)


class Reads(Mapping[str, bytes]):
    """Index files that remember which of them were read."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.read: set[str] = set()

    def __getitem__(self, path: str) -> bytes:
        self.read.add(path)
        return self.files[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)


@pytest.fixture(scope="module")
def sample() -> list[SearchDoc]:
    return sample_docs()


@pytest.fixture(scope="module")
def sample_files(sample: list[SearchDoc]) -> dict[str, bytes]:
    return index_files(sample)


# ---------------------------------------------------------------------------- the query set


@pytest.mark.parametrize("case", QUERIES, ids=[case["query"] for case in QUERIES])
def test_query_gives_expected_results(case: dict[str, Any], sample_files: dict[str, bytes]
                                      ) -> None:
    found = query(sample_files, case["query"])
    if case["first"] is None:
        assert found == []
    else:
        assert found[:1] == [case["first"]], found[:5]
    for ident in case.get("contains", ()):
        assert ident in found
    for ident in case.get("absent", ()):
        assert ident not in found


def test_query_set_covers_the_requirement_and_names_real_items(sample: list[SearchDoc]) -> None:
    asked = {case["query"] for case in QUERIES}
    assert set(REQUIRED) <= asked
    assert any(case["first"] is None for case in QUERIES)
    published = {doc.id for doc in sample}
    for case in QUERIES:
        named = [case["first"], *case.get("contains", ()), *case.get("absent", ())]
        assert {ident for ident in named if ident} <= published, case["query"]


def test_sample_results_are_exactly_the_brute_force_ones(sample: list[SearchDoc],
                                                         sample_files: dict[str, bytes]) -> None:
    index, expected = Index(sample_files), Reference(sample)
    rng = Random(4)
    texts = [text for doc in sample for text in (doc.title, doc.department, *doc.materials,
                                                 *doc.conditions, *doc.codes)]
    queries = [case["query"] for case in QUERIES]
    for text in rng.sample(texts, 150):
        chars = normalise(text)
        start = rng.randrange(len(chars) - 1) if len(chars) > 2 else 0
        queries += [text, chars[start:start + rng.randint(2, 6)]]
    for text in queries:
        assert index.ids(text) == expected(text), text


# ---------------------------------------------------------------------------- ranking, exactness


def doc(ident: str, title: str, **fields: Any) -> SearchDoc:
    values: dict[str, Any] = {"region": "安丘市", "department": "安丘市民政局", "type": "公共服务",
                              "codes": (), "materials": (), "conditions": ()}
    values.update(fields)
    return SearchDoc(id=ident, url=f"items/{ident}.html", title=title, **values)


def test_ranking_follows_field_then_exact_prefix_contains_then_title_length() -> None:
    docs = [
        doc("condition", "甲", conditions=("已办理户口迁移手续",)),
        doc("material", "乙", materials=("户口迁移证",)),
        doc("department", "丙", department="户口迁移服务中心"),
        doc("code", "丁", codes=("370784GA0201",)),
        doc("contains-long", "跨省户口迁移登记申请", materials=("户口迁移证",)),
        doc("contains-short", "省内户口迁移"),
        doc("prefix", "户口迁移登记办理"),
        doc("exact-b", "户口迁移"),
        doc("exact-a", "户口迁移", region="高密市"),
    ]
    files = index_files(docs)
    assert query(files, "户口迁移") == [
        "exact-a", "exact-b", "prefix", "contains-short", "contains-long", "department",
        "material", "condition"]
    assert query(files, "370784GA0201") == ["code"]
    assert query(files, "370784ga02") == ["code"]  # a prefix of a code
    assert query(files, "GA0201") == []  # codes match whole or by prefix, not inside


def test_no_false_positive_when_the_bigrams_are_apart() -> None:
    docs = [
        doc("apart", "户口登记后迁移"),  # 户口 and 迁移, not adjacent
        doc("reversed", "迁移户口"),
        doc("two-materials", "甲", materials=("居民户口", "迁移证明")),  # adjacent only across items
        doc("chain", "户口口迁移"),  # 户口, 口迁 … but 户口迁 never
        doc("split-title", "户口", conditions=("迁移",)),
        doc("match", "乙", conditions=("办理户口迁移",)),
    ]
    files = index_files(docs)
    assert query(files, "户口迁移") == ["match"]
    assert query(files, "口迁") == ["chain", "match"]
    for text in ("户口迁移", "口迁", "户口", "迁移", "户口迁移证明", "居民户口迁移"):
        assert query(files, text) == reference(docs, text), text


def test_normalisation_ignores_width_case_spaces_and_punctuation() -> None:
    assert normalise("３７０７８４ＧＡ０１０１") == "370784ga0101"
    assert normalise("户口　迁移（省内）") == "户口迁移省内"
    assert normalise("《居民身份证》、“补领”…") == "居民身份证补领"
    assert normalise("3至6周岁 〇") == "3至6周岁〇"


def test_hash_is_fnv1a_32_over_utf8() -> None:
    # Published FNV-1a test vectors, and a key with a character outside the BMP.
    assert fnv1a32("") == 0x811C9DC5
    assert fnv1a32("a") == 0xE40C292C
    assert fnv1a32("foobar") == 0xBF9CF968
    assert fnv1a32("𠀋住") == fnv1a32("\U0002000b\u4f4f")


def test_short_queries_find_nothing(sample_files: dict[str, bytes]) -> None:
    assert query(sample_files, "证") == []
    assert query(sample_files, "  （证）") == []
    assert Index(sample_files).search("证").too_short


# ---------------------------------------------------------------------------- files


def test_same_documents_give_the_same_bytes(sample: list[SearchDoc],
                                            sample_files: dict[str, bytes]) -> None:
    again = index_files(list(reversed(sample)))
    assert again == sample_files
    assert list(sample_files) == sorted(sample_files)
    assert all(path.startswith("search/") for path in sample_files)
    manifest = json.loads(sample_files[MANIFEST])
    assert manifest["documents"] == len(sample)


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="two search documents"):
        index_files([doc("same", "甲"), doc("same", "乙")])


def test_no_documents_give_an_index_that_finds_nothing() -> None:
    files = index_files([])
    assert query(files, "公积金") == []
    assert query(files, "370784GA0101") == []


SYSTEMS = (
    ("住房城乡建设", "ZJ", ("住房公积金", "商品房预售许可", "建筑工程施工许可")),
    ("公安", "GA", ("居民身份证", "户口", "出入境证件", "机动车驾驶证")),
    ("民政", "MZ", ("最低生活保障", "临时救助", "婚姻登记", "特困人员供养")),
    ("教育", "JY", ("国家助学金", "教师资格", "学前教育资助")),
    ("市场监管", "SJ", ("营业执照", "食品经营许可", "个体工商户")),
    ("人力资源社会保障", "RS", ("社会保障卡", "失业保险金", "职业资格证书")),
)
ACTIONS = ("申领", "补领", "换领", "变更", "注销", "提取", "登记", "认定", "发放", "迁移", "查询")
SITUATIONS = ("", "（城镇）", "（农村）", "（首次申领）", "（全程网办）", "（异地办理）", "（高一年级）")
MATERIALS = (
    "居民身份证", "居民户口簿", "户口", "迁移证明", "结婚证", "营业执照正副本", "申请表",
    "不动产权证书", "近期免冠彩色照片", "家庭经济状况核对报告", "中华人民共和国残疾人证",
    "住房公积金提取申请书", "委托书和代理人的居民身份证", "出生医学证明", "毕业证书")
CONDITIONS = (
    "具有本省户籍，或者持有本省居住证", "申请材料齐全、符合法定形式", "男方年满22周岁，女方年满20周岁",
    "户口在本市，已办理迁入手续后再申请迁移", "连续足额缴存住房公积金满3个月",
    "家庭经济困难，经学校认定纳入家庭经济困难学生库", "本人到场采集人像和指纹信息")
REGIONS = tuple((f"3707{n:02d}", f"第{n}县") for n in range(1, 41))
CODE_LETTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def synthetic_docs(count: int, *, seed: int = 20240601) -> list[SearchDoc]:
    """Items shaped like a province's catalogue, from a small vocabulary (deterministic)."""
    rng = Random(seed)
    docs = []
    for number in range(count):
        code, region = REGIONS[number % len(REGIONS)]
        system, letters, objects = rng.choice(SYSTEMS)
        title = rng.choice(objects) + rng.choice(ACTIONS) + rng.choice(SITUATIONS)
        basic = f"370000{letters}{rng.randrange(10_000):04d}"
        credit = "".join(rng.choice(CODE_LETTERS) for _ in range(18))
        ident = f"{code}-{number:06d}"
        docs.append(SearchDoc(
            id=ident, url=f"items/{ident}.html", title=title, region=region,
            department=f"{region}{system}局", type=rng.choice(("行政许可", "行政给付", "公共服务")),
            codes=(basic, f"{credit}4{basic}", f"{code}{letters}{number:06d}"),
            materials=tuple(rng.sample(MATERIALS, rng.randint(2, 6))),
            conditions=tuple(rng.sample(CONDITIONS, rng.randint(1, 3)))))
    return docs


@pytest.fixture(scope="module")
def corpus() -> list[SearchDoc]:
    return synthetic_docs(20_000)


@pytest.fixture(scope="module")
def corpus_files(corpus: list[SearchDoc]) -> dict[str, bytes]:
    return index_files(corpus)


def test_a_large_corpus_is_sharded_and_a_query_reads_a_few_files(
        corpus: list[SearchDoc], corpus_files: dict[str, bytes]) -> None:
    manifest = json.loads(corpus_files[MANIFEST])
    small = json.loads(index_files(corpus[:1000])[MANIFEST])
    for field, few in zip(manifest["fields"], small["fields"], strict=True):
        if field["kind"] == Kind.BIGRAMS.value:
            assert field["shards"] > few["shards"], field["name"]  # grows with the corpus
    assert sum(field.get("shards", 0) for field in manifest["fields"]) >= 40
    codes = next(field for field in manifest["fields"] if field["name"] == "codes")
    assert codes["parts"] >= 20
    index_bytes = sum(len(data) for data in corpus_files.values())
    expected = Reference(corpus)
    for text in ("公积金提取", "户口迁移", "370000GA0042", "采集人像和指纹", "火星移民"):
        files = Reads(corpus_files)
        index = Index(files)
        numbers = index.search(text, limit=20).numbers
        for number in numbers[:20]:
            index.document(number)
        assert len(files.read) <= 30, (text, sorted(files.read))
        assert sum(len(corpus_files[path]) for path in files.read) < index_bytes / 10, text
        assert [index.document(n)["id"] for n in numbers[:20]] == expected(text)[:20]


def test_a_large_corpus_gives_exact_results(corpus: list[SearchDoc],
                                            corpus_files: dict[str, bytes]) -> None:
    index, expected = Index(corpus_files), Reference(corpus)
    some = corpus[::997]
    for text in ("户口迁移", "住房公积金提取", "迁移证明", "证明居民", "年满22周岁", "第12县公安局",
                 "高一年级", some[0].codes[0], some[1].codes[1], some[2].codes[2]):
        assert index.ids(text) == expected(text), text


def test_a_short_code_prefix_is_looked_up_whole_only(corpus: list[SearchDoc],
                                                     corpus_files: dict[str, bytes]) -> None:
    files = Reads(corpus_files)
    assert Index(files).search("370000").numbers == []  # starts every basic code
    code_files = [path for path in files.read if path.startswith("search/codes/")]
    assert len(code_files) == 2 and "search/codes/fences.json" in code_files  # + the one part
    beginning = normalise(corpus[0].codes[0])[:10]  # narrow enough: looked up as a prefix
    found = query(corpus_files, beginning)
    assert corpus[0].id in found and found == Reference(corpus)(beginning)


# ---------------------------------------------------------------------------- search.js

NODE_SCRIPT = r"""
const fs = require("fs");
const path = require("path");
const core = require(process.argv[2]);
const root = process.argv[3];
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const index = new core.SearchIndex((file) => new Uint8Array(fs.readFileSync(path.join(root, file))));
(async () => {
  const manifest = await index.manifest();
  const out = [];
  for (const text of queries) {
    const all = await index.search(text);
    const limited = await index.search(text, 5);
    out.push({
      normalised: core.normalise(text, manifest.normalisation),
      hash: core.fnv1a32(text, manifest.hash),
      ids: (await index.documents(all.numbers)).map((doc) => doc.id),
      tooShort: all.tooShort,
      limited: limited.numbers,
      complete: limited.complete,
    });
  }
  process.stdout.write(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
"""
TRICKY = ("３７０７８４ＧＡ０１０１", "户口　迁移（省内）", "《居民身份证》、“补领”…", "ﬁ①Ⅻ㈱",
          "İSTANBUL", "𠀋𠀌", "é", "证", "", "  ", "ａ", "Straße", "\u200b户口\ufeff迁移")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("corpus_name", ["sample", "synthetic"])
def test_search_js_reads_the_index_exactly_like_python(
        corpus_name: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    docs: list[SearchDoc] = request.getfixturevalue("sample" if corpus_name == "sample"
                                                    else "corpus")
    files: dict[str, bytes] = request.getfixturevalue(f"{corpus_name}_files"
                                                      if corpus_name == "sample"
                                                      else "corpus_files")
    for name, data in files.items():
        target = tmp_path / "site" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (tmp_path / "parity.js").write_text(NODE_SCRIPT, encoding="utf-8")
    rng = Random(7)
    queries = [case["query"] for case in QUERIES] + list(TRICKY)
    for picked in rng.sample(docs, 30 if corpus_name == "sample" else 10):
        for text in (picked.title, *picked.materials[:1], *picked.codes):
            chars = normalise(text)
            start = rng.randrange(max(1, len(chars) - 2))
            queries += [text, chars[start:start + rng.randint(2, 8)]]
    done = subprocess.run(["node", str(tmp_path / "parity.js"), str(SEARCH_JS),
                           str(tmp_path / "site")], input=json.dumps(queries), text=True,
                          capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    index = Index(files)
    for text, js in zip(queries, json.loads(done.stdout), strict=True):
        assert js["normalised"] == normalise(text), text
        assert js["hash"] == fnv1a32(text), text
        assert js["ids"] == index.ids(text), text
        limited = index.search(text, limit=5)
        assert (js["limited"], js["complete"], js["tooShort"]) == (
            limited.numbers, limited.complete, limited.too_short), text
