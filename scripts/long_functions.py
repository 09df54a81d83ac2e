"""Functions in services and selectors longer than the limit (default 60 lines, decorators and
docstring included): the list `tests/test_code_shape.py` keeps empty.

    python scripts/long_functions.py [LIMIT]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "sinergi"


def service_and_selector_modules() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("*.py")
        if p.name in ("services.py", "selectors.py") or p.parent.name in ("services", "selectors")
    )


def long_functions(limit: int = 60) -> list[tuple[str, int, str, int]]:
    out = []
    for path in service_and_selector_modules():
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = (node.end_lineno or node.lineno) - start + 1
                if length > limit:
                    out.append((str(path.relative_to(ROOT.parent)), node.lineno, node.name, length))
    return out


def main(argv: list[str]) -> int:
    limit = int(argv[0]) if argv else 60
    found = long_functions(limit)
    for path, line, name, length in sorted(found, key=lambda f: -f[3]):
        print(f"{length:4d} lines  {path}:{line} {name}")
    print(f"{len(found)} function(s) over {limit} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
