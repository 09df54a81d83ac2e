"""Draw the layer diagram in docs/architecture.md from the import-linter contract in pyproject.toml.

`python scripts/sync_architecture.py` rewrites the block between the markers; `--check` fails when the
drawing and the contract differ (tests/test_architecture.py runs it), so the document always shows
the layers `lint-imports` enforces.
"""

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
START, END = "<!-- LAYERS (scripts/sync_architecture.py) -->", "<!-- /LAYERS -->"


def layers() -> list[list[str]]:
    """The layers contract, top to bottom, each layer a list of module names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers")
    return [[m.strip().removeprefix("sinergi.") for m in layer.split("|")] for layer in contract["layers"]]


def diagram() -> str:
    rows = [" | ".join(layer) for layer in layers()]
    width = max(len(r) for r in rows) + 4
    out = ["```"]
    for i, row in enumerate(rows):
        out.append(f"┌{'─' * width}┐")
        out.append(f"│{row.center(width)}│")
        out.append(f"└{'─' * width}┘")
        if i < len(rows) - 1:
            out.append(" " * (width // 2) + " ▼ imports")
    out.append("```")
    return "\n".join(out)


def render(text: str) -> str:
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{diagram()}\n{END}{tail}"


def main() -> int:
    current = DOC.read_text(encoding="utf-8")
    new = render(current)
    if "--check" in sys.argv:
        if new != current:
            print(
                "docs/architecture.md is out of date with pyproject.toml: run python scripts/sync_architecture.py"
            )
            return 1
        return 0
    DOC.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
