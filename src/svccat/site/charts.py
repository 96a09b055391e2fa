"""Horizontal bar charts as geometry for inline SVG, computed at build time.

No chart library runs in the browser: Python places every bar and label, and the template
`_charts.html` writes the SVG elements. Coordinates are rounded so output is byte-stable.
"""

from __future__ import annotations

from collections.abc import Sequence

from svccat.site.data import Data

WIDTH = 640
LABEL_WIDTH = 190  # room for a community's name (about twelve characters)
BAR_START = LABEL_WIDTH + 8
BAR_SPACE = WIDTH - BAR_START - 70  # leave room for the value after the longest bar
BAR_HEIGHT = 18
ROW_GAP = 12
TOP = 8
# A coordinate stays the int or float it was computed as: the SVG shows 190, not 190.0,
# and the bytes a render worker decodes keep the kind (svccat.site.data).
Number = int | float


class Series(Data, frozen=True):
    name: str
    values: tuple[Number, ...]
    texts: tuple[str, ...]  # each value as shown


class Bar(Data, frozen=True):
    series: int
    x: Number
    y: Number
    width: Number
    height: Number
    text: str
    text_x: Number
    text_y: Number


class RowLabel(Data, frozen=True):
    text: str
    x: Number
    y: Number


class Chart(Data, frozen=True):
    id: str
    title: str
    description: str
    width: int
    height: int
    labels: tuple[RowLabel, ...]
    bars: tuple[Bar, ...]
    legend: tuple[str, ...]  # series names when there is more than one series
    axis_x: Number
    axis_top: Number
    axis_bottom: Number


def _round(value: float) -> float:
    return round(value, 1)


def bar_chart(*, id: str, title: str, description: str, rows: Sequence[str],
              series: Sequence[Series], maximum: float | None = None) -> Chart:
    """One group of bars per row (region), one bar per series, scaled to `maximum`.

    `maximum` fixes the scale (1.0 for shares, so 50% is always half the width); otherwise
    the largest value fills the width.
    """
    largest = max((v for s in series for v in s.values), default=0.0)
    scale = maximum if maximum is not None else largest
    scale = scale if scale > 0 else 1.0
    group = len(series) * BAR_HEIGHT + ROW_GAP
    labels: list[RowLabel] = []
    bars: list[Bar] = []
    for row, name in enumerate(rows):
        top = TOP + row * group
        labels.append(RowLabel(name, LABEL_WIDTH, _round(top + len(series) * BAR_HEIGHT / 2 + 5)))
        for index, one in enumerate(series):
            width = _round(BAR_SPACE * min(one.values[row], scale) / scale)
            y = top + index * BAR_HEIGHT
            bars.append(Bar(series=index, x=BAR_START, y=y, width=width, height=BAR_HEIGHT - 2,
                            text=one.texts[row], text_x=_round(BAR_START + width + 6),
                            text_y=_round(y + BAR_HEIGHT - 5)))
    height = TOP * 2 + len(rows) * group
    return Chart(id=id, title=title, description=description, width=WIDTH, height=height,
                 labels=tuple(labels), bars=tuple(bars),
                 legend=tuple(s.name for s in series) if len(series) > 1 else (),
                 axis_x=BAR_START, axis_top=TOP / 2, axis_bottom=height - TOP)
