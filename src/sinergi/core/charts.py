"""Charts as HTML fragments (Plotly). plotly.js is served locally: include
`<script src="{% static 'plotly/plotly.min.js' %}"></script>` once on the page (block scripts/head).

No inline script (the Content-Security-Policy forbids it): the figure travels as JSON in a
`<script type="application/json">` data block, which `core/sinergi.js` draws with Plotly.newPlot."""

import json
import uuid

from django.utils.html import format_html
from django.utils.safestring import mark_safe

_CONFIG = {"displaylogo": False, "responsive": True}
# As django.utils.html.json_script: the JSON can never close its <script> element or open a comment.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _html(fig) -> str:
    import plotly.io

    fig.update_layout(margin={"l": 40, "r": 10, "t": 40, "b": 40}, height=320, template="plotly_white")
    return _emit(plotly.io.to_json(fig, validate=False))


def _emit(figure_json: str) -> str:
    """The chart's placeholder and its figure as a JSON data block (drawn by core/sinergi.js)."""
    figure_json = figure_json.translate(_JSON_ESCAPES)
    element_id = f"chart-{uuid.uuid4().hex[:12]}"
    return format_html(
        '<div class="chart plotly-graph-div" data-plotly-figure="{}-data" data-plotly-config="{}"></div>'
        '<script type="application/json" id="{}-data">{}</script>',
        element_id,
        json.dumps(_CONFIG),
        element_id,
        mark_safe(figure_json),  # noqa: S308 - <, > and & are escaped above; a <script> body is not HTML
    )


def bar(labels, values, title: str = "", target=None, value_label: str = "", target_label: str = "") -> str:
    """Bars of `values` named `value_label`; with `target`, a dashed line named `target_label` (each series
    keeps its own name, so the legend tells them apart)."""
    import plotly.graph_objects as go

    fig = go.Figure(
        go.Bar(x=[str(x) for x in labels], y=list(values), name=value_label or title, marker_color="#0b6e4f")
    )
    if target is not None:
        fig.add_trace(
            go.Scatter(
                x=[str(x) for x in labels],
                y=list(target),
                name=str(target_label or "target"),
                mode="lines+markers",
                line={"color": "#b45309", "dash": "dash"},
            )
        )
    fig.update_layout(title=str(title))
    return _html(fig)


def progress_vs_target(realised: float, target: float, title: str = "") -> str:
    import plotly.graph_objects as go

    fig = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=float(realised),
            title={"text": str(title)},
            gauge={
                "axis": {"range": [0, max(float(target), float(realised), 1)]},
                "bar": {"color": "#0b6e4f"},
                "threshold": {"line": {"color": "#b45309", "width": 3}, "value": float(target)},
            },
        )
    )
    return _html(fig)


def pie(labels, values, title: str = "") -> str:
    import plotly.graph_objects as go

    fig = go.Figure(go.Pie(labels=[str(x) for x in labels], values=list(values), hole=0.4))
    fig.update_layout(title=str(title))
    return _html(fig)


# One colour per series, in order; the legend names each series (no two series share a name).
SERIES_COLOURS = ("#0b6e4f", "#b45309", "#1d4ed8", "#9d174d", "#4d7c0f", "#6b21a8", "#0e7490", "#78350f")


def lines(x, series: dict, title: str = "", dashed: tuple = ()) -> str:
    """A line chart of several named series over the same x values (e.g. months): one colour each, a
    legend naming each series. Series whose names are in `dashed` are drawn dashed (targets).

    Built as a plain figure dictionary without Plotly's validation (which costs ~100 ms per figure), so
    dashboards with several charts stay fast."""
    import plotly.io as pio

    xs = [str(v) for v in x]
    data = [
        {
            "type": "scatter",
            "x": xs,
            "y": [None if v is None else float(v) for v in values],
            "name": str(name),
            "mode": "lines+markers",
            "line": {
                "color": SERIES_COLOURS[i % len(SERIES_COLOURS)],
                "dash": "dash" if name in dashed else "solid",
            },
        }
        for i, (name, values) in enumerate(series.items())
    ]
    layout = {
        "title": {"text": str(title)},
        "showlegend": True,
        "legend": {"orientation": "h", "y": -0.2},
        "margin": {"l": 40, "r": 10, "t": 40, "b": 40},
        "height": 320,
        "template": pio.templates["plotly_white"].to_plotly_json(),
    }
    return _emit(pio.to_json({"data": data, "layout": layout}, validate=False))
