"""A log-log line chart as a standalone SVG document, written by hand (no plotting dependency)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

# Okabe–Ito colours (distinguishable with colour-blindness), then greys.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
           "#999999", "#666666", "#333333", "#BBBBBB")
DASHES = ("", "6 3", "2 3", "8 3 2 3")


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[float, float]]  # (x, y), both > 0
    colour: str = ""  # default: the next of COLOURS
    dash: str = ""  # an SVG stroke-dasharray; "" for a solid line


def _decades(low: float, high: float) -> list[float]:
    start, stop = math.floor(math.log10(low)), math.ceil(math.log10(high))
    if start == stop:
        stop += 1
    return [10.0 ** e for e in range(start, stop + 1)]


def _tick_label(value: float, *, short: bool) -> str:
    if short and value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def loglog_svg(series: Sequence[Series], *, title: str, x_label: str, y_label: str,
               width: int = 760, height: int = 460) -> str:
    """An SVG line chart of the series on logarithmic axes, with a legend on the right."""
    drawn = [s for s in series if any(x > 0 and y > 0 for x, y in s.points)]
    xs = [x for s in drawn for x, y in s.points if x > 0 and y > 0] or [1.0, 10.0]
    ys = [y for s in drawn for x, y in s.points if x > 0 and y > 0] or [1.0, 10.0]
    x_ticks, y_ticks = _decades(min(xs), max(xs)), _decades(min(ys), max(ys))
    left, top, right, bottom = 64, 40, 230, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    lx0, lx1 = math.log10(x_ticks[0]), math.log10(x_ticks[-1])
    ly0, ly1 = math.log10(y_ticks[0]), math.log10(y_ticks[-1])

    def px(x: float) -> float:
        return left + (math.log10(x) - lx0) / (lx1 - lx0) * plot_w

    def py(y: float) -> float:
        return top + plot_h - (math.log10(y) - ly0) / (ly1 - ly0) * plot_h

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f"<title>{escape(title)}</title>",
           f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="{left}" y="22" font-size="15" font-weight="bold">{escape(title)}</text>']
    for tick in x_ticks:
        x = px(tick)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + plot_h}" stroke="#dddddd"/>')
        out.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
                   f"{_tick_label(tick, short=True)}</text>")
    for tick in y_ticks:
        y = py(tick)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#dddddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
                   f"{_tick_label(tick, short=False)}</text>")
    out.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
               'stroke="#444444"/>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 12}" text-anchor="middle">'
               f"{escape(x_label)}</text>")
    out.append(f'<text x="16" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
               f'transform="rotate(-90 16 {top + plot_h / 2:.1f})">{escape(y_label)}</text>')
    for index, s in enumerate(drawn):
        colour = s.colour or COLOURS[index % len(COLOURS)]
        dash = s.dash or ("" if s.colour else DASHES[(index // len(COLOURS)) % len(DASHES)])
        points = sorted((x, y) for x, y in s.points if x > 0 and y > 0)
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        if len(points) > 1:
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                       f'stroke-width="2"{dash_attr}/>')
        for x, y in points:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}">'
                       f"<title>{escape(s.label)}: {y:.3g} at {x:g}</title></circle>")
        ly = top + 8 + index * 18
        out.append(f'<line x1="{left + plot_w + 14}" y1="{ly}" x2="{left + plot_w + 38}" y2="{ly}" '
                   f'stroke="{colour}" stroke-width="2"{dash_attr}/>')
        out.append(f'<text x="{left + plot_w + 44}" y="{ly + 4}">{escape(s.label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
