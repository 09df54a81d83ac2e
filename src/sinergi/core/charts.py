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
    figure_json = plotly.io.to_json(fig, validate=False).translate(_JSON_ESCAPES)
    element_id = f"chart-{uuid.uuid4().hex[:12]}"
    return format_html(
        '<div class="chart" data-plotly-figure="{}-data" data-plotly-config="{}"></div>'
        '<script type="application/json" id="{}-data">{}</script>',
        element_id,
        json.dumps(_CONFIG),
        element_id,
        mark_safe(figure_json),  # noqa: S308 - <, > and & are escaped above; a <script> body is not HTML
    )


def bar(labels, values, title: str = "", target=None, value_label: str = "") -> str:
    import plotly.graph_objects as go

    fig = go.Figure(
        go.Bar(x=[str(x) for x in labels], y=list(values), name=value_label or title, marker_color="#0b6e4f")
    )
    if target is not None:
        fig.add_trace(
            go.Scatter(
                x=[str(x) for x in labels],
                y=list(target),
                name=str(value_label or "target"),
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
