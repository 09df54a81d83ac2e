"""The README's capability sections are the docs/ files: one text, kept in step."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_capabilities_match_docs():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "sync_readme.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def _normalise(path: str) -> str:
    path = path.split("?", 1)[0].rstrip("/")
    path = path.removeprefix("/api/v1")
    return re.sub(r"\{[^}]*\}", "{}", path) or "/"


MENTION = re.compile(r"`((?:GET|POST|PUT|PATCH|DELETE)(?:/(?:GET|POST|PUT|PATCH|DELETE))*) (/[^`\s]*)")


def test_the_readme_api_list_is_the_openapi_schema_and_every_operation_named_exists():
    """The generated list holds exactly the schema's operations (the --check above keeps it current);
    every API operation the README or docs/ name (`GET /registry/people/{id}`) is in the schema."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import sync_readme

    schema = sync_readme.openapi_schema()
    known = {(m, _normalise(p)) for _tag, m, p, _what in sync_readme.operations(schema)}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = readme.split(sync_readme.API_START, 1)[1].split(sync_readme.API_END, 1)[0]
    in_list = {(m, _normalise(p)) for m, p in re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`]*)`", listed)}
    assert in_list == known, (sorted(known - in_list)[:10], sorted(in_list - known)[:10])
    not_api = {"/healthz", "/ops/metrics", "/ops/readyz"}  # plain HTTP endpoints beside the API
    problems = []
    for source in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for methods, path in MENTION.findall(source.read_text(encoding="utf-8")):
            head, _sep, last = path.rpartition("/")
            for method in methods.split("/"):
                for one in last.split("|"):  # `POST /aspirations/{id}/acknowledge|answer|reopen`
                    key = (method, _normalise(f"{head}/{one}"))
                    if key not in known and key[1] not in not_api:
                        problems.append(f"{source.name}: {method} {path}")
    assert not problems, "\n".join(sorted(set(problems)))
