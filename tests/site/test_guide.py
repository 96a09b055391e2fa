"""An item's guide page shows a citizen every element, in the standard order."""

from __future__ import annotations

import re

from svccat.catalogue import Loaded
from tests.site.conftest import Built, section, table, text

GUIDE = "items/370784-sfz-sl.html"


def test_sections_come_in_the_standard_order(small_site: Built) -> None:
    headings = [text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", small_site.html(GUIDE))]
    assert headings == ["基本信息", "法律依据", "受理条件", "申请材料", "办理流程", "办结时限",
                        "收费标准", "办理渠道", "到办事现场次数", "咨询与投诉", "常见问题",
                        "办理结果", "相关事项", "审查与公开征求意见"]


def test_basic_information(small_site: Built) -> None:
    basic = section(small_site.html(GUIDE), "basic")
    assert text(basic) == (
        "基本信息 业务办理项编码 370784GA0101 事项类型 行政确认 实施主体 安丘市公安局 实施区划 安丘市 "
        "行使层级 县级 事项层级 业务办理项 上级事项 居民身份证办理 适用情形 第一次申请领取居民身份证 "
        "服务对象 自然人 办件类型 承诺件 通办范围 全省通办 主题 身份证件、户籍")
    assert 'href="../departments/370784-gaj.html"' in basic
    assert 'href="../items/370784-sfz.html"' in basic  # the parent


def test_legal_basis_links_each_document_with_its_article(small_site: Built) -> None:
    legal = section(small_site.html(GUIDE), "legal")
    assert text(legal) == ("法律依据 设定依据 中华人民共和国居民身份证法 第二条 "
                           "年满十六周岁的中国公民应当申请领取居民身份证。 "
                           "实施依据 中华人民共和国居民身份证法 第十二条")
    assert legal.count('href="../legal/sfzf.html"') == 2


def test_materials_table_marks_certificates_commitment_and_data_sharing(small_site: Built
                                                                          ) -> None:
    rows = table(small_site.html(GUIDE), "materials")
    assert rows == [
        ["序号", "材料名称", "必要性", "材料形式", "原件和复印件", "来源渠道", "说明"],
        ["1", "居民户口簿", "必要", "纸质", "原件 1 份，复印件 1 份", "政府部门核发",
         "依据：中华人民共和国居民身份证法 第十条"],
        ["2", "居民家庭经济状况核对报告", "非必要", "", "", "",
         "证明 居民家庭经济状况核对报告 无需提交：由办理单位通过数据共享获取 适用情形：申请免收工本费的"],
        ["3", "居住情况说明", "容缺后补", "", "", "", "可用书面承诺替代 可当场签署书面承诺"],
    ]
    materials = section(small_site.html(GUIDE), "materials-heading")
    assert 'href="../certificates.html#cert-jiating-hedui"' in materials
    assert "共 3 项材料，其中 1 项由办理单位通过数据共享获取，1 项可用书面承诺替代。" in text(materials)


def test_steps_and_time_limits_side_by_side(small_site: Built) -> None:
    html = small_site.html(GUIDE)
    assert table(html, "steps-table")[1:] == [["1", "受理", "当场办结", "核验户籍信息"],
                                              ["2", "审核签发", "5 个自然日", ""],
                                              ["3", "制证", "10 个自然日", "省级制证中心统一制作"]]
    assert table(html, "limits-table") == [["法定办结时限", "承诺办结时限"],
                                           ["60 个自然日 交通不便的地区可以适当延长", "15 个自然日"]]
    assert "比法定时限压缩 75%" in text(section(html, "limits"))


def test_fees_visits_contacts_result(small_site: Built) -> None:
    html = small_site.html(GUIDE)
    assert table(html, "fees-table")[1] == ["居民身份证工本费", "每证20元",
                                            "中华人民共和国居民身份证法 第二十条", "是"]
    assert text(section(html, "visits")) == "到办事现场次数 1 次 原因：须本人到场采集人像和指纹信息"
    assert text(section(html, "contacts")) == "咨询与投诉 咨询电话 0536-4396110 投诉电话 12345"
    result = section(html, "result")
    assert text(result) == "办理结果 结果类型 证件执照 结果名称 居民身份证 结果样本 查看样本"
    assert 'href="https://zwfw.sd.gov.cn/sample.jpg" rel="noopener noreferrer"' in result


def test_every_channel_is_shown(small_site: Built) -> None:
    channels = section(small_site.html(GUIDE), "channels")
    shown = text(channels)
    for expected in ("网上办理", "IV 级：全程网办", "在线办理入口", "支持网上支付",
                     "自助办理", "安丘市政务服务中心自助服务区",
                     "窗口办理", "安丘市兴安街道永安路866号政务服务中心一楼", "一楼 A-05 号窗口",
                     "工作日 8:30-12:00，13:30-17:30", "0536-4396110",
                     "预约办理", "通过“爱山东”APP预约", "预约入口",
                     "上门办理", "行动不便的老年人可预约上门采集",
                     "委托代办", "未满十六周岁的由监护人代为申请",
                     "快递送达", "可选择邮政EMS免费寄送"):
        assert expected in shown, expected
    # The address is escaped once, and the link leaves the site without opener or referrer.
    assert ('<a class="external" href="https://zwfw.sd.gov.cn/apply?item=sfz&amp;from=guide" '
            'rel="noopener noreferrer">在线办理入口</a>') in channels


def test_catalogue_text_is_escaped(small_site: Built) -> None:
    faq = section(small_site.html(GUIDE), "faq")
    assert "不需要 &lt;b&gt;现场免费拍照&lt;/b&gt; &amp; 当场打印回执" in faq
    assert "<b>" not in faq


def test_parent_shows_its_children_as_a_tree(small_site: Built) -> None:
    html = small_site.html("items/370000-sfz.html")
    children = section(html, "children")
    assert text(children) == ("下级事项 本事项按情形拆分，请选择符合自己情况的事项查看办事指南。 "
                              "居民身份证补领 居民身份证丢失的 居民身份证首次申领 第一次申请领取居民身份证")
    assert 'href="../items/370000-sfz-bl.html"' in children
    assert 'href="../items/370000-sfz-sl.html"' in children
    assert 'id="materials"' not in html  # a parent has no guide of its own to follow


def test_county_item_links_its_baseline_and_peers(small_site: Built) -> None:
    related = section(small_site.html(GUIDE), "related")
    assert text(related) == ("相关事项 对应的基本目录事项 居民身份证首次申领 "
                             "其他地区实施的同一事项 高密市：居民身份证首次申领")
    assert 'href="../items/370000-sfz-sl.html"' in related
    assert 'href="../items/370785-sfz-sl.html"' in related
    baseline = section(small_site.html("items/370000-sfz-sl.html"), "related")
    assert text(baseline) == ("相关事项 各地实施本事项 安丘市：居民身份证首次申领 "
                              "高密市：居民身份证首次申领")


def test_breadcrumbs_lead_from_home_through_regions_and_parents(small_site: Built) -> None:
    crumbs = re.search(r'<nav class="breadcrumbs[^>]*>(.*?)</nav>', small_site.html(GUIDE), re.S)
    assert crumbs
    assert text(crumbs.group(1)) == "首页 山东省 潍坊市 安丘市 居民身份证办理 居民身份证首次申领"
    assert '<li aria-current="page">居民身份证首次申领</li>' in crumbs.group(1)


def test_every_sample_guide_lists_its_materials(sample_site: Built, sample: Loaded) -> None:
    items = [i for i in sample.catalogue.items.values()
             if i.materials and i.status == "published"]
    assert len(items) > 50
    for item in items:
        rows = table(sample_site.html(f"items/{item.id}.html"), "materials")
        assert rows[0][1] == "材料名称"
        assert [r[1] for r in rows[1:]] == [m.name for m in item.materials], item.id
        assert [r[2] for r in rows[1:]] == [m.necessity for m in item.materials], item.id
