"""The one table of spreadsheet columns: header, where the value goes in an item, how it is read.

Default headers follow the national platform's element names (事项名称, 实施主体, 法定办结时限…).
A column's key is the item field it fills, written as a dotted path (`codes.basic`); a
mapping file renames headers by key or by default header. docs/spreadsheet.md lists them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from svccat.config import ConfigError
from svccat.loader import load_bytes
from svccat.site.labels import LABELS
from svccat.spreadsheet.cells import (
    PLAIN,
    Choice,
    Citation,
    Codec,
    Date,
    DepartmentName,
    Fees,
    Field,
    Flag,
    Integer,
    Limit,
    Lines,
    Offered,
    Plain,
    Records,
    choice,
)


@dataclass(frozen=True)
class Column:
    key: str  # the item field, as a dotted path; stable, used in mapping files
    header: str  # default header
    codec: Codec = PLAIN
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headers read as this column
    # False for the columns convert.py applies itself (区划代码, 办公时间).
    stored: bool = True

    @property
    def path(self) -> tuple[str, ...]:
        """Where the value goes in the item document."""
        return tuple(self.key.split("."))


TIER = Choice(tuple((v, LABELS[f"tier_{v}"][0]) for v in ("main", "sub", "handling")),
              {"大项": "main", "主项": "main", "业务办理项": "handling", "办理项": "handling"})
EXERCISE = Choice(tuple((v, LABELS[f"exercise_{v}"][0])
                        for v in ("national", "province", "city", "county", "town", "village")),
                  {"国家": "national", "省": "province", "市": "city", "县": "county",
                   "乡镇": "town", "村": "village", "设区的市级": "city", "县级（市、区）": "county"})
STATUS = Choice(tuple((v, LABELS[f"status_{v}"][0])
                      for v in ("draft", "legal_review", "public_comment", "published")),
                {"合法性审查": "legal_review", "公开征求意见": "public_comment", "公布": "published"})
# Implementing levels of a baseline item; the site's labels hold 、 which separates list entries.
LEVELS = Choice((("city", "市"), ("county", "县"), ("town", "乡镇"), ("community", "村居")),
                {"市级": "city", "县级": "county", "县（市、区）": "county", "乡镇级": "town",
                 "街道": "town", "乡镇（街道）": "town", "社区": "community", "村": "community",
                 "村（社区）": "community"})
DEPTH = Choice(tuple((v, v) for v in ("I", "II", "III", "IV")),
               {"Ⅰ": "I", "Ⅱ": "II", "Ⅲ": "III", "Ⅳ": "IV", "1": "I", "2": "II", "3": "III",
                "4": "IV", "一级": "I", "二级": "II", "三级": "III", "四级": "IV", "I级": "I",
                "II级": "II", "III级": "III", "IV级": "IV", "信息公开": "I", "表格下载": "II",
                "在线预审": "III", "全程网办": "IV"})

# Fields of one material: the columns of the 申请材料 sheet, and the fields of a material line.
MATERIAL_FIELDS: tuple[Field, ...] = (
    Field("name", "材料名称"),
    Field("necessity", "必要性", choice("必要", "非必要", "容缺后补",
                                        aliases={"必须": "必要", "非必须": "非必要", "容缺": "容缺后补"})),
    Field("form", "材料形式", choice("纸质", "电子", "纸质和电子",
                                     aliases={"纸质、电子": "纸质和电子", "纸质/电子": "纸质和电子",
                                              "电子和纸质": "纸质和电子", "纸质或电子": "纸质和电子"})),
    Field("material_type", "材料类型", choice("证件证书证明", "申请表格文书", "其他")),
    Field("source", "来源渠道", choice("申请人自备", "政府部门核发", "其他",
                                       aliases={"自备": "申请人自备", "政府核发": "政府部门核发"})),
    Field("originals", "原件份数", Integer("份")),
    Field("copies", "复印件份数", Integer("份")),
    Field("basis", "要求依据", Citation()),
    Field("certificate", "证明事项"),
    Field("commitment", "可承诺替代", Flag()),
    Field("data_sharing", "数据共享获取", Flag()),
    Field("situation", "适用情形"),
    Field("acceptance_standard", "受理标准"),
    Field("blank_form", "空白表格"),
    Field("sample", "示例样表"),
    Field("note", "填报须知"),
)
MATERIALS = Records(MATERIAL_FIELDS, positional=7)

COLUMNS: tuple[Column, ...] = (
    Column("id", "事项标识"),
    Column("name", "事项名称", required=True),
    Column("region", "区划代码", stored=False),
    Column("type", "事项类型", choice("行政许可", "行政给付", "行政确认", "行政奖励", "行政裁决",
                                      "其他行政权力", "公共服务"), required=True),
    Column("codes.basic", "基本编码"),
    Column("codes.implementation", "实施编码"),
    Column("codes.handling", "业务办理项编码", aliases=("事项编码", "办理项编码")),
    Column("department", "实施主体", DepartmentName(), required=True,
           aliases=("实施部门", "实施机关", "实施机构")),
    Column("exercise_level", "行使层级", EXERCISE),
    Column("tier", "事项层级", TIER),
    Column("parent", "上级事项"),
    Column("situation", "区分情形"),
    Column("implements", "对应基本目录事项"),
    Column("implementing_levels", "实施层级", Lines(short=True, each=LEVELS)),
    Column("renamed_from", "曾用标识", Lines(short=True)),
    Column("service_object", "服务对象", Lines(short=True, each=choice("自然人", "法人", "其他组织"))),
    Column("legal_basis.setting", "设定依据", Lines(each=Citation())),
    Column("legal_basis.implementing", "实施依据", Lines(each=Citation())),
    Column("handling_type", "办件类型", choice("即办件", "承诺件",
                                              aliases={"即办": "即办件", "承诺": "承诺件",
                                                       "承办件": "承诺件"})),
    Column("statutory_limit", "法定办结时限", Limit()),
    Column("committed_limit", "承诺办结时限", Limit()),
    Column("conditions", "受理条件", Lines()),
    Column("materials", "申请材料", MATERIALS),
    Column("steps", "办理流程", Records((Field("name", "环节名称"), Field("limit", "环节时限", Limit()),
                                        Field("description", "说明")), positional=3)),
    Column("visits.count", "到办事现场次数", Integer("次"), aliases=("到现场次数",)),
    Column("visits.reason", "必须到现场原因", aliases=("到现场原因",)),
    Column("channels.online.depth", "网上办理深度", DEPTH, aliases=("网办深度",)),
    Column("channels.online.url", "网办地址", aliases=("网上办理地址",)),
    Column("channels.online.payment", "网上支付", Flag(), aliases=("是否支持网上支付",)),
    Column("channels.self_service", "自助办理", Offered(Lines(), key="locations")),
    Column("channels.halls", "办理地点", Records(
        (Field("name", "名称"), Field("address", "地址"), Field("window", "窗口"),
         Field("hours", "办公时间"), Field("phone", "电话")), positional=5,
        copy_single=("name", "address"))),
    # Opening hours of every hall that does not give its own: convert.py applies it.
    Column("channels.halls.hours", "办公时间", stored=False),
    Column("channels.appointment", "预约办理", Offered(Records(
        (Field("how", "预约方式"), Field("phone", "预约电话"), Field("url", "预约网址")),
        positional=3, many=False))),
    Column("channels.home_visit", "上门办理", Offered(Plain(), key="conditions")),
    Column("channels.proxy", "委托代办", Offered(Plain(), key="conditions")),
    Column("channels.express", "快递送达", Offered(Plain(), key="note"), aliases=("物流快递",)),
    Column("fees", "收费标准", Fees(Records(
        (Field("name", "收费项目"), Field("standard", "标准"), Field("basis", "收费依据", Citation()),
         Field("waivable", "可减免", Flag())), positional=4, copy_single=("name", "standard"))),
        aliases=("收费项目",)),
    Column("result.type", "办理结果类型", choice("批文批复", "证件执照", "证明文件", "鉴定报告", "其他"),
           aliases=("审批结果类型",)),
    Column("result.name", "办理结果名称", aliases=("审批结果名称",)),
    Column("result.sample", "办理结果样本", aliases=("审批结果样本",)),
    Column("contacts.consultation", "咨询电话", Lines(short=True), aliases=("咨询方式",)),
    Column("contacts.complaint", "监督投诉电话", Lines(short=True), aliases=("监督投诉方式", "投诉电话")),
    Column("scope", "通办范围", choice("全国通办", "跨省通办", "全省通办", "全市通办", "全县通办")),
    Column("themes", "主题", Lines(short=True)),
    Column("faq", "常见问题", Records((Field("question", "问题"), Field("answer", "解答")),
                                      positional=2)),
    Column("status", "状态", STATUS),
    Column("review.legal_review", "合法性审查", Records(
        (Field("date", "日期", Date()), Field("reviewer", "审查机关"),
         Field("conclusion", "结论", choice("通过", "修改后通过", "不予通过")),
         Field("reference", "文号")), positional=4, many=False)),
    Column("review.public_comment", "公开征求意见", Records(
        (Field("start", "开始日期", Date()), Field("end", "结束日期", Date()), Field("url", "网址"),
         Field("comments", "意见条数", Integer("条")), Field("response", "采纳情况")),
        positional=5, many=False)),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
# Columns of the 申请材料 sheet that say which item a material belongs to, in the order tried.
MATERIAL_KEYS = ("id", "codes.handling", "name")

ITEMS_SHEET = "事项"
MATERIALS_SHEET = "申请材料"


def normalise_header(text: str) -> str:
    """A header as compared: without spaces, line breaks and the required mark `*`."""
    return re.sub(r"[\s*＊]+", "", text)


@dataclass(frozen=True)
class ColumnMapping:
    """Headers and sheet names in a particular spreadsheet, where they differ from ours."""

    headers: dict[str, str] = field(default_factory=dict)  # column or material key → header
    items_sheet: str | None = None
    materials_sheet: str = MATERIALS_SHEET
    source: str | None = None

    def header(self, column: Column) -> str:
        return self.headers.get(column.key, column.header)

    def material_header(self, material: Field) -> str:
        return self.headers.get(f"materials.{material.key}", material.label)

    def accepted(self, column: Column) -> tuple[str, ...]:
        """Headers read as this column: the mapped one, or the default and its aliases."""
        if column.key in self.headers:
            return (self.headers[column.key],)
        return (column.header, *column.aliases)


def _known_names() -> dict[str, str]:
    """Every name a mapping file may rename → the key it stands for."""
    names = {c.key: c.key for c in COLUMNS} | {c.header: c.key for c in COLUMNS}
    for material in MATERIAL_FIELDS:
        names[f"materials.{material.key}"] = f"materials.{material.key}"
        names[material.label] = f"materials.{material.key}"
    return names


def load_mapping(path: Path | None) -> ColumnMapping:
    """A mapping file (YAML): `columns:` default header or key → header; `sheets:`."""
    if path is None:
        return ColumnMapping()
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ConfigError(f"无法读取列名映射文件 {path}：{e.strerror}",
                          f"cannot read mapping file {path}: {e.strerror}") from None
    loaded = load_bytes(raw, str(path))
    if loaded.document is None or loaded.problems:
        first = loaded.problems[0] if loaded.problems else None
        where = f"{path}:{first.line}" if first and first.line else str(path)
        zh = first.message.zh if first else "不是 YAML 映射"
        en = first.message.en if first else "not a YAML mapping"
        raise ConfigError(f"{where}：{zh}", f"{where}: {en}")
    data = loaded.document.data
    unknown = sorted(set(data) - {"columns", "sheets"})
    if unknown:
        raise ConfigError(f"{path}：未知的键“{unknown[0]}”（可用：columns、sheets）",
                          f"{path}: unknown key '{unknown[0]}' (known: columns, sheets)")
    names = _known_names()
    headers: dict[str, str] = {}
    for name, header in _table(data.get("columns"), path, "columns").items():
        if name not in names:
            close = difflib.get_close_matches(name, list(names), n=1)
            hint_zh, hint_en = (f"，是否应为“{close[0]}”？", f"; did you mean '{close[0]}'?") \
                if close else ("", "")
            raise ConfigError(f"{path}：columns 中未知的列“{name}”{hint_zh}",
                              f"{path}: unknown column '{name}' under columns{hint_en}")
        headers[names[name]] = header
    taken: dict[str, str] = {}
    for key, header in headers.items():
        other = taken.setdefault(normalise_header(header), key)
        if other != key:
            raise ConfigError(f"{path}：列名“{header}”同时映射到 {other} 和 {key}",
                              f"{path}: header '{header}' is mapped to both {other} and {key}")
    sheets = _table(data.get("sheets"), path, "sheets")
    for name in sheets:
        if name not in ("items", "materials"):
            raise ConfigError(f"{path}：sheets 中未知的键“{name}”（可用：items、materials）",
                              f"{path}: unknown key '{name}' under sheets (known: items, "
                              "materials)")
    return ColumnMapping(headers=headers, items_sheet=sheets.get("items"),
                   materials_sheet=sheets.get("materials", MATERIALS_SHEET), source=str(path))


def _table(value: object, path: Path, key: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                              and v.strip() for k, v in value.items()):
        raise ConfigError(f"{path}：{key} 应为“名称: 列名”的映射，列名为非空文本",
                          f"{path}: {key} must map names to non-empty header texts")
    return {k: v.strip() for k, v in value.items()}
