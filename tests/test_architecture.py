"""The house as the contracts enforce it: docs/architecture.md draws the layers pyproject.toml declares,
every app sits in a layer, and the contracts hold."""

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
