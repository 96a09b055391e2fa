"""`svccat import` of real .xlsx files: ids, resolved references, bad input, all or nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

from svccat.catalogue import load_catalogue
from tests.spreadsheet.conftest import HEADERS, ROW_HK, ROW_SFZ, item_files, make_xlsx

IMPORT = ("import", "items.xlsx", "--region", "370784", "--catalogue", "catalogue")
HK_ID = "370784-" + hashlib.sha256("出生登记".encode()).hexdigest()[:8]


def _item(project: Path, ident: str) -> dict[str, Any]:
    text = (project / "catalogue/items/370784" / f"{ident}.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def test_rows_become_item_files_named_after_their_ids(project: Path, svccat: Any) -> None:
    make_xlsx(project / "items.xlsx", [HEADERS, ROW_SFZ, ROW_HK])
    done = svccat(*IMPORT)
    assert done.code == 0, done.out
    assert "已写入 2 个事项文件" in done.out
    assert "未读取的列：序号" in done.err
    # From the handling code without the region it repeats; without a code, from the name.
    assert item_files(project) == sorted(["370784-ga0101.yaml", f"{HK_ID}.yaml"])
    sfz = _item(project, "370784-ga0101")
    assert sfz["department"] == "370784-gaj"  # resolved from the department's name
    assert sfz["legal_basis"] == {"setting": [{"document": "sfzf", "article": "第十一条"}]}
    assert sfz["statutory_limit"] == {"days": 60, "unit": "工作日"}
    assert sfz["conditions"] == ["居民身份证有效期满", "证件严重损坏不能辨认"]
    assert sfz["materials"] == [{"name": "居民户口簿", "necessity": "必要", "form": "纸质",
                                 "material_type": "证件证书证明", "source": "政府部门核发",
                                 "originals": 1, "copies": 0}]
    assert sfz["visits"] == {"count": 1}
    assert sfz["status"] == "draft" and sfz["tier"] == "main" and sfz["region"] == "370784"
    hk = _item(project, HK_ID)
    assert hk["legal_basis"]["setting"] == [{"document": "hkdj", "article": "第七条",
                                             "text": "婴儿出生后一个月以内申报出生登记。"}]
    assert hk["committed_limit"] == {"days": 0, "unit": "工作日"}
    assert hk["materials"][1] == {"name": "结婚证", "necessity": "非必要", "form": "纸质",
                                  "situation": "父母已登记结婚的"}
    assert hk["contacts"]["consultation"] == ["0536-4223110", "12345"]
    # The files are what lint reads: schema-valid, references resolved.
    loaded = load_catalogue(project / "catalogue")
    assert not [p for p in loaded.problems], loaded.problems
    assert set(loaded.catalogue.items) == {"370000-ga-sfz", "370784-ga0101", HK_ID}


def test_the_same_sheet_gives_the_same_ids_again(project: Path, svccat: Any) -> None:
    make_xlsx(project / "items.xlsx", [HEADERS, ROW_SFZ, ROW_HK])
    assert svccat(*IMPORT).code == 0
    first = {name: (project / "catalogue/items/370784" / name).read_text(encoding="utf-8")
             for name in item_files(project)}
    done = svccat(*IMPORT, "--overwrite")
    assert done.code == 0 and "覆盖 2" in done.out
    assert {name: (project / "catalogue/items/370784" / name).read_text(encoding="utf-8")
            for name in item_files(project)} == first


def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_written(
        project: Path, svccat: Any) -> None:
    bad = list(ROW_SFZ)
    bad[HEADERS.index("法定办结时限")] = "二十天"
    bad[HEADERS.index("到办事现场次数")] = "多次"
    make_xlsx(project / "items.xlsx", [HEADERS, ROW_HK, bad])
    done = svccat(*IMPORT)
    assert done.code == 1
    assert "items.xlsx:3: 列“法定办结时限”：“二十天”不是时限" in done.out
    assert "items.xlsx:3: 列“到办事现场次数”：“多次”不是整数" in done.out
    assert "未写入任何文件" in done.out
    assert item_files(project) == []  # the good row 2 is not written either


def test_empty_rows_are_skipped_and_row_numbers_stay_the_sheets(project: Path, svccat: Any) -> None:
    bad = list(ROW_SFZ)
    bad[HEADERS.index("办件类型")] = "马上办"
    make_xlsx(project / "items.xlsx", [HEADERS, [None] * len(HEADERS), ROW_HK, [], bad])
    done = svccat(*IMPORT)
    assert done.code == 1
    assert done.out.splitlines()[0] == (
        "items.xlsx:5: 列“办件类型”：“马上办”不是可选值（可选：即办件、承诺件）")
    assert "共 2 行" in done.out


def test_a_missing_required_column_is_a_usage_error(project: Path, svccat: Any) -> None:
    without = HEADERS.index("实施主体")
    make_xlsx(project / "items.xlsx", [[h for i, h in enumerate(HEADERS) if i != without],
                                       [v for i, v in enumerate(ROW_SFZ) if i != without]])
    done = svccat(*IMPORT)
    assert done.code == 2
    assert "缺少必填列“实施主体”" in done.err
    assert item_files(project) == []


def test_no_header_row_at_all_names_the_item_name_column(project: Path, svccat: Any) -> None:
    make_xlsx(project / "items.xlsx", [["名称", "类型"], ["居民身份证换领", "行政确认"]])
    done = svccat(*IMPORT)
    assert done.code == 2 and "缺少必填列“事项名称" in done.err


def test_a_title_row_and_merged_body_cells_are_read_as_meant(project: Path, svccat: Any) -> None:
    # Row 1: a title merged across; rows 3-4: 实施主体 and 受理条件 merged down.
    second = list(ROW_SFZ)
    second[HEADERS.index("事项名称")] = "居民身份证补领"
    second[HEADERS.index("业务办理项编码")] = "370784GA0102"
    second[HEADERS.index("实施主体")] = None
    second[HEADERS.index("受理条件")] = None
    dept = HEADERS.index("实施主体") + 1
    cond = HEADERS.index("受理条件") + 1
    letter = "ABCDEFGHIJKLMN"
    make_xlsx(project / "items.xlsx", [["安丘市公安局政务服务事项清单"], HEADERS, ROW_SFZ, second],
              merged=["A1:M1", f"{letter[dept - 1]}3:{letter[dept - 1]}4",
                      f"{letter[cond - 1]}3:{letter[cond - 1]}4"])
    done = svccat(*IMPORT)
    assert done.code == 0, done.out
    replaced = _item(project, "370784-ga0102")
    assert replaced["department"] == "370784-gaj"
    assert replaced["conditions"] == ["居民身份证有效期满", "证件严重损坏不能辨认"]


def test_a_merged_header_is_a_usage_error(project: Path, svccat: Any) -> None:
    headers = list(HEADERS)
    headers[HEADERS.index("承诺办结时限")] = None  # "办结时限" over two columns
    headers[HEADERS.index("法定办结时限")] = "办结时限"
    make_xlsx(project / "items.xlsx", [headers, ROW_SFZ], merged=["H1:I1"])
    done = svccat(*IMPORT)
    assert done.code == 2
    assert "表头第 1 行有合并单元格 H1:I1" in done.err


def test_a_duplicate_header_is_a_usage_error(project: Path, svccat: Any) -> None:
    make_xlsx(project / "items.xlsx", [[*HEADERS, "咨询电话"], [*ROW_SFZ, "12345"]])
    done = svccat(*IMPORT)
    assert done.code == 2 and "列名“咨询电话”出现两次（M1 和 N1）" in done.err


def test_references_that_do_not_resolve_are_row_problems(project: Path, svccat: Any) -> None:
    row = list(ROW_SFZ)
    row[HEADERS.index("设定依据")] = "《居民身份证法》第十一条"
    row[HEADERS.index("实施主体")] = "安丘市公安"
    make_xlsx(project / "items.xlsx", [HEADERS, row])
    done = svccat(*IMPORT)
    assert done.code == 1
    assert ("列“设定依据”：《居民身份证法》不在法律文件登记簿中，是否为《中华人民共和国居民身份证法》？"
            in done.out)
    assert ("列“实施主体”：“安丘市公安”不在部门登记簿中（填部门标识或全称），是否为“安丘市公安局”？"
            in done.out)


def test_a_title_with_nested_book_marks_or_a_document_number_resolves(
        project: Path, svccat: Any) -> None:
    row = list(ROW_SFZ)
    row[HEADERS.index("设定依据")] = ("《公安部关于印发《公安机关办理犯罪记录查询工作规定》的通知》第三条\n"
                                      "《公通字〔2021〕19号》")
    make_xlsx(project / "items.xlsx", [HEADERS, row])
    assert svccat(*IMPORT).code == 0
    assert _item(project, "370784-ga0101")["legal_basis"]["setting"] == [
        {"document": "fzjl", "article": "第三条"}, {"document": "fzjl"}]


def test_schema_problems_of_a_generated_item_name_the_column(project: Path, svccat: Any) -> None:
    row = list(ROW_SFZ)
    row[HEADERS.index("咨询电话")] = "请拨打当地派出所"
    make_xlsx(project / "items.xlsx", [HEADERS, row])
    done = svccat(*IMPORT)
    assert done.code == 1
    assert "items.xlsx:2: 列“咨询电话”：“请拨打当地派出所”格式不正确" in done.out


def test_two_rows_with_the_same_id_are_reported(project: Path, svccat: Any) -> None:
    twin = list(ROW_SFZ)
    twin[HEADERS.index("事项名称")] = "居民身份证换领（异地）"
    make_xlsx(project / "items.xlsx", [HEADERS, ROW_SFZ, twin])
    done = svccat(*IMPORT)
    assert done.code == 1
    assert "items.xlsx:3: 事项标识“370784-ga0101”与第 2 行相同" in done.out


def test_materials_on_a_second_sheet_join_their_item(project: Path, svccat: Any) -> None:
    headers = [h for h in HEADERS if h != "申请材料"]
    rows = [[v for h, v in zip(HEADERS, r, strict=True) if h != "申请材料"] for r in (ROW_SFZ, ROW_HK)]
    sheet = [["事项名称", "材料名称", "必要性", "材料形式", "原件份数", "复印件份数", "要求依据"],
             ["居民身份证换领", "居民户口簿", "必要", "纸质", 1, 0, "《中华人民共和国居民身份证法》第十一条"],
             ["居民身份证换领", "原居民身份证", "必要", "纸质", 1, None, None],
             ["出生登记", "出生医学证明", "必要", "纸质和电子", None, None, None]]
    make_xlsx(project / "items.xlsx", [headers, *rows], extra={"申请材料": sheet})
    done = svccat(*IMPORT)
    assert done.code == 0, done.out
    assert _item(project, "370784-ga0101")["materials"] == [
        {"name": "居民户口簿", "necessity": "必要", "form": "纸质", "originals": 1, "copies": 0,
         "basis": {"document": "sfzf", "article": "第十一条"}},
        {"name": "原居民身份证", "necessity": "必要", "form": "纸质", "originals": 1}]
    assert [m["name"] for m in _item(project, HK_ID)["materials"]] == ["出生医学证明"]


def test_problems_on_the_materials_sheet_name_that_sheet(project: Path, svccat: Any) -> None:
    headers = [h for h in HEADERS if h != "申请材料"]
    rows = [[v for h, v in zip(HEADERS, r, strict=True) if h != "申请材料"] for r in (ROW_SFZ,)]
    sheet = [["事项名称", "材料名称", "必要性"], ["居民身份证换领", "居民户口簿", "必须有"],
             ["居民身份证挂失", "报失证明", "必要"], ["居民身份证换领", "照片", None]]
    make_xlsx(project / "items.xlsx", [headers, *rows], extra={"申请材料": sheet})
    done = svccat(*IMPORT)
    assert done.code == 1
    assert "items.xlsx[申请材料]:2: 列“必要性”：“必须有”不是可选值" in done.out
    assert "items.xlsx[申请材料]:3: 列“事项名称”：找不到事项“居民身份证挂失”" in done.out
    assert item_files(project) == []


def test_parent_and_baseline_item_by_name(project: Path, svccat: Any) -> None:
    headers = ["事项名称", "业务办理项编码", "上级事项", "区分情形", "对应基本目录事项", "事项类型",
               "实施主体"]
    given = ["行政确认", "安丘市公安局"]
    main_row = ["居民身份证申领", "370784GA01", None, None, "居民身份证申领", *given]
    child = ["居民身份证首次申领", "370784GA0101", "居民身份证申领", "首次申领", None, *given]
    orphan = ["居民身份证补领", "370784GA0102", "居民身份证挂失", "丢失后补领", None, *given]
    make_xlsx(project / "items.xlsx", [headers, main_row, child, orphan])
    done = svccat(*IMPORT)
    assert done.code == 1
    assert done.out.splitlines()[0] == (
        "items.xlsx:4: 列“上级事项”：找不到上级事项“居民身份证挂失”（填写事项标识或名称）")
    make_xlsx(project / "items.xlsx", [headers, main_row, child])
    assert svccat(*IMPORT).code == 0
    main = _item(project, "370784-ga01")
    child = _item(project, "370784-ga0101")
    assert main["implements"] == "370000-ga-sfz" and main["tier"] == "main"
    assert child["parent"] == "370784-ga01" and child["tier"] == "handling"


def test_dry_run_lists_the_files_and_writes_nothing(project: Path, svccat: Any) -> None:
    make_xlsx(project / "items.xlsx", [HEADERS, ROW_SFZ, ROW_HK])
    done = svccat(*IMPORT, "--dry-run")
    assert done.code == 0
    assert "新建 catalogue/items/370784/370784-ga0101.yaml" in done.out
    assert "试运行，未写入任何文件：将写入 2 个事项文件（新建 2，覆盖 0）" in done.out
    assert not (project / "catalogue/items/370784").exists()


def test_existing_files_are_kept_unless_overwrite_which_keeps_columns_not_given(
        project: Path, svccat: Any) -> None:
    make_xlsx(project / "items.xlsx", [HEADERS, ROW_SFZ])
    assert svccat(*IMPORT).code == 0
    path = project / "catalogue/items/370784/370784-ga0101.yaml"
    edited = path.read_text(encoding="utf-8") + (
        "faq:\n- {question: 可以异地换领吗？, answer: 可以。}\nthemes: [身份证件]\n")
    path.write_text(edited, encoding="utf-8")
    row = list(ROW_SFZ)
    row[HEADERS.index("承诺办结时限")] = "15个工作日"
    make_xlsx(project / "items.xlsx", [HEADERS, row])
    done = svccat(*IMPORT)
    assert done.code == 1
    assert "items.xlsx:2: 文件 catalogue/items/370784/370784-ga0101.yaml 已存在；用 --overwrite 覆盖" \
        in done.out
    assert path.read_text(encoding="utf-8") == edited
    done = svccat(*IMPORT, "--overwrite")
    assert done.code == 0, done.out
    replaced = _item(project, "370784-ga0101")
    assert replaced["committed_limit"] == {"days": 15, "unit": "工作日"}
    assert replaced["faq"] == [{"question": "可以异地换领吗？", "answer": "可以。"}]  # no such column
    assert replaced["themes"] == ["身份证件"]


def test_an_id_used_by_another_file_is_a_row_problem(project: Path, svccat: Any) -> None:
    headers = ["事项名称", "事项类型", "实施主体", "事项标识"]
    make_xlsx(project / "items.xlsx", [headers, ["居民身份证申领", "行政确认", "安丘市公安局",
                                                 "370000-ga-sfz"]])
    done = svccat(*IMPORT, "--overwrite")
    assert done.code == 1
    assert "事项标识“370000-ga-sfz”已被 catalogue/items/370000/370000-ga-sfz.yaml 使用" in done.out


def test_a_row_of_another_region_is_a_row_problem(project: Path, svccat: Any) -> None:
    make_xlsx(project / "items.xlsx", [[*HEADERS, "区划代码"], [*ROW_SFZ, "370785"]])
    done = svccat(*IMPORT)
    assert done.code == 1
    assert "列“区划代码”：本行属于区划 370785，而导入的是 370784（--region）" in done.out


def test_an_unknown_region_or_file_type_is_a_usage_error(project: Path, svccat: Any) -> None:
    make_xlsx(project / "items.xlsx", [HEADERS, ROW_SFZ])
    done = svccat("import", "items.xlsx", "--region", "370799", "--catalogue", "catalogue")
    assert done.code == 2 and "区划“370799”不在区划登记簿中" in done.err
    (project / "items.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    done = svccat("import", "items.xls", "--region", "370784", "--catalogue", "catalogue")
    assert done.code == 2 and "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx" in done.err
    (project / "broken.xlsx").write_bytes(b"not a zip")
    done = svccat("import", "broken.xlsx", "--region", "370784", "--catalogue", "catalogue")
    assert done.code == 2 and "无法作为 .xlsx 文件读取" in done.err


def test_english_messages(project: Path, svccat: Any) -> None:
    bad = list(ROW_SFZ)
    bad[HEADERS.index("法定办结时限")] = "二十天"
    make_xlsx(project / "items.xlsx", [HEADERS, bad])
    done = svccat(*IMPORT, "--lang", "en")
    assert done.code == 1
    assert "items.xlsx:2: column 法定办结时限: '二十天' is not a time limit" in done.out
    assert "no file was written (1 row(s) read)" in done.out


def test_the_items_sheet_is_named_in_the_mapping_file(project: Path, svccat: Any) -> None:
    make_xlsx(project / "items.xlsx", [["填表说明：每个业务办理项一行"]], sheet="说明",
              extra={"事项清单": [HEADERS, ROW_SFZ]})
    done = svccat(*IMPORT)
    assert done.code == 2 and "items.xlsx：缺少必填列“事项名称" in done.err
    (project / "mapping.yaml").write_text("sheets:\n  items: 事项清单\n", encoding="utf-8")
    assert svccat(*IMPORT, "--mapping", "mapping.yaml").code == 0
    (project / "mapping.yaml").write_text("sheets:\n  items: 清单\n", encoding="utf-8")
    done = svccat(*IMPORT, "--mapping", "mapping.yaml")
    assert done.code == 2 and "没有名为“清单”的工作表（有：说明、事项清单）" in done.err
