"""A small catalogue that exercises every part of a guide page, written into a tmp folder.

Province baseline 山东省 (a main item with two handling items), 安丘市 implementing it with
every element filled in, 高密市 as its peer, one draft item, a certificate register with a
retained and a cancelled certificate. Only the foundation checks run on it (svccat.toml):
these tests are about the site, not the domain rules.
"""

from __future__ import annotations

from pathlib import Path

FOUNDATION = '[lint]\nselect = ["Y", "S", "X", "N"]\n'

REGISTRIES = {
    "catalogue/registries/regions.yaml": """\
regions:
  - {code: "370000", name: 山东省, level: province}
  - {code: "370700", name: 潍坊市, level: city, parent: "370000"}
  - {code: "370784", name: 安丘市, level: county, parent: "370700"}
  - {code: "370785", name: 高密市, level: county, parent: "370700"}
""",
    "catalogue/registries/departments.yaml": """\
departments:
  - {id: 370000-gat, name: 山东省公安厅, region: "370000", system: 公安}
  - id: 370784-gaj
    name: 安丘市公安局
    region: "370784"
    system: 公安
    address: 安丘市兴安街道潍徐北路666号
    phone: "0536-4223110"
  - {id: 370784-mzj, name: 安丘市民政局, region: "370784", system: 民政}
  - {id: 370785-gaj, name: 高密市公安局, region: "370785", system: 公安}
""",
    "catalogue/registries/legal-documents.yaml": """\
legal_documents:
  - id: sfzf
    title: 中华人民共和国居民身份证法
    number: 中华人民共和国主席令第4号
    issuer: 全国人民代表大会常务委员会
    level: 法律
    status: amended
    url: "https://www.npc.gov.cn/sfzf"
  - {id: shjz, title: 社会救助暂行办法, number: 国务院令第649号, issuer: 国务院, level: 行政法规,
     status: amended}
  - id: gbf-2018-47
    title: 国务院办公厅关于做好证明事项清理工作的通知
    number: 国办发〔2018〕47号
    issuer: 国务院办公厅
    level: 规范性文件
    status: in_force
""",
    "catalogue/registries/certificates.yaml": """\
retained:
  - id: jiating-hedui
    name: 居民家庭经济状况核对报告
    basis: [{document: shjz, article: 第五十八条}]
    demanding_unit: 县级民政部门
    issuing_unit: 县级居民家庭经济状况核对机构
    guide: 由民政部门通过核对平台查询生成，申请人无需开具
    area: 社会救助
    commitment: false
    data_sharing: {holder: 370784-mzj, channel: 山东省居民家庭经济状况核对平台}
  - id: huji-zhengming
    name: 户籍证明
    basis: [{document: sfzf, article: 第十条}]
    demanding_unit: 各有关单位
    issuing_unit: 户籍所在地公安派出所
    area: 户籍
    commitment: true
cancelled:
  - id: juzhu-zhengming
    name: 居住证明
    category: 无依据
    reason: 无法律法规依据，可核验居住证信息
    cancelled_by: {document: gbf-2018-47, article: 二}
    date: "2019-05-01"
""",
}

ITEMS = {
    "370000/370000-sfz.yaml": """\
id: 370000-sfz
name: 居民身份证办理
type: 行政确认
region: "370000"
department: 370000-gat
tier: main
codes: {basic: "370000GA0100"}
legal_basis:
  setting: [{document: sfzf, article: 第二条}]
themes: [身份证件]
status: published
""",
    "370000/370000-sfz-sl.yaml": """\
id: 370000-sfz-sl
name: 居民身份证首次申领
type: 行政确认
region: "370000"
department: 370000-gat
tier: handling
parent: 370000-sfz
situation: 第一次申请领取居民身份证
handling_type: 承诺件
statutory_limit: {days: 60, unit: 自然日}
committed_limit: {days: 20, unit: 自然日}
legal_basis:
  setting: [{document: sfzf, article: 第二条}]
materials:
  - {name: 居民户口簿, necessity: 必要, originals: 1, copies: 0}
channels:
  online: {depth: IV, url: "https://zwfw.sd.gov.cn/sfz"}
themes: [身份证件]
status: published
""",
    "370000/370000-sfz-bl.yaml": """\
id: 370000-sfz-bl
name: 居民身份证补领
type: 行政确认
region: "370000"
department: 370000-gat
tier: handling
parent: 370000-sfz
situation: 居民身份证丢失的
handling_type: 即办件
statutory_limit: {days: 60, unit: 自然日}
committed_limit: {days: 0, unit: 自然日}
legal_basis:
  setting: [{document: sfzf, article: 第十一条}]
channels:
  halls: [{name: 派出所户籍室, address: 户籍所在地公安派出所户籍室, window: 户籍窗口}]
status: published
""",
    "370784/370784-sfz.yaml": """\
id: 370784-sfz
name: 居民身份证办理
type: 行政确认
region: "370784"
department: 370784-gaj
tier: main
implements: 370000-sfz
legal_basis:
  setting: [{document: sfzf, article: 第二条}]
themes: [身份证件]
status: published
""",
    "370784/370784-sfz-sl.yaml": """\
id: 370784-sfz-sl
codes: {handling: "370784GA0101"}
name: 居民身份证首次申领
type: 行政确认
region: "370784"
department: 370784-gaj
exercise_level: county
tier: handling
parent: 370784-sfz
situation: 第一次申请领取居民身份证
implements: 370000-sfz-sl
handling_type: 承诺件
statutory_limit: {days: 60, unit: 自然日, note: 交通不便的地区可以适当延长}
committed_limit: {days: 15, unit: 自然日}
legal_basis:
  setting:
    - {document: sfzf, article: 第二条, text: 年满十六周岁的中国公民应当申请领取居民身份证。}
  implementing:
    - {document: sfzf, article: 第十二条}
service_object: [自然人]
conditions:
  - 常住户口在安丘市的中国公民
  - 本人到场采集人像和指纹信息
materials:
  - name: 居民户口簿
    necessity: 必要
    form: 纸质
    source: 政府部门核发
    originals: 1
    copies: 1
    basis: {document: sfzf, article: 第十条}
  - name: 居民家庭经济状况核对报告
    necessity: 非必要
    certificate: jiating-hedui
    data_sharing: true
    situation: 申请免收工本费的
  - name: 居住情况说明
    necessity: 容缺后补
    commitment: true
    note: 可当场签署书面承诺
steps:
  - {name: 受理, limit: {days: 0, unit: 自然日}, description: 核验户籍信息}
  - {name: 审核签发, limit: {days: 5, unit: 自然日}}
  - {name: 制证, limit: {days: 10, unit: 自然日}, description: 省级制证中心统一制作}
visits: {count: 1, reason: 须本人到场采集人像和指纹信息}
channels:
  online: {depth: IV, url: "https://zwfw.sd.gov.cn/apply?item=sfz&from=guide", payment: true}
  self_service: {locations: [安丘市政务服务中心自助服务区]}
  halls:
    - name: 安丘市政务服务中心
      address: 安丘市兴安街道永安路866号政务服务中心一楼
      window: 一楼 A-05 号窗口
      hours: 工作日 8:30-12:00，13:30-17:30
      phone: "0536-4396110"
  appointment: {how: 通过“爱山东”APP预约, url: "https://zwfw.sd.gov.cn/yuyue"}
  home_visit: {conditions: 行动不便的老年人可预约上门采集}
  proxy: {conditions: 未满十六周岁的由监护人代为申请}
  express: {note: 可选择邮政EMS免费寄送}
fees:
  - {name: 居民身份证工本费, standard: 每证20元, basis: {document: sfzf, article: 第二十条}, waivable: true}
result: {type: 证件执照, name: 居民身份证, sample: "https://zwfw.sd.gov.cn/sample.jpg"}
contacts:
  consultation: ["0536-4396110"]
  complaint: ["12345"]
faq:
  - {question: 需要自带照片吗？, answer: "不需要 <b>现场免费拍照</b> & 当场打印回执"}
scope: 全省通办
themes: [身份证件, 户籍]
status: published
review:
  legal_review: {date: "2025-07-04", reviewer: 安丘市司法局, conclusion: 通过, reference: 安司审〔2025〕17号}
""",
    "370785/370785-sfz-sl.yaml": """\
id: 370785-sfz-sl
name: 居民身份证首次申领
type: 行政确认
region: "370785"
department: 370785-gaj
tier: handling
implements: 370000-sfz-sl
handling_type: 承诺件
statutory_limit: {days: 60, unit: 自然日}
committed_limit: {days: 30, unit: 自然日}
materials:
  - {name: 户籍证明, necessity: 必要, certificate: huji-zhengming}
status: published
""",
    "370784/370784-dibao.yaml": """\
id: 370784-dibao
name: 最低生活保障待遇申请
type: 行政给付
region: "370784"
department: 370784-mzj
tier: handling
handling_type: 承诺件
legal_basis:
  setting: [{document: shjz, article: 第十一条}]
materials:
  - {name: 居民家庭经济状况核对报告, necessity: 必要, certificate: jiating-hedui}
themes: [社会救助]
status: draft
""",
}


def write_small(root: Path, *, extra: dict[str, str] | None = None) -> Path:
    """Write the small catalogue (and svccat.toml) under root; returns root."""
    files = {"svccat.toml": FOUNDATION, **REGISTRIES,
             **{f"catalogue/items/{name}": text for name, text in ITEMS.items()},
             **(extra or {})}
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root
