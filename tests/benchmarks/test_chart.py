"""The benchmark's hand-written SVG chart is a well-formed SVG document with one line per series."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tests.benchmarks import benchmark_module

SVG = "{http://www.w3.org/2000/svg}"


def test_loglog_chart_is_valid_svg_with_a_line_and_a_legend_entry_per_series() -> None:
    chart = benchmark_module("chart")
    series = [chart.Series("lint-cold", [(1000, 2.3), (10000, 18.7), (100000, 190.0)]),
              chart.Series("diff <&>", [(1000, 0.4), (10000, 0.9)]),
              chart.Series("not measured", [])]
    root = ET.fromstring(chart.loglog_svg(series, title="t", x_label="items", y_label="seconds"))
    assert root.tag == f"{SVG}svg"
    assert len(root.findall(f"{SVG}polyline")) == 2
    labels = [t.text for t in root.findall(f"{SVG}text")]
    assert "lint-cold" in labels and "diff <&>" in labels and "not measured" not in labels
    assert {"1k", "10k", "100k"} <= set(labels)  # the x axis has one tick per decade
