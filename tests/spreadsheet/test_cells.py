"""What a cell may hold, read and written back: each case is the text an official types."""

from __future__ import annotations

from typing import Any

import pytest

from svccat.loader import load_text
from svccat.model import Department, LegalDocument
from svccat.spreadsheet.cells import CellError, Codec, Registers
from svccat.spreadsheet.columns import COLUMN_BY_KEY, MATERIALS
from svccat.spreadsheet.convert import item_id, render_yaml


def _document(ident: str, title: str, status: str = "in_force", number: str | None = None
              ) -> LegalDocument:
    return LegalDocument(id=ident, title=title, number=number, issuer="x", level="法律",
                         status=status, issued=None, effective=None, amended=(), repealed=None,
                         replaced_by=None, url=None, file="f", pointer="")


REGISTERS = Registers(
    region="370784",
    departments={d.id: d for d in (
        Department(id=i, name=n, region=r, system="公安", credit_code=None, address=None,
                   phone=None, file="f", pointer="")
        for i, n, r in (("370784-gaj", "安丘市公安局", "370784"), ("370785-gaj", "高密市公安局", "370785"),
                        ("a-x", "综合执法局", "370784"), ("b-x", "综合执法局", "370785"),
                        ("c-y", "行政审批服务局", "370784"), ("d-y", "行政审批服务局", "370784")))},
    legal_documents={d.id: d for d in (
        _document("sfzf", "中华人民共和国居民身份证法", number="主席令第4号"),
        _document("old", "某某条例", status="repealed"), _document("new", "某某条例"))})


def _parse(key: str, text: str) -> Any:
    codec: Codec = COLUMN_BY_KEY[key].codec
    return codec.parse(text, REGISTERS)


def _refused(codec: Codec, text: str) -> str:
    """The Chinese message of the cell's error."""
    with pytest.raises(CellError) as refused:
        codec.parse(text, REGISTERS)
    return refused.value.text.zh


@pytest.mark.parametrize(("text", "value"), [
    ("20个工作日", {"days": 20, "unit": "工作日"}),
    ("5 自然日", {"days": 5, "unit": "自然日"}),
    ("15个工作日（不含公告时间）", {"days": 15, "unit": "工作日", "note": "不含公告时间"}),
    ("30工作日(专家评审除外)", {"days": 30, "unit": "工作日", "note": "专家评审除外"}),
    ("即办", {"days": 0, "unit": "工作日"}),
])
def test_time_limits(text: str, value: dict[str, Any]) -> None:
    assert _parse("statutory_limit", text) == value
    codec = COLUMN_BY_KEY["statutory_limit"].codec
    assert _parse("statutory_limit", str(codec.format(value, REGISTERS))) == value


@pytest.mark.parametrize("text", ["二十天", "20天", "20", "工作日", "20个小时"])
def test_not_time_limits(text: str) -> None:
    assert "不是时限" in _refused(COLUMN_BY_KEY["committed_limit"].codec, text)


@pytest.mark.parametrize(("text", "value"), [
    ("《中华人民共和国居民身份证法》第十条", {"document": "sfzf", "article": "第十条"}),
    ("《中华人民共和国居民身份证法》", {"document": "sfzf"}),
    ("《 中华人民共和国 居民身份证法 》 第十条 第一款：原文。", {"document": "sfzf",
                                                      "article": "第十条 第一款", "text": "原文。"}),
    ("《主席令第4号》第十条", {"document": "sfzf", "article": "第十条"}),
    ("《sfzf》第十条", {"document": "sfzf", "article": "第十条"}),
    ("《某某条例》第二条", {"document": "new", "article": "第二条"}),  # the one in force
])
def test_legal_references(text: str, value: dict[str, Any]) -> None:
    assert _parse("legal_basis.setting", text) == [value]


@pytest.mark.parametrize(("text", "message"), [
    ("中华人民共和国居民身份证法第十条", "应写作《法律文件名称》条款"),
    ("《居民身份证法》第十条", "是否为《中华人民共和国居民身份证法》"),
    ("《中华人民共和国居民身份证法第十条", "应写作《法律文件名称》条款"),
])
def test_legal_reference_mistakes(text: str, message: str) -> None:
    assert message in _refused(COLUMN_BY_KEY["legal_basis.implementing"].codec, text)


@pytest.mark.parametrize(("text", "value"), [
    ("安丘市公安局", "370784-gaj"), ("370785-gaj", "370785-gaj"), ("高密市公安局", "370785-gaj"),
    ("综合执法局", "a-x"),  # this region's first
])
def test_departments(text: str, value: str) -> None:
    assert _parse("department", text) == value


def test_an_ambiguous_department_name_asks_for_the_id() -> None:
    assert "不唯一（c-y、d-y）" in _refused(COLUMN_BY_KEY["department"].codec, "行政审批服务局")
    assert REGISTERS.department_label("c-y") == "c-y"
    assert REGISTERS.department_label("370785-gaj") == "高密市公安局"


def test_material_lines_by_position_and_by_label() -> None:
    text = ("居民户口簿|必要|纸质||政府部门核发|1\n"
            "委托书|非必要|适用情形=委托他人办理的|可承诺替代=是|要求依据=《中华人民共和国居民身份证法》第十条")
    assert MATERIALS.parse(text, REGISTERS) == [
        {"name": "居民户口簿", "necessity": "必要", "form": "纸质", "source": "政府部门核发",
         "originals": 1},
        {"name": "委托书", "necessity": "非必要", "basis": {"document": "sfzf", "article": "第十条"},
         "commitment": True, "situation": "委托他人办理的"}]
    written = MATERIALS.format(MATERIALS.parse(text, REGISTERS), REGISTERS)
    assert written == ("居民户口簿|必要|纸质||政府部门核发|1\n"
                       "委托书|非必要|要求依据=《中华人民共和国居民身份证法》第十条|可承诺替代=是|适用情形=委托他人办理的")


@pytest.mark.parametrize(("text", "message"), [
    ("居民户口簿|必须有", "“必要性”：“必须有”不是可选值"),
    ("居民户口簿|必要|纸质|其他|其他|两份", "“原件份数”：“两份”不是整数"),
    ("a|必要\nb|必要|纸质|其他|其他|1|1|多余", "第 2 行多出一段“多余”：前 7 段依次为"),
])
def test_material_line_mistakes(text: str, message: str) -> None:
    assert message in _refused(MATERIALS, text)


def test_short_lists_split_on_a_line_or_on_separators() -> None:
    assert _parse("contacts.consultation", "0536-4223110、12345；0536-1") == [
        "0536-4223110", "12345", "0536-1"]
    assert _parse("themes", "入学、升学\n就业") == ["入学、升学", "就业"]
    codec = COLUMN_BY_KEY["themes"].codec
    assert codec.format(["入学、升学", "就业"], REGISTERS) == "入学、升学\n就业"
    assert codec.format(["入学", "就业"], REGISTERS) == "入学、就业"


@pytest.mark.parametrize(("key", "text", "value"), [
    ("channels.self_service", "是", {}),
    ("channels.self_service", "否", None),
    ("channels.self_service", "政务服务中心自助区\n派出所", {"locations": ["政务服务中心自助区", "派出所"]}),
    ("channels.home_visit", "行动不便的老年人", {"conditions": "行动不便的老年人"}),
    ("channels.appointment", "爱山东APP|0536-1|https://x.cn/",
     {"how": "爱山东APP", "phone": "0536-1", "url": "https://x.cn/"}),
    ("channels.halls", "安丘市政务服务中心一楼", [{"name": "安丘市政务服务中心一楼",
                                                   "address": "安丘市政务服务中心一楼"}]),
    ("fees", "不收费", []),
    ("fees", "工本费|每证20元|可减免=否", [{"name": "工本费", "standard": "每证20元", "waivable": False}]),
    ("channels.online.depth", "Ⅳ", "IV"),
    ("channels.online.depth", "全程网办", "IV"),
    ("tier", "业务办理项", "handling"),
    ("exercise_level", "县级", "county"),
    ("status", "已公布", "published"),
    ("implementing_levels", "县、乡镇", ["county", "town"]),
    ("review.legal_review", "2025年7月4日|安丘市司法局|通过", {"date": "2025-07-04",
                                                       "reviewer": "安丘市司法局", "conclusion": "通过"}),
    ("visits.count", "0", 0),
    ("channels.online.payment", "否", False),
])
def test_other_cells(key: str, text: str, value: Any) -> None:
    assert _parse(key, text) == value


@pytest.mark.parametrize(("code", "name", "ident"), [
    ("370784GA0202-bys", "x", "370784-ga0202-bys"),
    ("GA0202", "x", "370784-ga0202"),
    ("370784", "x", "370784-370784"),
    (None, "出生登记", "370784-e0a7bba3"),
    ("（无）", "出生登记", "370784-e0a7bba3"),
])
def test_ids_from_the_handling_code_or_the_name(code: str | None, name: str, ident: str) -> None:
    assert item_id("370784", handling_code=code, name=name) == ident


@pytest.mark.parametrize("text", ["1e5", "370784", "no", "2025-07-04", "第一行\n第二行", "0536-1", "~"])
def test_item_files_read_back_as_the_text_written(text: str) -> None:
    data = {"id": "x", "situation": text}
    written = render_yaml(data, "# a comment")
    assert written.startswith("# a comment\n")
    loaded = load_text(written, "x.yaml")
    assert loaded.document is not None and loaded.document.data == data
