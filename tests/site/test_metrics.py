"""The dashboard: the seed's goals per region, side by side, with one inline SVG per chart."""

from __future__ import annotations

import re
from pathlib import Path

from svccat.catalogue import load_catalogue
from svccat.site.metrics import all_region_metrics
from svccat.site.published import published
from tests.site.conftest import Built, table, text


def test_metrics_count_the_leaves_of_each_region(small_project: Path) -> None:
    loaded = load_catalogue(small_project / "catalogue")
    metrics = {m.code: m for m in all_region_metrics(published(loaded.catalogue, drafts=False))}
    assert list(metrics) == ["370000", "370784", "370785"]  # 潍坊市 has no items of its own
    province, anqiu, gaomi = metrics["370000"], metrics["370784"], metrics["370785"]
    assert (province.leaves, province.instant, province.online, province.materials) == (2, 1, 1, 1)
    assert (province.statutory_days, province.committed_days) == (120, 20)
    assert round(province.compression or 0, 3) == 0.833
    # The draft 最低生活保障 item is not counted; the certificate it shares is.
    assert (anqiu.leaves, anqiu.self_service, anqiu.certificates, anqiu.shared_certificates) == \
        (1, 1, 0, 1)
    assert (gaomi.certificates, gaomi.without_basis, gaomi.compression) == (1, 1, 0.5)


def test_dashboard_compares_regions_side_by_side(small_site: Built) -> None:
    rows = table(small_site.html("dashboard.html"), "compare")
    assert rows == [
        ["指标", "山东省", "安丘市", "高密市"],
        ["可办理事项数", "2", "1", "1"],
        ["即办件占比", "50.0%", "0.0%", "0.0%"],
        ["网上可办占比（III 级及以上）", "50.0%", "100.0%", "0.0%"],
        ["可自助办理占比", "0.0%", "100.0%", "0.0%"],
        ["平均申请材料数", "0.5", "3.0", "1.0"],
        ["要求申请人提交的证明（份次）", "0", "0", "1"],
        ["通过数据共享获取的证明（份次）", "0", "1", "0"],
        ["平均法定时限（天）", "60.0", "60.0", "60.0"],
        ["平均承诺时限（天）", "10.0", "15.0", "30.0"],
        ["时限压缩比例", "83.3%", "75.0%", "50.0%"],
        ["缺少设定依据的事项", "0", "0", "1"],
    ]


def test_every_chart_is_an_inline_svg_with_its_numbers(small_site: Built) -> None:
    html = small_site.html("dashboard.html")
    charts = re.findall(r"<svg .*?</svg>", html, re.S)
    titles = [text(t) for t in re.findall(r"<title id=[^>]*>(.*?)</title>", html)]
    assert titles == ["即办件占比", "网上可办占比（III 级及以上）", "可自助办理占比", "平均申请材料数",
                      "要求申请人提交的证明（份次）", "承诺时限与法定时限（平均天数）", "缺少设定依据的事项"]
    assert len(charts) == 7
    instant = charts[0]
    assert 'role="img"' in instant
    assert [text(v) for v in re.findall(r'<text class="value"[^>]*>(.*?)</text>', instant)] == \
        ["50.0%", "0.0%", "0.0%"]
    assert "即办件占比：山东省 50.0%；安丘市 0.0%；高密市 0.0%" in instant  # the <desc>
    limits = charts[5]
    assert [text(v) for v in re.findall(r'<text class="value"[^>]*>(.*?)</text>', limits)] == \
        ["10.0", "60.0", "15.0", "60.0", "30.0", "60.0"]
    assert "<script" not in "".join(charts)


def test_sample_dashboard_covers_every_region_with_items(sample_site: Built) -> None:
    rows = table(sample_site.html("dashboard.html"), "compare")
    for region in ("山东省", "潍坊市", "奎文区", "安丘市", "高密市", "昌乐县"):
        assert region in rows[0]
    assert len(re.findall(r"<svg ", sample_site.html("dashboard.html"))) == 7
