"""Home, region, department, legal document, certificate register, theme, type, search, 404."""

from __future__ import annotations

import re

from svccat.catalogue import Loaded
from svccat.site import paths
from tests.site.conftest import Built, section, table, text


def main(html: str) -> str:
    found = re.search(r"<main[^>]*>(.*)</main>", html, re.S)
    assert found
    return found.group(1)


def test_home_browses_by_region_department_theme_and_type(small_site: Built) -> None:
    html = small_site.html("index.html")
    assert '<ol id="search-results" aria-live="polite"></ol>' in html
    regions = section(html, "regions-heading")
    # Nested province → city → county, each with its number of items.
    assert text(regions) == ("按地区浏览 山东省 省 3 潍坊市 市 安丘市 县（市、区） 2 "
                             "高密市 县（市、区） 1")
    assert re.search(r"山东省</a>.*<ul.*潍坊市</a>.*<ul.*安丘市</a>", regions, re.S)
    assert text(section(html, "departments-heading")) == (
        "按部门浏览 山东省 山东省公安厅 3 安丘市 安丘市公安局 2 安丘市民政局 0 高密市 高密市公安局 1")
    themes = section(html, "themes-heading")
    assert text(themes) == "按主题和人生事件浏览 户籍 1 身份证件 4"
    assert f'href="{paths.theme("身份证件")}"' in themes
    assert text(section(html, "types-heading")) == "按事项类型浏览 行政确认 6"


def test_home_links_the_open_data(small_site: Built) -> None:
    data = section(small_site.html("index.html"), "open-data-heading")
    for target in ("data/catalogue.json", "data/catalogue.csv", "data/registries/regions.json",
                   "data/registries/certificates.json", "schemas/item.schema.json"):
        assert f'href="{target}"' in data
        assert (small_site.root / target).is_file()


def test_region_page_lists_its_items_with_counts_and_downloads(small_site: Built) -> None:
    html = small_site.html("regions/370784.html")
    assert table(html, "region-items") == [
        ["序号", "事项名称", "事项类型", "实施部门", "办件类型", "事项层级"],
        ["1", "居民身份证办理", "行政确认", "安丘市公安局", "", "主项"],
        ["2", "居民身份证首次申领", "行政确认", "安丘市公安局", "承诺件", "业务办理项"],
    ]
    assert 'class="depth-1"' in html  # the child is indented under its parent
    assert "共 2 项：主项 1 项，子项 0 项，业务办理项 1 项。" in text(html)
    assert table(html, "counts") == [["部门", "行政确认", "合计"], ["安丘市公安局", "2", "2"],
                                     ["合计", "2", "2"]]
    downloads = section(html, "downloads-heading")
    assert 'href="../data/regions/370784.json"' in downloads
    assert 'href="../data/regions/370784.csv"' in downloads
    assert "最低生活保障" not in html  # a draft


def test_region_without_items_says_so_and_leads_down(small_site: Built) -> None:
    html = small_site.html("regions/370700.html")
    assert "本级尚未公布事项。" in text(html)
    assert text(section(html, "subregions-heading")) == "下级区划 安丘市 2 高密市 1 下级区划一致性矩阵"


def test_department_page(small_site: Built) -> None:
    html = small_site.html("departments/370784-gaj.html")
    assert text(section(html, "info-heading")) == (
        "部门信息 实施区划 安丘市 所属系统 公安 地址 安丘市兴安街道潍徐北路666号 电话 0536-4223110")
    assert [r[1] for r in table(html, "department-items")[1:]] == ["居民身份证办理", "居民身份证首次申领"]


def test_legal_document_page_lists_the_items_that_cite_it(small_site: Built) -> None:
    html = small_site.html("legal/sfzf.html")
    rows = table(html, "citations")
    assert rows[0] == ["事项名称", "实施区划", "引用方式", "条款"]
    assert ["居民身份证首次申领", "安丘市", "材料依据：居民户口簿", "第十条"] in rows
    assert ["居民身份证首次申领", "安丘市", "收费依据：居民身份证工本费", "第二十条"] in rows
    assert ["居民身份证补领", "山东省", "设定依据", "第十一条"] in rows
    assert len(rows) == 9
    assert 'href="../items/370784-sfz-sl.html"' in html
    assert ('href="https://www.npc.gov.cn/sfzf" rel="noopener noreferrer"') in html
    assert text(section(html, "certificates-heading")) == "依据本文件的证明事项 户籍证明"


def test_every_legal_document_has_a_page(small_site: Built) -> None:
    for document in ("sfzf", "shjz", "gbf-2018-47"):
        assert (small_site.root / paths.legal(document)).is_file()
    assert "目前没有事项引用本文件。" in text(small_site.html("legal/gbf-2018-47.html"))


def test_certificate_register_lists_retained_and_cancelled(small_site: Built) -> None:
    html = small_site.html("certificates.html")
    retained = section(html, "retained-heading")
    assert text(retained).startswith("保留的证明事项（2）")
    jiating = section(retained, "cert-jiating-hedui-name")
    assert text(jiating) == (
        "居民家庭经济状况核对报告 设定依据 社会救助暂行办法 第五十八条 索要单位 县级民政部门 "
        "开具单位 县级居民家庭经济状况核对机构 办理指南 由民政部门通过核对平台查询生成，申请人无需开具 "
        "领域 社会救助 数据共享 安丘市民政局，通过山东省居民家庭经济状况核对平台 "
        "要求提交该证明的事项（1） 安丘市 · 居民身份证首次申领")  # not the draft 最低生活保障
    assert 'href="legal/shjz.html"' in jiating
    assert table(html, "cancelled") == [
        ["证明名称", "类别", "取消理由", "取消依据", "取消日期"],
        ["居住证明", "无依据", "无法律法规依据，可核验居住证信息",
         "国务院办公厅关于做好证明事项清理工作的通知 二", "2019-05-01"]]
    assert 'id="cert-juzhu-zhengming"' in html


def test_sample_register_has_every_certificate(sample_site: Built, sample: Loaded) -> None:
    html = sample_site.html("certificates.html")
    for certificate in [*sample.catalogue.retained.values(), *sample.catalogue.cancelled.values()]:
        assert f'id="cert-{certificate.id}"' in html
        assert certificate.name in html


def test_theme_and_type_pages_group_items_by_region(small_site: Built) -> None:
    html = small_site.html(paths.theme("身份证件"))
    assert re.search(r"<h1>主题：身份证件</h1>", html)
    headings = [text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", html)]
    assert headings == ["山东省", "安丘市"]
    kinds = small_site.html(paths.item_type("行政确认"))
    assert "<h1>事项类型：行政确认</h1>" in kinds
    assert kinds.count('href="../items/') == 6


def test_search_page_and_404(small_site: Built) -> None:
    search = small_site.html("search.html")
    assert re.search(r'<ol id="search-results" aria-live="polite"[^>]*></ol>', search)
    not_found = small_site.html("404.html")
    assert "<h1>页面不存在</h1>" in not_found
    # Shown by servers at any depth: links from the server root, not relative ones.
    assert 'href="/static/style.css"' in not_found
    assert '<meta name="svccat-root" content="/">' in not_found


def test_every_page_has_the_search_form_and_script(small_site: Built) -> None:
    for path in small_site.html_paths():
        html = small_site.html(path)
        root = small_site.page(path).root_meta
        assert f'<script src="{root}static/search.js" defer></script>' in html, path
        assert (f'<form class="site-search" role="search" action="{root}search.html">'
                in html), path
        assert '<label for="q">搜索事项</label>' in html
        assert re.search(r'<input type="search" id="q" name="q"', html)


def test_consistency_matrix_of_the_pilot_counties(sample_site: Built, sample: Loaded) -> None:
    """The matrix of Weifang's counties shows the sample's real differences."""
    html = sample_site.html("consistency/370700.html")
    rows = table(html, "matrix")
    assert rows[0] == ["基本目录事项", "奎文区", "昌乐县", "安丘市", "高密市"]
    by_item = {row[0]: row[1:] for row in rows[1:]}
    licence = sample.catalogue.items["370000-sj-yyzzbl"].name
    assert by_item[licence][1] == "✗ 缺少"  # 昌乐县 does not implement it
    assert all(cell.startswith("✓") for i, cell in enumerate(by_item[licence]) if i != 1)
    extra = sample.catalogue.items["370784-mz-nctkjzgy"].name
    assert by_item[extra] == ["—", "—", "+ 本地事项", "—"]
    assert 'href="../consistency/370700.html"' in sample_site.html("regions/370700.html")
