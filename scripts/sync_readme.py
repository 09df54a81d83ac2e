"""Rebuild the README's capability sections from docs/<area>.md (one source for each capability's text).

Usage: python scripts/sync_readme.py [--check]
Each docs file is inserted between <!-- CAPABILITIES --> and <!-- /CAPABILITIES --> with its headings
moved two levels down ("# X" becomes "### X"). `--check` exits 1 when the README is out of date.
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


def render(readme: str) -> str:
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    body = "\n\n".join([HEADER.rstrip("\n"), *sections()])
    return f"{head}{START}\n{body}\n{END}{tail}"


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
