"""Share of typed function parameters in the typed layers (`rules/`, every services, selectors and api
module): the figure docs/architecture.md quotes. `self`/`cls` are not counted.

    python scripts/typed_params.py            # the total and one line per module
    python scripts/typed_params.py --untyped  # also every parameter still without a type
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "sinergi"


def typed_modules() -> list[Path]:
    files = sorted((ROOT / "rules").rglob("*.py"))
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts or path in files:
            continue
        if path.name in ("services.py", "selectors.py", "api.py") or "services" in path.parent.name:
            files.append(path)
    return files


def parameters(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            a = node.args
            params = [*a.posonlyargs, *a.args, *a.kwonlyargs]
            params += [p for p in (a.vararg, a.kwarg) if p is not None]
            for p in params:
                if p.arg not in ("self", "cls"):
                    yield node, p


def main(argv: list[str]) -> int:
    total = typed = 0
    for path in typed_modules():
        tree = ast.parse(path.read_text(), str(path))
        n = t = 0
        for func, p in parameters(tree):
            n += 1
            if p.annotation is not None:
                t += 1
            elif "--untyped" in argv:
                print(f"  {path.relative_to(ROOT.parent)}:{func.lineno} {func.name}({p.arg})")
        total, typed = total + n, typed + t
        if n:
            print(f"{t:5d}/{n:<5d} {100 * t / n:5.1f} %  {path.relative_to(ROOT.parent)}")
    print(f"typed parameters: {typed}/{total} = {100 * typed / max(total, 1):.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
