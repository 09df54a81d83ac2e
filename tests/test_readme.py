"""The README's capability sections are the docs/ files: one text, kept in step."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_capabilities_match_docs():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "sync_readme.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
