"""The house as the contracts enforce it: docs/architecture.md draws the layers pyproject.toml declares,
every app sits in a layer, and the contracts hold."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import sinergi

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import sync_architecture  # noqa: E402


def test_the_document_draws_the_contract():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "sync_architecture.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_every_app_and_top_level_module_has_a_layer():
    placed = {name for layer in sync_architecture.layers() for name in layer}
    package = Path(sinergi.__file__).parent
    present = {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    present |= {p.stem for p in package.glob("*.py") if p.stem not in ("__init__", "__main__")}
    assert present - placed == set(), "add the new app to the layers contract in pyproject.toml"
    assert {a.rsplit(".", 1)[-1] for a in sinergi.DOMAIN_APPS} <= placed


@pytest.mark.skipif(
    shutil.which("lint-imports") is None and not (ROOT / ".venv/bin/lint-imports").exists(),
    reason="import-linter not installed",
)
def test_the_import_contracts_hold():
    exe = shutil.which("lint-imports") or str(ROOT / ".venv/bin/lint-imports")
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


# --- imports at module level ---------------------------------------------------------------------
# An import of a sinergi module belongs at the top of the file. One inside a function body stays only
# where it must (an import cycle, code that runs before Django's app registry is ready, a handler
# registered by importing its module) and says so in a comment on the line above or at the end of
# the line: `# deferred: sinergi.registry.models imports this module (cycle)`.

PACKAGE = ROOT / "src" / "sinergi"

# Every module is converted (5 Dec 2026): nothing is exempt from the guard any more.
IN_FUNCTION_IMPORTS_NOT_YET_CONVERTED: set[str] = set()


_DIRECTIVE = re.compile(
    r"(noqa(:\s*[A-Z]+[0-9]+(\s*,\s*[A-Z]+[0-9]+)*)?|type:\s*ignore(\[[^\]]*\])?|pragma:[^#]*)", re.I
)


def _has_reason(line: str) -> bool:
    """A comment that says something beyond a `noqa`, `type: ignore` or `pragma` directive."""
    if "#" not in line:
        return False
    words = _DIRECTIVE.sub("", line.split("#", 1)[1])
    return any(ch.isalpha() for ch in words)


def _is_sinergi(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        return bool(node.level) or (node.module or "").split(".")[0] == "sinergi"
    return any(alias.name.split(".")[0] == "sinergi" for alias in node.names)


def in_function_imports_without_reason(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every import of a sinergi module inside a function body of `path` that has no
    reason comment on the line above or at the end of one of its lines."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found: dict[int, str] = {}
    for function in ast.walk(ast.parse(source, filename=str(path))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom) or not _is_sinergi(node):
                continue
            above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            own = lines[node.lineno - 1 : (node.end_lineno or node.lineno)]
            if (above.startswith("#") and _has_reason(above)) or any(_has_reason(line) for line in own):
                continue
            found[node.lineno] = lines[node.lineno - 1].strip()
    return sorted(found.items())


def _not_yet_converted(relative: str) -> bool:
    return any(
        relative == entry or (entry.endswith("/") and relative.startswith(entry))
        for entry in IN_FUNCTION_IMPORTS_NOT_YET_CONVERTED
    )


def test_every_import_inside_a_function_carries_its_reason():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if "migrations" in path.parts or _not_yet_converted(relative):
            continue
        offenders += [
            f"sinergi/{relative}:{line}: {text}" for line, text in in_function_imports_without_reason(path)
        ]
    assert not offenders, (
        "move these imports to the top of the module, or keep one inside with the reason in a comment "
        "on the line above (`# deferred: … (cycle)`):\n" + "\n".join(offenders)
    )


def test_the_import_guard_sees_an_uncommented_import_and_accepts_a_reason(tmp_path):
    module = tmp_path / "example.py"
    module.write_text(
        "import sinergi\n"
        "\n"
        "def bare():\n"
        "    from sinergi.core import clock\n"
        "    return clock\n"
        "\n"
        "def relative():\n"
        "    if True:\n"
        "        from . import models  # noqa: F401\n"
        "\n"
        "def above():\n"
        "    # deferred: sinergi.registry.models imports this module (cycle)\n"
        "    from sinergi.registry import models\n"
        "    return models\n"
        "\n"
        "def trailing():\n"
        "    import sinergi.core.tasks  # registers the job handlers\n"
        "    from sinergi.core import jobs  # noqa: F401 - registers the handler\n"
        "    from sinergi.core import audit  # noqa: F401\n"
        "\n"
        "\n"
        "def not_ours():\n"
        "    import json\n"
        "    return json\n",
        encoding="utf-8",
    )
    assert [line for line, _ in in_function_imports_without_reason(module)] == [4, 9, 19]
    assert not _not_yet_converted("simulation/engine.py")
    assert not _not_yet_converted("claims/services.py")
