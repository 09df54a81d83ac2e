"""Charts name each series once and give each its own colour (the legend must tell them apart)."""

import re

from sinergi.core import charts


def test_bar_with_target_names_both_series_differently():
    html = charts.bar(
        ["Q1", "Q2"], [1, 2], title="t", target=[2, 3], value_label="Realisasi", target_label="Target"
    )
    names = re.findall(r'"name":"([^"]+)"', html)
    assert names == ["Realisasi", "Target"]


def test_lines_give_each_series_a_colour_and_a_legend_entry():
    html = charts.lines(
        ["2024-01-31", "2024-02-29"], {"Capaian": [1, 2], "Target": [2, 3]}, title="x", dashed=("Target",)
    )
    assert re.findall(r'"name":"([^"]+)"', html) == ["Capaian", "Target"]
    colours = re.findall(r'"color":"(#[0-9a-f]{6})"', html)
    assert len(set(colours[:2])) == 2
    assert '"showlegend":true' in html
