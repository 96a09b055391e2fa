#!/usr/bin/env python3
"""Generate a synthetic but realistic catalogue of N public service items, for benchmarks.

    python benchmarks/generate.py --items N --out DIR [--seed S] [--force]

The catalogue is shaped like a province's: a provincial baseline (基本目录, about N/20 items
of region 370000 across ten systems, main items → sub-items → handling items), implemented
by the 16 cities and then by as many counties as it takes to reach exactly N items. A local
item `implements` its baseline item and has as `parent` its own region's copy of the
baseline parent. Leaves carry 3–8 materials (some are certificates of the register), legal
basis from the legal register, steps, halls, contacts and review records.

The names of laws, provinces, cities and departments are real, for realism; county names
and codes, document numbers, dates, phone numbers, addresses and credit codes are invented.
The same seed always gives the same files, byte for byte. Every file is valid: `svccat lint`
reports no problem on the result.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from random import Random
from typing import Any

DEFAULT_SEED = 20240601
PROVINCE = ("370000", "山东省", "0531")
# (code, name, area code): the 16 cities of Shandong.
CITIES = (
    ("370100", "济南市", "0531"), ("370200", "青岛市", "0532"), ("370300", "淄博市", "0533"),
    ("370400", "枣庄市", "0632"), ("370500", "东营市", "0546"), ("370600", "烟台市", "0535"),
    ("370700", "潍坊市", "0536"), ("370800", "济宁市", "0537"), ("370900", "泰安市", "0538"),
    ("371000", "威海市", "0631"), ("371100", "日照市", "0633"), ("371300", "临沂市", "0539"),
    ("371400", "德州市", "0534"), ("371500", "聊城市", "0635"), ("371600", "滨州市", "0543"),
    ("371700", "菏泽市", "0530"),
)

# ---------------------------------------------------------------------------- YAML text


class FlowMap(dict[str, Any]):
    """A mapping written on one line: `{days: 20, unit: 工作日}`."""


class FlowSeq(list[Any]):
    """A list written on one line: `[自然人, 法人]`."""


_RESERVED = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"})
_SPECIAL = frozenset(":#,[]{}&*!|>'\"%@`\\")
_PLAIN_ID = re.compile(r"[0-9a-z]+(?:-[0-9a-z]+)*")


def _plain_ok(text: str) -> bool:
    """Whether text can be written unquoted and still read back as the same text by any
    YAML 1.1 or 1.2 parser, in block and in flow context (conservative)."""
    if not text or text != text.strip() or text.lower() in _RESERVED:
        return False
    if any(c in _SPECIAL or c < " " for c in text):
        return False
    if text[0] in "-?+.~=" or text[0].isdigit():
        # Ids such as 370000-jyt are text as long as a letter no number syntax uses is in them.
        return bool(_PLAIN_ID.fullmatch(text)) and re.search(r"[g-wyz]", text) is not None
    return True


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value if _plain_ok(value) else json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {type(value).__name__} {value!r}")


def flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def _inline(value: Any) -> bool:
    return isinstance(value, (FlowMap, FlowSeq)) or not isinstance(value, (dict, list)) or not value


def _block_map(data: dict[str, Any], indent: int, out: list[str], first_prefix: str = "") -> None:
    pad = " " * indent
    for index, (key, value) in enumerate(data.items()):
        lead = first_prefix if index == 0 and first_prefix else pad
        if _inline(value):
            out.append(f"{lead}{key}: {flow(value)}")
        elif isinstance(value, dict):
            out.append(f"{lead}{key}:")
            _block_map(value, indent + 2, out)
        else:
            out.append(f"{lead}{key}:")
            _block_seq(value, indent + 2, out)


def _block_seq(data: list[Any], indent: int, out: list[str]) -> None:
    pad = " " * indent
    for value in data:
        if _inline(value):
            out.append(f"{pad}- {flow(value)}")
        elif isinstance(value, dict):
            _block_map(value, indent + 2, out, first_prefix=f"{pad}- ")
        else:
            raise TypeError("nested block lists are not used")


def to_yaml(data: dict[str, Any]) -> str:
    out: list[str] = []
    _block_map(data, 0, out)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class System:
    key: str  # in ids and basic codes
    name: str  # 所属系统
    province_dept: tuple[str, str]  # id suffix, name
    city_dept: tuple[str, str]  # id suffix, name after the region's name
    county_dept: tuple[str, str]
    topics: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # object, ((action, type), ...)
    dims: tuple[tuple[str, ...], ...]  # ways to split an item into situations
    laws: tuple[str, ...]  # legal documents for setting basis
    rules: tuple[str, ...]  # legal documents for implementing basis
    certificates: tuple[str, ...]  # retained certificates its materials may demand
    materials: tuple[str, ...]
    themes: tuple[str, ...]


XK, GF, QR, JL = "行政许可", "行政给付", "行政确认", "行政奖励"
CJ, QT, GG = "行政裁决", "其他行政权力", "公共服务"

SYSTEMS: tuple[System, ...] = (
    System(
        "jy", "教育", ("jyt", "山东省教育厅"), ("jyj", "教育局"), ("jyj", "教育和体育局"),
        (("普通高中国家助学金", (("发放", GF),)),
         ("中等职业教育国家助学金", (("发放", GF),)),
         ("义务教育家庭经济困难学生生活补助", (("发放", GF),)),
         ("学前教育政府助学金", (("发放", GF),)),
         ("教师资格", (("认定", XK), ("证书补发", GG), ("证书换发", GG))),
         ("民办学校", (("设立审批", XK), ("变更审批", XK), ("终止审批", XK))),
         ("校外培训机构", (("设立审批", XK), ("变更审批", XK), ("注销审批", XK))),
         ("中小学生学籍", (("转学办理", GG), ("休学办理", GG), ("复学办理", GG))),
         ("适龄儿童少年", (("入学登记", GG), ("延缓入学审批", QR))),
         ("优秀教师", (("表彰奖励", JL),)),
         ("中等职业学校学生学历", (("认证", QR),))),
        (("小学", "初中", "高中"), ("一年级", "二年级", "三年级"), ("公办学校", "民办学校"),
         ("寄宿生", "非寄宿生"), ("幼儿园", "中小学", "中等职业学校", "高等学校")),
        ("jiaoyufa", "yiwu-jiaoyufa", "zhiye-jiaoyufa", "jiaoshifa", "jiaoshi-zige-tiaoli",
         "minban-jiaoyu-cujinfa"),
        ("caijiao-2021-310", "lu-xuesheng-zizhu-banfa", "lu-zhengwu-fuwu-banfa"),
        ("jiating-jingji-hedui", "jiaoshi-tijian", "sixiang-pinde-jianding", "xueli-zhengming",
         "putonghua-dengji"),
        ("申请表", "学生证", "学历证书", "普通话水平测试等级证书", "办学章程", "校舍产权或租赁合同",
         "教职工名册", "近期免冠照片"),
        ("教育", "学生资助", "入学", "教师"),
    ),
    System(
        "mz", "民政", ("mzt", "山东省民政厅"), ("mzj", "民政局"), ("mzj", "民政局"),
        (("", (("结婚登记", QR), ("离婚登记", QR), ("补领婚姻登记证", QR), ("撤销婚姻登记", QR))),
         ("最低生活保障", (("审核确认", GF),)),
         ("特困人员", (("认定", GF), ("救助供养", GF))),
         ("临时救助", (("给付", GF),)),
         ("社会团体", (("成立登记", XK), ("变更登记", XK), ("注销登记", XK))),
         ("民办非企业单位", (("成立登记", XK), ("变更登记", XK), ("注销登记", XK))),
         ("养老机构", (("备案", QT),)),
         ("困难残疾人生活补贴和重度残疾人护理补贴", (("发放", GF),)),
         ("经济困难的高龄老年人津贴", (("发放", GF),)),
         ("殡葬惠民补贴", (("发放", GF),))),
        (("城市", "农村"), ("内地居民", "涉外", "涉港澳台", "华侨"), ("急难型", "支出型"),
         ("分散供养", "集中供养"), ("本人申请", "委托他人申请")),
        ("minfadian", "hunyin-dengji-tiaoli", "shehui-jiuzhu-zanxing-banfa", "shetuan-dengji-tiaoli",
         "laonianren-quanyi-baozhangfa"),
        ("minfa-2021-57", "minfa-2021-43", "guofa-2014-47", "lu-shehui-jiuzhu-banfa"),
        ("hunyin-dengji-jilu", "siwang-yixue-zhengming", "canji-zhengming", "jiating-jingji-hedui"),
        ("居民户口簿", "本人近期半身免冠照片", "家庭收入和财产状况申报表", "社会团体章程草案",
         "住所产权或租赁合同", "婚姻状况声明书", "授权委托书"),
        ("婚姻", "社会救助", "养老", "社会组织"),
    ),
    System(
        "ga", "公安", ("gat", "山东省公安厅"), ("gaj", "公安局"), ("gaj", "公安局"),
        (("居民身份证", (("办理", GG),)),
         ("户口", (("迁移", QR), ("登记", QR), ("恢复", QR))),
         ("出生", (("登记", QR),)),
         ("无犯罪记录证明", (("开具", GG),)),
         ("居住证", (("申领", GG), ("签注", GG))),
         ("普通护照", (("签发", XK),)),
         ("往来港澳通行证", (("签发", XK), ("签注", XK))),
         ("机动车", (("注册登记", XK), ("转移登记", XK), ("注销登记", XK))),
         ("机动车驾驶证", (("换证", XK), ("补证", XK))),
         ("养犬", (("登记", XK),))),
        (("首次申领", "换领", "补领", "临时"), ("省内", "跨省"), ("本人办理", "监护人代办"),
         ("夫妻投靠", "子女投靠父母", "父母投靠子女", "大中专院校录取学生"), ("城镇", "农村")),
        ("jumin-shenfenzhengfa", "hukou-dengji-tiaoli", "huzhaofa", "daolu-jiaotong-anquanfa",
         "juzhuzheng-zanxing-tiaoli"),
        ("linshi-shenfenzheng-banfa", "guofa-2014-25", "gongtongzi-2021-19", "guobanfa-2020-35"),
        ("wufanzui-jilu", "zhunyu-qianru", "juzhu-dengji"),
        ("居民户口簿", "居民身份证", "近期免冠彩色照片", "户口迁移证", "监护人居民身份证",
         "出生医学证明", "机动车登记证书"),
        ("户籍", "出入境", "交通出行", "证件办理"),
    ),
    System(
        "rs", "人力资源社会保障", ("rst", "山东省人力资源和社会保障厅"),
        ("rsj", "人力资源和社会保障局"), ("rsj", "人力资源和社会保障局"),
        (("城乡居民基本养老保险", (("参保登记", GG), ("待遇申领", GF), ("关系转移接续", GG))),
         ("企业职工基本养老保险", (("参保登记", GG), ("待遇申领", GF))),
         ("社会保障卡", (("申领", GG), ("补领", GG), ("换领", GG))),
         ("失业保险金", (("申领", GF),)),
         ("就业创业证", (("申领", GG),)),
         ("职业培训补贴", (("申领", GF),)),
         ("一次性创业补贴", (("申领", GF),)),
         ("经营性人力资源服务机构", (("设立审批", XK), ("变更备案", QT))),
         ("劳务派遣经营", (("许可", XK),)),
         ("工伤", (("认定", QR), ("保险待遇核定支付", GF)))),
        (("城镇", "农村"), ("本人申请", "单位代办"), ("省内", "跨省"), ("职工", "灵活就业人员"),
         ("首次申领", "补领", "换领")),
        ("shehui-baoxianfa", "shiye-baoxian-tiaoli", "laodong-hetongfa", "jiuye-cujinfa",
         "gongshang-baoxian-tiaoli"),
        ("guofa-2014-8", "lu-zhengwu-fuwu-banfa", "guobanfa-2020-35"),
        ("shebao-jiaofei-jilu", "tuixiu-zhengming", "jiechu-laodong-hetong", "shiye-dengji"),
        ("社会保障卡", "居民身份证", "劳动合同", "银行账户信息", "参保人员信息登记表",
         "营业执照", "工伤认定申请表"),
        ("社会保险", "就业创业", "退休"),
    ),
    System(
        "wj", "卫生健康", ("wsjkw", "山东省卫生健康委员会"), ("wjw", "卫生健康委员会"),
        ("wjj", "卫生健康局"),
        (("出生医学证明", (("办理", GG),)),
         ("医师", (("执业注册", XK), ("变更执业注册", XK))),
         ("护士", (("执业注册", XK), ("延续注册", XK))),
         ("医疗机构", (("设置审批", XK), ("执业登记", XK), ("校验", QT))),
         ("母婴保健技术服务", (("执业许可", XK),)),
         ("公共场所", (("卫生许可", XK),)),
         ("计划生育家庭特别扶助金", (("发放", GF),)),
         ("农村部分计划生育家庭奖励扶助金", (("发放", GF),)),
         ("饮用水供水单位", (("卫生许可", XK),)),
         ("放射诊疗", (("许可", XK),))),
        (("首次签发", "换发", "补发"), ("临床", "中医", "口腔", "公共卫生"), ("诊所", "门诊部", "医院"),
         ("独生子女伤残家庭", "独生子女死亡家庭"), ("首次申请", "延续", "变更")),
        ("muying-baojianfa", "yishifa", "yiliao-jigou-guanli-tiaoli", "hushi-tiaoli",
         "gonggong-changsuo-weisheng-tiaoli", "renkou-jihua-shengyufa"),
        ("guoweifuyoufa-2013-52", "lu-zhengwu-fuwu-banfa"),
        ("chusheng-yixue-zhengming", "jiankang-tijian", "yufang-jiezhong"),
        ("医疗机构执业许可证", "医师资格证书", "护士执业证书", "体检报告", "场所平面图",
         "卫生管理制度", "申请书"),
        ("卫生健康", "生育", "医疗"),
    ),
    System(
        "yb", "医疗保障", ("ybj", "山东省医疗保障局"), ("ybj", "医疗保障局"), ("ybj", "医疗保障局"),
        (("基本医疗保险异地就医", (("备案", GG),)),
         ("城乡居民基本医疗保险", (("参保登记", GG), ("缴费", GG))),
         ("职工基本医疗保险", (("参保登记", GG), ("关系转移接续", GG))),
         ("基本医疗保险医疗费用", (("手工报销", GF),)),
         ("生育保险待遇", (("核准支付", GF),)),
         ("门诊慢特病", (("待遇认定", QR),)),
         ("医药机构", (("定点申请", GG),)),
         ("医疗救助", (("费用支付", GF),))),
        (("异地长期居住人员", "常驻异地工作人员", "异地转诊人员", "临时外出就医人员"),
         ("职工", "城乡居民"), ("省内", "跨省"), ("门诊", "住院")),
        ("shehui-baoxianfa", "yibao-jijin-jianguan-tiaoli"),
        ("guofa-2016-3", "yibaofa-2022-22", "guobanfa-2020-35"),
        ("yibao-canbao", "zhuanzhen-zhengming", "jibing-zhenduan"),
        ("医保电子凭证", "居民身份证", "医疗费用票据", "费用明细清单", "出院记录", "备案表"),
        ("医疗保障", "异地就医"),
    ),
    System(
        "zr", "自然资源", ("zrzyt", "山东省自然资源厅"), ("zrj", "自然资源和规划局"),
        ("zrj", "自然资源局"),
        (("不动产", (("首次登记", QR), ("转移登记", QR), ("变更登记", QR), ("注销登记", QR),
                  ("抵押登记", QR), ("登记资料查询", GG))),
         ("建设用地规划许可证", (("核发", XK),)),
         ("建设工程规划许可证", (("核发", XK),)),
         ("乡村建设规划许可证", (("核发", XK),)),
         ("采矿权", (("新立登记", XK), ("延续登记", XK))),
         ("临时用地", (("审批", XK),))),
        (("国有建设用地使用权", "房屋所有权", "宅基地使用权", "集体土地所有权", "土地承包经营权"),
         ("单方申请", "双方申请"), ("住宅", "非住宅"), ("首次申请", "延续", "变更")),
        ("tudi-guanlifa", "chengshi-fangdichanfa", "budongchan-dengji-tiaoli", "chengxiang-guihuafa",
         "kuangchan-ziyuanfa"),
        ("budongchan-dengji-xize", "lu-budongchan-dengji-tiaoli"),
        ("spf-hetong-beian", "budongchan-quanshu", "quanji-diaocha"),
        ("不动产登记申请书", "不动产权属证书", "不动产权籍调查成果", "土地出让合同",
         "完税凭证", "宗地图"),
        ("不动产", "规划建设"),
    ),
    System(
        "sj", "市场监管", ("scjgj", "山东省市场监督管理局"), ("scj", "市场监督管理局"),
        ("scj", "市场监督管理局"),
        (("个体工商户", (("设立登记", XK), ("变更登记", XK), ("注销登记", XK), ("营业执照补领", GG))),
         ("农民专业合作社", (("设立登记", XK), ("变更登记", XK), ("注销登记", XK))),
         ("有限责任公司", (("设立登记", XK), ("变更登记", XK), ("注销登记", XK))),
         ("食品经营", (("许可", XK),)),
         ("食品生产", (("许可", XK),)),
         ("药品零售企业", (("经营许可", XK),)),
         ("特种设备", (("使用登记", XK),))),
        (("内资", "外资"), ("一般程序", "简易程序"), ("首次申请", "延续", "变更", "补办"),
         ("仅销售预包装食品", "网络食品经营", "现场制售食品")),
        ("shichang-zhuti-dengji-tiaoli", "cujin-getihu-tiaoli", "gongsifa", "shipin-anquanfa",
         "yaopin-guanlifa", "tezhong-shebei-anquanfa"),
        ("shichang-zhuti-dengji-xize", "youhua-yingshang-tiaoli", "lu-youhua-yingshang-tiaoli"),
        ("changsuo-shiyong", "congye-jiankang"),
        ("登记申请书", "经营者身份证明", "经营场所产权或租赁合同", "公司章程", "全体股东身份证明",
         "食品安全管理制度", "设备布局图"),
        ("开办企业", "准营准入"),
    ),
    System(
        "zj", "住房城乡建设", ("zjt", "山东省住房和城乡建设厅"), ("zjj", "住房和城乡建设局"),
        ("zjj", "住房和城乡建设局"),
        (("住房公积金", (("提取", GG), ("个人住房贷款", GG), ("缴存登记", GG))),
         ("建筑工程", (("施工许可", XK),)),
         ("商品房", (("预售许可", XK),)),
         ("建筑业企业资质", (("核准", XK),)),
         ("公共租赁住房", (("保障资格认定", QR), ("租赁补贴发放", GF))),
         ("燃气经营", (("许可", XK),)),
         ("房屋租赁", (("登记备案", QT),))),
        (("购房", "租房", "离退休", "偿还购房贷款", "重大疾病"), ("新建商品房", "二手房"),
         ("城镇中等偏下收入家庭", "新就业无房职工", "外来务工人员"), ("首次申请", "延续", "变更")),
        ("zhufang-gongjijin-tiaoli", "jianzhufa", "chengshi-fangdichanfa", "chengzhen-ranqi-tiaoli"),
        ("jianjin-2015-19", "lu-zhengwu-fuwu-banfa"),
        ("gongjijin-jiaocun", "zufang-beian", "spf-hetong-beian"),
        ("购房合同", "房屋租赁合同", "结婚证或离婚证", "施工图设计文件审查合格书", "银行存款凭证",
         "燃气设施安全评价报告"),
        ("住房", "公积金", "建筑业"),
    ),
    System(
        "jt", "交通运输", ("jtt", "山东省交通运输厅"), ("jtj", "交通运输局"), ("jtj", "交通运输局"),
        (("道路旅客运输", (("经营许可", XK),)),
         ("道路货物运输", (("经营许可", XK),)),
         ("网络预约出租汽车驾驶员证", (("核发", XK),)),
         ("出租汽车", (("经营许可", XK),)),
         ("道路运输从业人员从业资格证", (("核发", XK), ("补发", GG))),
         ("超限运输车辆行驶公路", (("许可", XK),)),
         ("机动车维修经营", (("备案", QT),)),
         ("占用挖掘公路", (("许可", XK),))),
        (("班车客运", "包车客运", "旅游客运"), ("普通货运", "危险货物运输"),
         ("首次申请", "延续", "变更", "补办"), ("省内", "跨省")),
        ("daolu-yunshu-tiaoli", "gonglufa", "daolu-jiaotong-anquanfa"),
        ("lu-zhengwu-fuwu-banfa", "guobanfa-2020-35"),
        ("jiashi-tijian", "jiashi-anquan-jilu"),
        ("机动车驾驶证", "车辆技术等级评定报告", "安全生产管理制度", "停车场地产权或租赁合同",
         "驾驶员聘用合同", "运输线路说明"),
        ("交通出行", "道路运输"),
    ),
)

GENERIC_DIMS = (("本人申请", "委托他人申请"), ("首次申请", "变更", "延续", "补办"))
QUALIFIERS = ("告知承诺制", "全程网办", "跨省通办", "容缺受理", "帮办代办", "集成办理")

# (id, title, number, issuer, level, issued, status, replaced_by)
NPC, SC = "全国人民代表大会常务委员会", "国务院"
LAW, REG, RULE, NORM = "法律", "行政法规", "部门规章", "规范性文件"
LEGAL_DOCUMENTS: tuple[tuple[str, str, str | None, str, str, str], ...] = (
    ("jiaoyufa", "中华人民共和国教育法", None, "全国人民代表大会", LAW, "1995-03-18"),
    ("yiwu-jiaoyufa", "中华人民共和国义务教育法", None, NPC, LAW, "1986-04-12"),
    ("zhiye-jiaoyufa", "中华人民共和国职业教育法", None, NPC, LAW, "1996-05-15"),
    ("jiaoshifa", "中华人民共和国教师法", None, NPC, LAW, "1993-10-31"),
    ("minban-jiaoyu-cujinfa", "中华人民共和国民办教育促进法", None, NPC, LAW, "2002-12-28"),
    ("minfadian", "中华人民共和国民法典", None, "全国人民代表大会", LAW, "2020-05-28"),
    ("laonianren-quanyi-baozhangfa", "中华人民共和国老年人权益保障法", None, NPC, LAW, "1996-08-29"),
    ("jumin-shenfenzhengfa", "中华人民共和国居民身份证法", None, NPC, LAW, "2003-06-28"),
    ("huzhaofa", "中华人民共和国护照法", None, NPC, LAW, "2006-04-29"),
    ("daolu-jiaotong-anquanfa", "中华人民共和国道路交通安全法", None, NPC, LAW, "2003-10-28"),
    ("shehui-baoxianfa", "中华人民共和国社会保险法", None, NPC, LAW, "2010-10-28"),
    ("laodong-hetongfa", "中华人民共和国劳动合同法", None, NPC, LAW, "2007-06-29"),
    ("jiuye-cujinfa", "中华人民共和国就业促进法", None, NPC, LAW, "2007-08-30"),
    ("muying-baojianfa", "中华人民共和国母婴保健法", None, NPC, LAW, "1994-10-27"),
    ("yishifa", "中华人民共和国医师法", None, NPC, LAW, "2021-08-20"),
    ("renkou-jihua-shengyufa", "中华人民共和国人口与计划生育法", None, NPC, LAW, "2001-12-29"),
    ("tudi-guanlifa", "中华人民共和国土地管理法", None, NPC, LAW, "1986-06-25"),
    ("chengshi-fangdichanfa", "中华人民共和国城市房地产管理法", None, NPC, LAW, "1994-07-05"),
    ("chengxiang-guihuafa", "中华人民共和国城乡规划法", None, NPC, LAW, "2007-10-28"),
    ("kuangchan-ziyuanfa", "中华人民共和国矿产资源法", None, NPC, LAW, "1986-03-19"),
    ("gongsifa", "中华人民共和国公司法", None, NPC, LAW, "1993-12-29"),
    ("shipin-anquanfa", "中华人民共和国食品安全法", None, NPC, LAW, "2009-02-28"),
    ("yaopin-guanlifa", "中华人民共和国药品管理法", None, NPC, LAW, "1984-09-20"),
    ("tezhong-shebei-anquanfa", "中华人民共和国特种设备安全法", None, NPC, LAW, "2013-06-29"),
    ("jianzhufa", "中华人民共和国建筑法", None, NPC, LAW, "1997-11-01"),
    ("gonglufa", "中华人民共和国公路法", None, NPC, LAW, "1997-07-03"),
    ("jiaoshi-zige-tiaoli", "教师资格条例", None, SC, REG, "1995-12-12"),
    ("hunyin-dengji-tiaoli", "婚姻登记条例", None, SC, REG, "2003-08-08"),
    ("hunyin-dengji-guanli-tiaoli", "婚姻登记管理条例", None, SC, REG, "1994-02-01"),
    ("shehui-jiuzhu-zanxing-banfa", "社会救助暂行办法", None, SC, REG, "2014-02-21"),
    ("shetuan-dengji-tiaoli", "社会团体登记管理条例", None, SC, REG, "1998-10-25"),
    ("hukou-dengji-tiaoli", "中华人民共和国户口登记条例", None, NPC, LAW, "1958-01-09"),
    ("juzhuzheng-zanxing-tiaoli", "居住证暂行条例", None, SC, REG, "2015-11-26"),
    ("shiye-baoxian-tiaoli", "失业保险条例", None, SC, REG, "1999-01-22"),
    ("gongshang-baoxian-tiaoli", "工伤保险条例", None, SC, REG, "2003-04-27"),
    ("yiliao-jigou-guanli-tiaoli", "医疗机构管理条例", None, SC, REG, "1994-02-26"),
    ("hushi-tiaoli", "护士条例", None, SC, REG, "2008-01-31"),
    ("gonggong-changsuo-weisheng-tiaoli", "公共场所卫生管理条例", None, SC, REG, "1987-04-01"),
    ("yibao-jijin-jianguan-tiaoli", "医疗保障基金使用监督管理条例", None, SC, REG, "2021-01-15"),
    ("budongchan-dengji-tiaoli", "不动产登记暂行条例", None, SC, REG, "2014-11-24"),
    ("shichang-zhuti-dengji-tiaoli", "中华人民共和国市场主体登记管理条例", None, SC, REG, "2021-07-27"),
    ("cujin-getihu-tiaoli", "促进个体工商户发展条例", None, SC, REG, "2022-10-01"),
    ("getihu-tiaoli", "个体工商户条例", None, SC, REG, "2011-04-16"),
    ("gongsi-dengji-tiaoli", "中华人民共和国公司登记管理条例", None, SC, REG, "1994-06-24"),
    ("zhufang-gongjijin-tiaoli", "住房公积金管理条例", None, SC, REG, "1999-04-03"),
    ("chengzhen-ranqi-tiaoli", "城镇燃气管理条例", None, SC, REG, "2010-11-19"),
    ("daolu-yunshu-tiaoli", "中华人民共和国道路运输条例", None, SC, REG, "2004-04-30"),
    ("youhua-yingshang-tiaoli", "优化营商环境条例", None, SC, REG, "2019-10-22"),
    ("linshi-shenfenzheng-banfa", "中华人民共和国临时居民身份证管理办法", None, "公安部", RULE, "2005-06-07"),
    ("budongchan-dengji-xize", "不动产登记暂行条例实施细则", None, "自然资源部", RULE, "2016-01-01"),
    ("shichang-zhuti-dengji-xize", "中华人民共和国市场主体登记管理条例实施细则", None,
     "国家市场监督管理总局", RULE, "2022-03-01"),
    ("caijiao-2021-310", "学生资助资金管理办法", "财教〔2021〕310号", "财政部 教育部", NORM, "2021-12-30"),
    ("minfa-2021-57", "最低生活保障审核确认办法", "民发〔2021〕57号", "民政部", NORM, "2021-06-11"),
    ("minfa-2021-43", "特困人员认定办法", "民发〔2021〕43号", "民政部", NORM, "2021-04-26"),
    ("guofa-2014-47", "国务院关于全面建立临时救助制度的通知", "国发〔2014〕47号", SC, NORM, "2014-10-03"),
    ("guofa-2014-25", "国务院关于进一步推进户籍制度改革的意见", "国发〔2014〕25号", SC, NORM, "2014-07-24"),
    ("guofa-2014-8", "国务院关于建立统一的城乡居民基本养老保险制度的意见", "国发〔2014〕8号", SC, NORM,
     "2014-02-21"),
    ("guofa-2016-3", "国务院关于整合城乡居民基本医疗保险制度的意见", "国发〔2016〕3号", SC, NORM,
     "2016-01-03"),
    ("yibaofa-2022-22", "国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知",
     "医保发〔2022〕22号", "国家医疗保障局 财政部", NORM, "2022-06-30"),
    ("guoweifuyoufa-2013-52", "国家卫生计生委 公安部关于启用和规范管理新版《出生医学证明》的通知",
     "国卫妇幼发〔2013〕52号", "国家卫生和计划生育委员会 公安部", NORM, "2013-12-05"),
    ("jianjin-2015-19", "住房城乡建设部 财政部 中国人民银行关于放宽提取住房公积金支付房租条件的通知",
     "建金〔2015〕19号", "住房和城乡建设部 财政部 中国人民银行", NORM, "2015-01-20"),
    ("gongtongzi-2021-19", "公安机关办理犯罪记录查询工作规定", "公通字〔2021〕19号", "公安部", NORM,
     "2021-12-31"),
    ("guobanfa-2018-47", "国务院办公厅关于做好证明事项清理工作的通知", "国办发〔2018〕47号",
     "国务院办公厅", NORM, "2018-06-05"),
    ("guobanfa-2020-42", "国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见",
     "国办发〔2020〕42号", "国务院办公厅", NORM, "2020-11-02"),
    ("guobanfa-2020-35", "国务院办公厅关于加快推进政务服务“跨省通办”的指导意见", "国办发〔2020〕35号",
     "国务院办公厅", NORM, "2020-09-24"),
    ("lu-xuesheng-zizhu-banfa", "山东省学生资助资金管理办法", "鲁财教〔2022〕9号",
     "山东省财政厅 山东省教育厅", NORM, "2022-03-15"),
    ("lu-shehui-jiuzhu-banfa", "山东省社会救助办法", "山东省人民政府令第279号", "山东省人民政府",
     "地方政府规章", "2014-08-01"),
    ("lu-budongchan-dengji-tiaoli", "山东省不动产登记条例", None, "山东省人民代表大会常务委员会",
     "地方性法规", "2019-11-29"),
    ("lu-youhua-yingshang-tiaoli", "山东省优化营商环境条例", None, "山东省人民代表大会常务委员会",
     "地方性法规", "2020-11-27"),
    ("lu-zhengwu-fuwu-banfa", "山东省政务服务管理办法", "山东省人民政府令第335号", "山东省人民政府",
     "地方政府规章", "2020-11-03"),
)
# repealed id → (date, replaced by)
REPEALED = {"hunyin-dengji-guanli-tiaoli": ("2003-10-01", "hunyin-dengji-tiaoli"),
            "getihu-tiaoli": ("2022-11-01", "cujin-getihu-tiaoli"),
            "gongsi-dengji-tiaoli": ("2022-03-01", "shichang-zhuti-dengji-tiaoli")}
AMENDED = {"jiaoyufa", "yiwu-jiaoyufa", "zhiye-jiaoyufa", "minban-jiaoyu-cujinfa", "huzhaofa",
           "daolu-jiaotong-anquanfa", "shehui-baoxianfa", "laodong-hetongfa", "tudi-guanlifa",
           "chengshi-fangdichanfa", "gongsifa", "shipin-anquanfa", "yaopin-guanlifa", "jianzhufa",
           "gonglufa", "jiaoshi-zige-tiaoli", "shiye-baoxian-tiaoli", "gongshang-baoxian-tiaoli",
           "yiliao-jigou-guanli-tiaoli", "hushi-tiaoli", "zhufang-gongjijin-tiaoli",
           "daolu-yunshu-tiaoli", "renkou-jihua-shengyufa", "muying-baojianfa"}

# (id, name, system key, area, commitment, demanding unit, issuing unit)
RETAINED: tuple[tuple[str, str, str, str, bool, str, str], ...] = (
    ("jiating-jingji-hedui", "居民家庭经济状况核对报告", "mz", "社会救助", False,
     "县级教育、民政部门", "县级民政部门"),
    ("jiaoshi-tijian", "教师资格认定体格检查证明", "jy", "资格考试", False,
     "教师资格认定机构", "指定的县级以上医院"),
    ("sixiang-pinde-jianding", "申请人思想品德鉴定", "jy", "资格考试", True,
     "教师资格认定机构", "申请人工作单位或户籍所在地乡镇人民政府"),
    ("xueli-zhengming", "学历证明", "jy", "资格考试", True,
     "教师资格认定机构", "学历证书颁发学校"),
    ("putonghua-dengji", "普通话水平测试等级证书", "jy", "资格考试", False,
     "教师资格认定机构", "省级语言文字工作部门"),
    ("hunyin-dengji-jilu", "婚姻登记记录证明", "mz", "户籍", True,
     "婚姻登记机关、住房公积金管理中心", "婚姻登记机关"),
    ("siwang-yixue-zhengming", "居民死亡医学证明（推断）书", "wj", "户籍", False,
     "公安、民政部门", "医疗卫生机构"),
    ("canji-zhengming", "中华人民共和国残疾人证", "mz", "社会救助", False,
     "县级民政部门", "县级残疾人联合会"),
    ("huji-zhengming", "户籍证明", "ga", "户籍", True,
     "各类办理机关", "户籍所在地公安派出所"),
    ("wufanzui-jilu", "无犯罪记录证明", "ga", "公共安全", False,
     "教育、交通运输等主管部门", "公安机关"),
    ("zhunyu-qianru", "准予迁入证明", "ga", "户籍", False,
     "迁出地公安机关", "迁入地公安机关"),
    ("juzhu-dengji", "居住登记证明", "ga", "户籍", True,
     "居住证签发机关", "居住地公安派出所"),
    ("shebao-jiaofei-jilu", "社会保险参保缴费记录", "rs", "社会保险", True,
     "人力资源社会保障部门", "社会保险经办机构"),
    ("tuixiu-zhengming", "离退休审批证明", "rs", "社会保险", True,
     "住房公积金管理中心", "人力资源社会保障部门"),
    ("jiechu-laodong-hetong", "解除或者终止劳动关系证明", "rs", "社会保险", False,
     "社会保险经办机构", "用人单位"),
    ("shiye-dengji", "失业登记证明", "rs", "社会保险", True,
     "社会保险经办机构", "公共就业服务机构"),
    ("chusheng-yixue-zhengming", "出生医学证明", "wj", "户籍", False,
     "公安派出所", "助产机构"),
    ("jiankang-tijian", "健康体检证明", "wj", "健康体检", False,
     "卫生健康部门", "具备资质的医疗卫生机构"),
    ("yufang-jiezhong", "预防接种证", "wj", "健康体检", False,
     "托育机构、学校", "接种单位"),
    ("yibao-canbao", "基本医疗保险参保证明", "yb", "社会保险", True,
     "医疗保障经办机构", "医疗保障经办机构"),
    ("zhuanzhen-zhengming", "异地转诊证明", "yb", "社会保险", False,
     "医疗保障经办机构", "参保地定点医疗机构"),
    ("jibing-zhenduan", "疾病诊断证明书", "yb", "生命健康财产", False,
     "医疗保障经办机构", "二级以上医疗机构"),
    ("spf-hetong-beian", "商品房买卖合同备案证明", "zj", "其他", True,
     "不动产登记机构、住房公积金管理中心", "住房城乡建设部门"),
    ("budongchan-quanshu", "不动产权属证明", "zr", "其他", True,
     "住房公积金管理中心", "不动产登记机构"),
    ("quanji-diaocha", "不动产权籍调查成果", "zr", "其他", False,
     "不动产登记机构", "具备测绘资质的机构"),
    ("changsuo-shiyong", "经营场所使用证明", "sj", "市场主体准营", True,
     "市场监管部门", "产权人或房屋管理部门"),
    ("congye-jiankang", "食品从业人员健康证明", "sj", "健康体检", False,
     "市场监管部门", "具备资质的医疗卫生机构"),
    ("gongjijin-jiaocun", "住房公积金缴存证明", "zj", "其他", True,
     "金融机构、住房城乡建设部门", "住房公积金管理中心"),
    ("zufang-beian", "房屋租赁登记备案证明", "zj", "其他", True,
     "住房公积金管理中心", "住房城乡建设部门"),
    ("jiashi-tijian", "机动车驾驶人身体条件证明", "jt", "健康体检", False,
     "交通运输、公安部门", "具备资质的医疗机构"),
    ("jiashi-anquan-jilu", "安全驾驶经历证明", "jt", "公共安全", False,
     "交通运输部门", "公安机关交通管理部门"),
)
# (id, name, category, reason)
CANCELLED: tuple[tuple[str, str, str, str], ...] = (
    ("x-qinshu-guanxi", "亲属关系证明", "奇葩", "可通过户籍信息共享核验亲属关系"),
    ("x-juzhu-zhengming", "居住证明", "无依据", "无法律法规依据，改为申请人书面承诺"),
    ("x-wuye-zhengming", "无业证明", "奇葩", "无法证明的否定性事实，改为申请人书面承诺"),
    ("x-weihun-zhengming", "未婚证明", "无依据", "通过婚姻登记信息共享核验"),
    ("x-jianzai-zhengming", "健在证明", "奇葩", "通过人脸识别等方式进行资格认证"),
    ("x-shengyu-fuwuzheng", "新生儿落户所需生育服务证", "循环", "凭出生医学证明办理落户"),
    ("x-huji-chongfu", "已持有效居民身份证者的户籍证明", "重复", "居民身份证已载明户籍信息"),
    ("x-wufang-zhengming", "无房证明", "无依据", "通过不动产登记信息共享核验"),
    ("x-jiuye-zhengming", "就业证明", "重复", "通过社会保险参保信息核验"),
    ("x-zhuzhi-zhengming", "住址证明", "重复", "居民身份证和户口簿已载明住址"),
)

ONE_LINE_MATERIALS = frozenset({"居民身份证", "近期免冠照片", "近期免冠彩色照片", "居民户口簿", "社会保障卡"})
# 国办发〔2020〕42号: no notification-commitment for certificates of these areas.
NO_COMMITMENT_AREAS = frozenset({"国家安全", "公共安全", "金融审慎监管", "生态环境保护", "生命健康财产",
                                 "重要涉外"})
COMMON_MATERIALS = ("居民身份证", "授权委托书", "申请表")
STEP_TEXT = {
    "受理": "窗口工作人员核验申请材料，材料齐全、符合法定形式的予以受理",
    "审查": "承办科室对申请材料进行审查，必要时进行现场核查",
    "公示": "在申请人所在村（社区）公示，公示期内无异议",
    "决定": "作出准予或者不予办理的决定，不予办理的书面说明理由",
    "制证": "制作并加盖印章",
    "送达": "通过窗口领取或者邮寄送达",
    "办结": "当场办结并出具结果",
}
STEP_WEIGHT = {"受理": 1, "审查": 4, "公示": 5, "决定": 2, "制证": 1, "送达": 1, "办结": 1}
STREETS = ("人民路", "和平路", "建设路", "解放路", "文化路", "府前街", "新华路", "民生路", "胜利街",
           "泰山路", "黄河路", "长江路", "东风街", "幸福路", "光明路")
COUNTY_CHARS = "东西南北青临泰安平昌高宁阳丰兴乐清河山城林海莱沂蒙齐鲁汶泗岱即胶黄利广博桓桑邹曲阜微郯莒费"
QA = (("可以委托他人代办吗？", "可以。代办人须携带本人居民身份证和申请人签署的授权委托书。"),
      ("办理进度如何查询？", "可登录山东政务服务网或拨打咨询电话查询办理进度。"),
      ("是否收取费用？", "本事项不收取任何费用。"),
      ("材料不齐全怎么办？", "窗口一次性告知需补正的全部内容，申请人补正后即予受理。"),
      ("可以在网上申请吗？", "可以，登录山东政务服务网或“爱山东”客户端在线申请。"))

# ---------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str  # province, city or county
    parent: str | None
    area_code: str


@dataclass
class Spec:
    """What a baseline item says, shared by the local items that implement it."""

    type: str
    handling_type: str
    statutory: int
    committed: int
    setting: list[dict[str, Any]]
    implementing: list[dict[str, Any]]
    service_object: list[str]
    conditions: list[str]
    materials: list[dict[str, Any]]
    steps: list[str]
    visits: int
    depth: str
    fees: list[dict[str, Any]]
    result: dict[str, Any]
    faq: list[tuple[str, str]]
    scope: str
    themes: list[str]


@dataclass
class Base:
    """A baseline item and its place in the tree."""

    suffix: str  # id without the region code: "-jy-012-02-01"
    name: str
    tier: str
    system: System
    basic: str
    situation: str | None
    spec: Spec
    children: list[Base] = field(default_factory=list)

    def walk(self) -> Iterator[Base]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def size(self) -> int:
        return sum(1 for _ in self.walk())


@dataclass(frozen=True)
class Stats:
    items: int
    baseline: int
    regions: int
    implementing_regions: int
    departments: int
    legal_documents: int
    retained: int
    cancelled: int
    files: int


_ZH_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """Chinese numeral for 1..999: 12 → 十二, 105 → 一百零五."""
    if n < 10:
        return _ZH_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + (_ZH_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    text = _ZH_DIGITS[hundreds] + "百"
    if rest == 0:
        return text
    if rest < 10:
        return text + "零" + _ZH_DIGITS[rest]
    return text + ("一" if rest < 20 else "") + zh_number(rest)


class Generator:
    def __init__(self, n_items: int, seed: int) -> None:
        if n_items < 1:
            raise ValueError("at least one item")
        self.n = n_items
        self.rng = Random(seed)
        self.day0 = date(2022, 1, 1).toordinal()
        self.legal_ids = [d[0] for d in LEGAL_DOCUMENTS]
        self.in_force = set(self.legal_ids) - set(REPEALED)
        self.cert_names = {c[0]: c[1] for c in RETAINED}
        self.cert_commitment = {c[0]: c[4] for c in RETAINED}
        # Certificates the data-sharing platform provides: only their materials say data_sharing.
        self.cert_shared = {c[0] for c in RETAINED if self.rng.random() < 0.6}
        by_key = {s.key: s for s in SYSTEMS}
        # Only laws, administrative regulations and State Council decisions may set a
        # certificate (优化营商环境条例 §44): every `laws` entry is of those levels.
        self.cert_basis = {c[0]: self.ref(self.rng.choice(by_key[c[2]].laws)) for c in RETAINED}
        self.cert_area = {c[0]: c[3] for c in RETAINED}
        self.basic_counter: dict[str, int] = {}
        self.credit_codes: dict[str, str] = {}

    # ---- small helpers

    def date(self, start: int = 0, span: int = 900) -> date:
        return date.fromordinal(self.day0 + start + self.rng.randrange(span))

    def phone(self, area: str) -> str:
        return f"{area}-{self.rng.choice('68')}{self.rng.randrange(10**7):07d}"

    def article(self) -> str:
        text = f"第{zh_number(self.rng.randint(2, 96))}条"
        if self.rng.random() < 0.3:
            text += f"第{zh_number(self.rng.randint(1, 3))}款"
        return text

    def ref(self, document: str, with_text: bool = False) -> dict[str, Any]:
        assert document in self.in_force, document
        ref: dict[str, Any] = {"document": document, "article": self.article()}
        if with_text:
            ref["text"] = self.rng.choice((
                "申请人应当如实提交有关材料，并对其申请材料实质内容的真实性负责。",
                "行政机关应当自受理申请之日起二十日内作出决定。",
                "符合条件的，由县级以上人民政府有关部门依法予以办理。",
                "办理机关应当将办理条件、程序、期限和需要提交的全部材料目录予以公示。",
            ))
        return ref

    def credit_code(self, key: str, region: str) -> str:
        if key not in self.credit_codes:
            alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
            self.credit_codes[key] = "11" + region + "".join(self.rng.choice(alphabet) for _ in range(10))
        return self.credit_codes[key]

    def basic_code(self, system: System) -> str:
        n = self.basic_counter.get(system.key, 0) + 1
        self.basic_counter[system.key] = n
        if n < 10_000:
            tail = f"{n:04d}"
        else:  # base 36, for catalogues of more than 200,000 baseline items per system
            digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
            tail = ""
            for _ in range(4):
                n, r = divmod(n, 36)
                tail = digits[r] + tail
        return f"{PROVINCE[0]}{system.key.upper()}{tail}"

    # ---- the baseline

    def main_names(self) -> dict[str, Iterator[tuple[str, str]]]:
        def names(system: System) -> Iterator[tuple[str, str]]:
            plain = [(obj + action, kind) for obj, actions in system.topics for action, kind in actions]
            self.rng.shuffle(plain)
            yield from plain
            for qualifier in QUALIFIERS:
                for name, kind in plain:
                    yield f"{name}（{qualifier}）", kind
            batch = 2
            while True:
                for name, kind in plain:
                    yield f"{name}（第{zh_number(batch % 1000 or 1)}批）", kind
                batch += 1

        return {s.key: names(s) for s in SYSTEMS}

    def spec(self, system: System, name: str, kind: str, leaf: bool) -> Spec:
        rng = self.rng
        instant = kind in (GG, QR) and rng.random() < 0.45
        statutory = 0 if instant and rng.random() < 0.5 else rng.choice((5, 10, 15, 20, 20, 30, 60))
        committed = 0 if instant else max(1, statutory // rng.choice((1, 2, 2, 3)))
        setting_docs = rng.sample(system.laws, k=min(len(system.laws), rng.choice((1, 1, 2))))
        setting = [self.ref(d, with_text=i == 0 and rng.random() < 0.6) for i, d in enumerate(setting_docs)]
        implementing = [self.ref(rng.choice(system.rules))]
        if rng.random() < 0.25:
            implementing.append(self.ref("guobanfa-2020-42"))
        people = kind in (GF, QR) or system.key in ("mz", "ga", "rs", "yb", "jy")
        service_object = ["自然人"] if people else rng.choice((["法人"], ["法人", "其他组织"],
                                                              ["自然人", "法人", "其他组织"]))
        common = (f"申请人符合{name}的法定条件", "申请材料齐全、符合法定形式", "属于本行政区域内的管辖范围")
        if people:
            own = ("申请人具有完全民事行为能力，或者由其监护人代为申请", "具有本省户籍，或者持有本省居住证",
                   "申请人如实申报家庭收入和财产状况")
        else:
            own = (f"具备与{name}相适应的场所、设施和专业人员", "近三年内无严重失信记录",
                   "已依法取得营业执照或者登记证书")
        conditions = rng.sample((*common, *own), k=rng.randint(2, 3))
        materials = self.materials(system, name) if leaf else []
        if instant:
            steps = ["受理", "办结"]
        else:
            steps = ["受理", "审查", "决定"]
            if kind == GF and rng.random() < 0.5:
                steps.insert(2, "公示")
            if kind == XK:
                steps.append("制证")
            if rng.random() < 0.5:
                steps.append("送达")
        fees: list[dict[str, Any]] = []
        if kind == XK and rng.random() < 0.1:
            fees.append({"name": "证书工本费", "standard": f"每证 {rng.choice((5, 10, 15, 20))} 元",
                         "basis": FlowMap(self.ref(rng.choice(system.rules))), "waivable": True})
        result_type, result_name = {
            XK: ("批文批复", f"准予{name}决定书") if rng.random() < 0.6 else ("证件执照", f"{name}证书"),
            GF: ("其他", "资金发放到账"),
            QR: ("证明文件", f"{name}结果通知书"), JL: ("其他", "荣誉证书"),
            CJ: ("批文批复", "裁决书"), QT: ("其他", "备案回执"), GG: ("其他", f"{name}办理结果"),
        }[kind]
        result: dict[str, Any] = {"type": result_type, "name": result_name}
        if result_type == "证件执照":  # reviewers ask for a sample of every licence
            result["sample"] = f"http://zwfw.sd.gov.cn/samples/{system.key}/{rng.randrange(10**6):06d}.jpg"
        # Fully online (IV) means no visit; instant items are online (III, IV).
        depth = rng.choice(("III", "IV") if instant else ("II", "III", "IV", "IV", "IV"))
        visits = 1 if depth != "IV" and rng.random() < 0.5 else 0
        faq = rng.sample(QA, k=rng.choice((0, 0, 1, 1, 2))) if leaf else []
        if fees:
            faq = [q for q in faq if q[0] != "是否收取费用？"]
        return Spec(
            type=kind, handling_type="即办件" if instant else "承诺件", statutory=statutory,
            committed=committed, setting=setting, implementing=implementing,
            service_object=service_object, conditions=conditions, materials=materials, steps=steps,
            visits=visits, depth=depth, fees=fees, result=result, faq=faq,
            scope=rng.choice(("全省通办", "全省通办", "全市通办", "全县通办", "跨省通办")),
            themes=rng.sample(system.themes, k=min(2, len(system.themes))))

    def materials(self, system: System, name: str) -> list[dict[str, Any]]:
        """3–8 materials, each with the provision that demands it: the application form, maybe
        certificates of the register, and others; short ones on one line, as editors write."""
        rng = self.rng
        count = rng.randint(3, 8)

        def basis() -> FlowMap:
            return FlowMap(self.ref(rng.choice(system.rules)))

        # Nothing is called 证明 unless it is on the certificate register (清单之外无证明).
        form_name = f"{name}申请表" if "证明" not in name or "医学证明" in name \
            else f"{name.replace('证明', '')}申请表"
        form: dict[str, Any] = {"name": form_name, "necessity": "必要", "form": "纸质",
                                "material_type": "申请表格文书", "source": "申请人自备", "originals": 1,
                                "copies": 0}
        if rng.random() < 0.6:
            form["blank_form"] = f"http://zwfw.sd.gov.cn/forms/{system.key}/{rng.randrange(10**6):06d}.docx"
        form["basis"] = basis()
        found: list[dict[str, Any]] = [form]
        certs = list(system.certificates)
        rng.shuffle(certs)
        for cert in certs[: rng.choice((0, 1, 1, 2))]:
            material: dict[str, Any] = {
                "name": self.cert_names[cert], "necessity": "必要", "form": "纸质和电子",
                "material_type": "证件证书证明", "source": "政府部门核发", "certificate": cert,
                "basis": FlowMap(self.cert_basis[cert])}
            if cert in self.cert_shared:  # the office fetches it; the applicant brings nothing
                material["data_sharing"] = True
            if self.cert_commitment[cert] and self.cert_area[cert] not in NO_COMMITMENT_AREAS:
                material["commitment"] = True
            found.append(material)
        names = {m["name"] for m in found}
        others = [m for m in (*COMMON_MATERIALS[:2], *system.materials) if m not in names]
        rng.shuffle(others)
        for material_name in others[: max(0, count - len(found))]:
            if material_name == "授权委托书":
                found.append(FlowMap(name=material_name, necessity="必要", form="纸质", originals=1,
                                     situation="委托他人办理的", basis=basis()))
            elif material_name in ONE_LINE_MATERIALS:
                found.append(FlowMap(name=material_name, necessity="必要", form="纸质", originals=1,
                                     copies=rng.choice((0, 1)), basis=basis()))
            else:
                found.append(FlowMap(name=material_name,
                                     necessity=rng.choice(("必要", "必要", "必要", "非必要", "容缺后补")),
                                     form=rng.choice(("纸质", "电子", "纸质和电子")),
                                     material_type=rng.choice(("证件证书证明", "其他")), source="申请人自备",
                                     originals=rng.choice((0, 1)), copies=rng.choice((0, 1, 1, 2)),
                                     basis=basis()))
        return found

    def tree(self, system: System, prefix: str, name: str, kind: str, budget: int) -> Base:
        """A main item with its sub-items and handling items, of at most budget items."""
        rng = self.rng
        roll = rng.random()
        dims = [d for d in (*system.dims, *GENERIC_DIMS)]
        rng.shuffle(dims)
        if budget >= 5 and roll < 0.30:
            outer = next(d for d in dims if len(d) >= 2)
            subs = min(len(outer), rng.randint(2, 3))
            inner = next(d for d in dims if d is not outer)
            per = min(len(inner), rng.randint(2, 3), (budget - 1 - subs) // subs)
            per = per if per >= 2 else 0  # never a single child
            shape = [(outer[i], [inner[j] for j in range(per)]) for i in range(subs)]
        elif budget >= 3 and roll < 0.65:
            inner = dims[0]
            shape = [(value, []) for value in inner[:min(len(inner), rng.randint(2, 4), budget - 1)]]
        else:
            shape = []
        main = Base(prefix, name, "main", system, self.basic_code(system), None,
                    self.spec(system, name, kind, leaf=not shape))
        for i, (situation, grand) in enumerate(shape, start=1):
            child_name = f"{name}（{situation}）"
            child = Base(f"{prefix}-{i:02d}", child_name, "sub" if grand else "handling", system,
                         self.basic_code(system), situation,
                         self.spec(system, child_name, kind, leaf=not grand))
            main.children.append(child)
            for j, detail in enumerate(grand, start=1):
                leaf_name = f"{name}（{situation}，{detail}）"
                child.children.append(Base(f"{child.suffix}-{j:02d}", leaf_name, "handling", system,
                                           self.basic_code(system), detail,
                                           self.spec(system, leaf_name, kind, leaf=True)))
        return main

    def baseline(self, size: int) -> list[Base]:
        """Main-item trees of exactly size items in all, across the systems in turn; the last
        is a single main item, so that every implementing region can fill its quota exactly."""
        names = self.main_names()
        trees: list[Base] = []
        counters = {s.key: 0 for s in SYSTEMS}
        total = 0
        while total < size:
            system = SYSTEMS[len(trees) % len(SYSTEMS)]
            name, kind = next(names[system.key])
            counters[system.key] += 1
            budget = size - total - 1 if total < size - 1 else 1
            tree = self.tree(system, f"-{system.key}-{counters[system.key]:03d}", name, kind, budget)
            trees.append(tree)
            total += tree.size
        return trees

    # ---- regions

    def counties(self, taken: set[str]) -> Iterator[Region]:
        """Counties of the 16 cities, round robin, invented names and codes."""
        slots: dict[str, list[tuple[int, str]]] = {}
        for code, _, _ in CITIES:
            numbers = [(n, "区") for n in range(2, 13)] + [(n, "县") for n in range(21, 30)] + \
                      [(n, "市") for n in range(81, 87)]
            head, tail = numbers[:3], numbers[3:]  # the urban districts come first
            self.rng.shuffle(tail)
            slots[code] = head + tail
        for index in range(max(len(v) for v in slots.values())):
            for code, _, area in CITIES:
                if index >= len(slots[code]):
                    continue
                number, suffix = slots[code][index]
                while True:
                    name = "".join(self.rng.sample(COUNTY_CHARS, 2)) + suffix
                    if name not in taken:
                        break
                taken.add(name)
                yield Region(f"{code[:4]}{number:02d}", name, "county", code, area)

    # ---- items

    def item(self, base: Base, region: Region, parent: str | None, dept: str, handling_no: int
             ) -> dict[str, Any]:
        rng = self.rng
        spec = base.spec
        local = region.level != "province"
        item_id = region.code + base.suffix
        level_digit = {"province": "2", "city": "3", "county": "4"}[region.level]
        implementation = self.credit_code(dept, region.code) + level_digit + base.basic
        codes: dict[str, Any] = {"basic": base.basic, "implementation": implementation}
        if base.tier == "handling":
            codes["handling"] = f"{implementation}-{handling_no:02d}"
        data: dict[str, Any] = {"id": item_id, "codes": codes, "name": base.name, "type": spec.type,
                                "region": region.code, "department": dept,
                                "exercise_level": region.level, "tier": base.tier}
        if parent:
            data["parent"] = parent
        if base.situation:
            data["situation"] = base.situation
        if local:
            data["implements"] = PROVINCE[0] + base.suffix
        data["legal_basis"] = {"setting": spec.setting, "implementing": spec.implementing}
        data["service_object"] = FlowSeq(spec.service_object)
        if not base.children:  # the guide belongs to the finest items only, never to a parent
            self.guide(data, base, region)
        data["scope"] = spec.scope
        data["themes"] = FlowSeq(spec.themes)
        status = "published" if not local else rng.choices(
            ("published", "public_comment", "legal_review", "draft"), (90, 4, 3, 3))[0]
        data["status"] = status
        if status in ("published", "public_comment"):
            start = self.date()
            end = start + timedelta(days=rng.choice((14, 20, 30)))
            reviewed = end + timedelta(days=rng.randint(5, 30))
            reviewer = "山东省司法厅" if region.level == "province" else f"{region.name}司法局"
            conclusion = rng.choice(("通过", "通过", "修改后通过"))
            review: dict[str, Any] = {"legal_review": FlowMap(
                date=reviewed.isoformat(), reviewer=reviewer, conclusion=conclusion)}
            if status == "published":
                comments = rng.randint(0, 40)
                comment = FlowMap(start=start.isoformat(), end=end.isoformat(),
                                  url=f"https://www.shandong.gov.cn/yjzj/{region.code}/{rng.randrange(10**5)}",
                                  comments=comments)
                if comments:
                    comment["response"] = f"采纳 {rng.randint(0, comments)} 条，其余已在办事指南中说明"
                review["public_comment"] = comment
            data["review"] = review
        return data

    def guide(self, data: dict[str, Any], base: Base, region: Region) -> None:
        """The guide fields of a leaf item (办事指南): limits, conditions, materials, steps,
        channels, fees, result, contacts, questions."""
        rng = self.rng
        spec = base.spec
        local = region.level != "province"
        data["handling_type"] = spec.handling_type
        data["statutory_limit"] = FlowMap(days=spec.statutory, unit="工作日")
        committed = spec.committed if not local or spec.committed < 2 else \
            max(1, spec.committed - rng.choice((0, 0, 1, 2)))
        limit = FlowMap(days=committed, unit="工作日")
        if committed == 0:
            limit["note"] = "当场办结"
        data["committed_limit"] = limit
        data["conditions"] = spec.conditions
        materials = spec.materials
        if local and rng.random() < 0.15:  # some counties accept one material later
            materials = [type(m)(m) for m in materials]
            for m in materials[1:]:
                if m["necessity"] == "必要" and "certificate" not in m:
                    m["necessity"] = "容缺后补"
                    break
        data["materials"] = materials
        weights = [STEP_WEIGHT[step] for step in spec.steps]
        days = [committed * w // sum(weights) for w in weights]
        days[weights.index(max(weights))] += committed - sum(days)
        data["steps"] = [FlowMap(name=s, limit=FlowMap(days=d, unit="工作日"), description=STEP_TEXT[s])
                         for s, d in zip(spec.steps, days, strict=True)]
        visits = FlowMap(count=spec.visits)
        if spec.visits:
            visits["reason"] = "需现场核验原件或采集信息"
        data["visits"] = visits
        online = FlowMap(depth=spec.depth, url=f"https://zwfw.sd.gov.cn/{region.code}/item/{base.basic}")
        online["payment"] = bool(spec.fees)
        hall_name = f"{region.name}政务服务中心"
        town = "济南市" if region.level == "province" else region.name
        hall: dict[str, Any] = {
            "name": hall_name,
            "address": f"{town}{rng.choice(STREETS)}{rng.randint(1, 399)}号{rng.randint(1, 3)}楼",
            "window": f"{base.system.name}综合窗口 {rng.randint(1, 40)} 号",
            "hours": rng.choice(("工作日 9:00-12:00，13:30-17:00", "工作日 8:30-12:00，14:00-17:30",
                                 "周一至周五 9:00-17:00（节假日除外）")),
            "phone": self.phone(region.area_code)}
        channels: dict[str, Any] = {"online": online, "halls": [hall]}
        if rng.random() < 0.2:
            channels["self_service"] = {"locations": FlowSeq([f"{hall_name}自助服务区"])}
        # Zero visits needs a route to the result: online (III, IV) or by post.
        if rng.random() < 0.4 or (spec.visits == 0 and spec.depth in ("I", "II")):
            channels["express"] = FlowMap(note="申请材料和办理结果可免费邮寄")
        if spec.visits == 0 and rng.random() < 0.2:
            channels["proxy"] = FlowMap(conditions="可委托他人代办，代办人须携带授权委托书")
        data["channels"] = channels
        data["fees"] = spec.fees
        data["result"] = FlowMap(spec.result)
        data["contacts"] = {"consultation": FlowSeq([self.phone(region.area_code)]),
                            "complaint": FlowSeq(["12345"])}
        if spec.faq:
            data["faq"] = [{"question": q, "answer": a} for q, a in spec.faq]

    # ---- registries

    def regions_file(self, regions: list[Region]) -> dict[str, Any]:
        entries = []
        for r in regions:
            entry: dict[str, Any] = {"code": r.code, "name": r.name, "level": r.level}
            if r.parent:
                entry["parent"] = r.parent
            entries.append(FlowMap(entry))
        return {"regions": entries}

    def departments_file(self, region: Region) -> dict[str, Any]:
        entries = []
        for system in SYSTEMS:
            dept = self.dept_id(system, region)
            suffix_name = {"province": system.province_dept[1], "city": region.name + system.city_dept[1],
                           "county": region.name + system.county_dept[1]}[region.level]
            entries.append({
                "id": dept, "name": suffix_name, "region": region.code, "system": system.name,
                "credit_code": self.credit_code(dept, region.code),
                "address": f"{'济南市' if region.level == 'province' else region.name}"
                           f"{self.rng.choice(STREETS)}{self.rng.randint(1, 399)}号",
                "phone": self.phone(region.area_code)})
        return {"departments": entries}

    @staticmethod
    def dept_id(system: System, region: Region) -> str:
        suffix = {"province": system.province_dept[0], "city": system.city_dept[0],
                  "county": system.county_dept[0]}[region.level]
        return f"{region.code}-{suffix}"

    def legal_file(self) -> dict[str, Any]:
        entries = []
        for ident, title, number, issuer, level, issued in LEGAL_DOCUMENTS:
            entry: dict[str, Any] = {"id": ident, "title": title}
            if number:
                entry["number"] = number
            entry["issuer"] = issuer
            entry["level"] = level
            status = "repealed" if ident in REPEALED else "amended" if ident in AMENDED else "in_force"
            entry["status"] = status
            entry["issued"] = issued
            year = int(issued[:4])
            effective = date.fromisoformat(issued) + timedelta(days=self.rng.choice((0, 30, 92, 183)))
            entry["effective"] = effective.isoformat()
            if status == "amended" and year + 2 < 2024:
                years = self.rng.sample(range(year + 2, 2024), k=min(2, 2022 - year))
                entry["amended"] = FlowSeq(
                    f"{y}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}" for y in sorted(years))
            if status == "repealed":
                entry["repealed"], entry["replaced_by"] = REPEALED[ident]
            entry["url"] = f"https://flk.npc.gov.cn/detail/{ident}" if level in (LAW, REG) \
                else f"https://www.gov.cn/zhengce/{ident}.htm"
            entries.append(entry)
        return {"legal_documents": entries}

    def certificates_file(self, province: Region) -> dict[str, Any]:
        by_key = {s.key: s for s in SYSTEMS}
        retained = []
        for ident, name, key, area, commitment, demanding, issuing in RETAINED:
            system = by_key[key]
            entry: dict[str, Any] = {
                "id": ident, "name": name,
                "basis": [FlowMap(self.cert_basis[ident])],
                "demanding_unit": demanding, "issuing_unit": issuing,
                "guide": f"向{issuing}申请开具，详见山东政务服务网办事指南", "area": area,
                "commitment": commitment}
            if ident in self.cert_shared:
                entry["data_sharing"] = FlowMap(holder=self.dept_id(system, province),
                                                channel="山东省大数据平台")
            retained.append(entry)
        cancelled = []
        for ident, name, category, reason in CANCELLED:
            cancelled.append({"id": ident, "name": name, "category": category, "reason": reason,
                              "cancelled_by": FlowMap(self.ref(self.rng.choice(("guobanfa-2018-47",
                                                                                   "guobanfa-2020-42")))),
                              "date": self.date(-1200, 600).isoformat()})
        return {"retained": retained, "cancelled": cancelled}

    # ---- everything

    def files(self) -> tuple[list[tuple[str, str]], Stats]:
        """Relative path and text of every file, in a deterministic order."""
        baseline_size = min(self.n, max(1, round(self.n / 20)))
        trees = self.baseline(baseline_size)
        province = Region(PROVINCE[0], PROVINCE[1], "province", None, PROVINCE[2])
        cities = [Region(code, name, "city", province.code, area) for code, name, area in CITIES]
        regions = [province, *cities]
        taken = {r.name for r in regions}
        county_stream = self.counties(taken)
        out: list[tuple[str, str]] = []
        n_items = 0

        def emit(tree: Base, region: Region) -> None:
            nonlocal n_items
            stack: list[tuple[Base, str | None]] = [(tree, None)]
            handling_no = 0
            while stack:
                base, parent = stack.pop(0)
                dept = self.dept_id(base.system, region)
                if base.tier == "handling":
                    handling_no += 1
                data = self.item(base, region, parent, dept, handling_no)
                out.append((f"items/{region.code}/{data['id']}.yaml", to_yaml(data)))
                n_items += 1
                stack.extend((child, data["id"]) for child in base.children)

        for tree in trees:
            emit(tree, province)
        implementing = 0
        remaining = self.n - n_items
        index = 0
        while remaining > 0:
            if index < len(cities):
                region = cities[index]
                coverage = self.rng.uniform(0.85, 1.0)
            else:
                region = next(county_stream)
                regions.append(region)
                coverage = self.rng.uniform(0.6, 0.9)
            index += 1
            quota = min(remaining, max(1, round(n_items_baseline(trees) * coverage)))
            order = list(range(len(trees)))
            self.rng.shuffle(order)
            chosen = []
            for i in order:
                if trees[i].size <= quota:
                    chosen.append(i)
                    quota -= trees[i].size
            implementing += 1
            for i in sorted(chosen):
                emit(trees[i], region)
            remaining = self.n - n_items
        for region in regions:
            out.append((f"registries/departments/{region.code}.yaml", to_yaml(self.departments_file(region))))
        out.append(("registries/regions.yaml", to_yaml(self.regions_file(regions))))
        out.append(("registries/legal-documents.yaml", to_yaml(self.legal_file())))
        out.append(("registries/certificates.yaml", to_yaml(self.certificates_file(province))))
        stats = Stats(items=n_items, baseline=n_items_baseline(trees), regions=len(regions),
                      implementing_regions=implementing, departments=len(regions) * len(SYSTEMS),
                      legal_documents=len(LEGAL_DOCUMENTS), retained=len(RETAINED),
                      cancelled=len(CANCELLED), files=len(out))
        return out, stats


def n_items_baseline(trees: list[Base]) -> int:
    return sum(t.size for t in trees)


HEADER = "# Synthetic catalogue written by benchmarks/generate.py (seed {seed}); not real data.\n"


def generate(n_items: int, out: Path, seed: int = DEFAULT_SEED) -> Stats:
    """Write a catalogue of exactly n_items items under out (which should be empty)."""
    files, stats = Generator(n_items, seed).files()
    made: set[Path] = set()
    for relative, text in files:
        path = out / relative
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        if relative.startswith("registries/"):
            text = HEADER.format(seed=seed) + text
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic catalogue of N items.")
    parser.add_argument("--items", type=int, required=True, help="number of items (N)")
    parser.add_argument("--out", type=Path, required=True, help="catalogue folder to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"default {DEFAULT_SEED}")
    parser.add_argument("--force", action="store_true",
                        help="replace items/ and registries/ if the folder already has them")
    args = parser.parse_args(argv)
    if args.items < 1:
        parser.error("--items must be at least 1")
    for sub in ("items", "registries"):
        if (args.out / sub).exists():
            if not args.force:
                parser.error(f"{args.out / sub} exists (use --force to replace it)")
            shutil.rmtree(args.out / sub)
    stats = generate(args.items, args.out, args.seed)
    print(f"{args.out}: {stats.items} items ({stats.baseline} baseline, {stats.implementing_regions} "
          f"implementing regions), {stats.regions} regions, {stats.departments} departments, "
          f"{stats.legal_documents} legal documents, {stats.retained}+{stats.cancelled} certificates, "
          f"{stats.files} files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
