"""Issue #15: every POST and GET parameter is parsed by a Django form (or a ninja schema in the API), so
a bad value is a message on the field, never a 500 or a silently ignored value.

The source is read (AST) for hand-parsing of `request.POST` / `request.GET`: subscripts
(`request.POST["x"]`), `.get(…)`, `.getlist(…)`, `.items()`, `.dict()`, `.keys()`, `.values()`, `.lists()`
Handing the whole QueryDict to a form (`Form(request.POST or None)`), `request.GET.urlencode()` (to
carry filters into page links), asking which form of a page was sent (`"revoke" in request.POST`, a
presence test that parses no value) and the page number given to `Paginator.get_page` (which turns
any junk into the first or last page) are the intended uses and pass."""

import ast
from collections import Counter
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "sinergi"
PARSING = {"get", "getlist", "items", "dict", "keys", "values", "lists", "__getitem__"}


def _is_querydict(node) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr in ("POST", "GET")
        and isinstance(node.value, ast.Name)
        and node.value.id in ("request", "req")
    )


def _page_numbers(tree) -> set[int]:
    """`request.GET.get("page")` handed straight to `….get_page(…)`."""
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_page"
        ):
            for arg in node.args:
                if (
                    isinstance(arg, ast.Call)
                    and isinstance(arg.func, ast.Attribute)
                    and arg.func.attr == "get"
                    and _is_querydict(arg.func.value)
                    and [a.value for a in arg.args if isinstance(a, ast.Constant)] == ["page"]
                ):
                    found.add(id(arg.func))
    return found


def hand_parsing(tree) -> list[int]:
    lines = []
    page_numbers = _page_numbers(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_querydict(node.value):
            lines.append(node.lineno)
        elif isinstance(node, ast.Attribute) and node.attr in PARSING and _is_querydict(node.value):
            if id(node) not in page_numbers:
                lines.append(node.lineno)
    return sorted(lines)


def _findings() -> Counter:
    found = Counter()
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line in hand_parsing(ast.parse(path.read_text(encoding="utf-8"))):
            found[f"{path.relative_to(SRC)}:{line}"] += 1
    return found


def test_the_detector_finds_hand_parsing_and_lets_forms_through():
    bad = ast.parse(
        "def v(request):\n"
        "    a = request.POST['x']\n"
        "    b = request.GET.get('y')\n"
        "    c = request.POST.getlist('z')\n"
        "    d = int(request.GET.get('page'))\n"
    )
    assert hand_parsing(bad) == [2, 3, 4, 5]
    good = ast.parse(
        "def v(request):\n"
        "    form = F(request.POST or None, request.FILES or None)\n"
        "    f = Filters(request.GET)\n"
        "    q = request.GET.urlencode()\n"
        "    p = Paginator(qs, 25).get_page(request.GET.get('page'))\n"
        "    r = 'revoke' in request.POST\n"
    )
    assert hand_parsing(good) == []


def test_no_view_parses_request_parameters_by_hand():
    found = _findings()
    assert not found, "parse these through a form: " + ", ".join(sorted(found))
