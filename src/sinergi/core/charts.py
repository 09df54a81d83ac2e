"""Charts as HTML fragments (Plotly). plotly.js is served locally: include
`<script src="{% static 'plotly/plotly.min.js' %}"></script>` once on the page (block scripts/head)."""

from django.utils.safestring import mark_safe

_CONFIG = {"displaylogo": False, "responsive": True}


def _html(fig) -> str:
    fig.update_layout(margin={"l": 40, "r": 10, "t": 40, "b": 40}, height=320, template="plotly_white")
    return mark_safe(fig.to_html(include_plotlyjs=False, full_html=False, config=_CONFIG))  # noqa: S308 - our own figure


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
    html = pio.to_html(
        {"data": data, "layout": layout},
        include_plotlyjs=False,
        full_html=False,
        config=_CONFIG,
        validate=False,
    )
    return mark_safe(html)  # noqa: S308 - our own figure
