"""Static files: leave out what Sinergi never serves from plotly's package data (the 4.8 MB Jupyter
widget bundle, sample datasets, theme templates), so `collectstatic` (run by `sinergi serve` in
production) compresses little more than plotly.min.js, htmx and our own files."""

from django.contrib.staticfiles.apps import StaticFilesConfig as DjangoStaticFilesConfig


class StaticFilesConfig(DjangoStaticFilesConfig):
    ignore_patterns = [*DjangoStaticFilesConfig.ignore_patterns, "widgetbundle.js", "datasets", "templates"]
