"""Bar geometry: a fixed scale for shares, the largest value otherwise, never a division by 0."""

from __future__ import annotations

from svccat.site.charts import BAR_SPACE, BAR_START, Series, bar_chart


def test_shares_are_drawn_on_a_fixed_scale() -> None:
    chart = bar_chart(id="c", title="t", description="d", rows=["甲", "乙"],
                      series=[Series("s", (0.5, 1.0), ("50%", "100%"))], maximum=1.0)
    assert [b.width for b in chart.bars] == [BAR_SPACE / 2, BAR_SPACE]
    assert all(b.x == BAR_START for b in chart.bars)
    assert [label.text for label in chart.labels] == ["甲", "乙"]
    assert chart.legend == ()


def test_amounts_fill_the_width_with_the_largest() -> None:
    chart = bar_chart(id="c", title="t", description="d", rows=["甲", "乙"],
                      series=[Series("a", (2.0, 4.0), ("2", "4")), Series("b", (1.0, 0.0),
                                                                          ("1", "0"))])
    assert [b.width for b in chart.bars] == [BAR_SPACE / 2, BAR_SPACE / 4, BAR_SPACE, 0.0]
    assert chart.legend == ("a", "b")
    assert chart.bars[1].y == chart.bars[0].y + 18  # one region's bars stacked together


def test_all_zero_values_draw_empty_bars() -> None:
    chart = bar_chart(id="c", title="t", description="d", rows=["甲"],
                      series=[Series("s", (0.0,), ("0",))])
    assert chart.bars[0].width == 0.0
