"""Rebuild the README's capability sections from docs/<area>.md (one source for each capability's text).

Usage: python scripts/sync_readme.py [--check]
Each docs file is inserted between <!-- CAPABILITIES --> and <!-- /CAPABILITIES --> with its headings
moved two levels down ("# X" becomes "### X"). The list of API operations between <!-- API --> and
<!-- /API --> is generated from the OpenAPI schema (`sinergi.config.api`), so every operation the API
has is listed and nothing it lacks is. `--check` exits 1 when the README is out of date.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The order officers meet them in; a docs file not listed here is appended in name order.
ORDER = [
    "platform",
    "operations",
    "registry",
    "coverage",
    "programs",
    "claims",
    "aspirations",
    "eorder",
    "planning",
    "reporting",
]
SKIP = {"DEVELOPING", "architecture", "national-scale"}
START, END = "<!-- CAPABILITIES -->", "<!-- /CAPABILITIES -->"
HEADER = "## Capabilities\n\nEach section below is also kept as `docs/<name>.md`.\n"


def sections() -> list[str]:
    docs = {p.stem: p for p in (ROOT / "docs").glob("*.md") if p.stem not in SKIP}
    names = [n for n in ORDER if n in docs] + sorted(n for n in docs if n not in ORDER)
    out = []
    for name in names:
        text = docs[name].read_text(encoding="utf-8").strip("\n")
        lines, fenced = [], False
        for line in text.split("\n"):
            if line.lstrip().startswith("```"):
                fenced = not fenced
            if not fenced and re.match(r"^#{1,4} ", line):
                line = "##" + line
            lines.append(line)
        out.append("\n".join(lines))
    return out


API_START, API_END = "<!-- API -->", "<!-- /API -->"
METHODS = ("get", "post", "put", "patch", "delete")


def openapi_schema() -> dict:
    """The API's OpenAPI schema, in English (the operations' summaries and descriptions)."""
    import os

    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.config.settings")
    import django

    django.setup()
    from django.utils import translation

    from sinergi.config.api import api

    with translation.override("en"):
        return api.get_openapi_schema()


def operations(schema: dict) -> list[tuple[str, str, str, str]]:
    """(tag, METHOD, path, what it does) for every operation, in the schema's order."""
    out = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method not in METHODS:
                continue
            tag = (operation.get("tags") or ["other"])[0]
            text = " ".join((operation.get("description") or "").split())
            what = text.split(". ")[0].rstrip(".") if text else operation.get("summary", "")
            out.append((tag, method.upper(), path, what))
    return out


def api_section(schema: dict) -> str:
    lines = [
        "Every operation of the API, generated from its OpenAPI schema (`python scripts/sync_readme.py`);",
        "request and response schemas, enumerations and error fields are in `/api/v1/docs`.",
        "",
        "| Area | Operation | What it does |",
        "|---|---|---|",
    ]
    for tag, method, path, what in operations(schema):
        what = what.replace("|", "\\|")
        lines.append(f"| {tag} | `{method} {path}` | {what} |")
    return "\n".join(lines)


def render(readme: str, schema: dict | None = None) -> str:
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    body = "\n\n".join([HEADER.rstrip("\n"), *sections()])
    readme = f"{head}{START}\n{body}\n{END}{tail}"
    if API_START not in readme:  # first run: the generated list closes the API section
        head, sep, tail = readme.partition("\n## Benchmarks")
        readme = f"{head.rstrip()}\n\n{API_START}\n{API_END}\n{sep}{tail}"
    head, rest = readme.split(API_START, 1)
    _, tail = rest.split(API_END, 1)
    api = api_section(schema if schema is not None else openapi_schema())
    return f"{head}{API_START}\n{api}\n{API_END}{tail}"


def main() -> int:
    path = ROOT / "README.md"
    current = path.read_text(encoding="utf-8")
    new = render(current)
    if "--check" in sys.argv:
        if new != current:
            print("README.md is out of date with docs/: run python scripts/sync_readme.py")
            return 1
        return 0
    path.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
