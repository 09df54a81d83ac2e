"""Every chart is a data block drawn by core/sinergi.js: no executable inline script (the CSP forbids it)."""

import json
import re

from sinergi.core import charts


def _scripts(html: str) -> list[str]:
    return re.findall(r"<script([^>]*)>", html)


def test_every_chart_kind_carries_its_figure_as_json_data_only():
    made = [
        charts.bar(["Q1", "Q2"], [1, 2], target=[2, 2], value_label="realisasi", target_label="target"),
        charts.pie(["a", "b"], [1, 2]),
        charts.progress_vs_target(3, 5),
        charts.lines(["Jan", "Feb"], {"realisasi": [1, 2], "target": [2, 3]}, dashed=("target",)),
    ]
    for html in made:
        attrs = _scripts(html)
        assert attrs and all('type="application/json"' in a for a in attrs), attrs
        data = re.search(r'<script type="application/json" id="[^"]+">(.*)</script>', html, re.S).group(1)
        assert "data" in json.loads(data)


def test_line_chart_names_each_series_in_the_legend():
    html = charts.lines(["Jan"], {"realisasi": [1], "target": [2]}, dashed=("target",))
    figure = json.loads(re.search(r'application/json" id="[^"]+">(.*)</script>', html, re.S).group(1))
    assert [t["name"] for t in figure["data"]] == ["realisasi", "target"]
    assert figure["layout"]["showlegend"] is True
