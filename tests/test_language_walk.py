"""Every page of every demo persona, and every PDF, read in Indonesian (issue 15 item 5).

The scoping matrix's walk (`tests/test_scoping_matrix.py`: the full demo loaded once for the module,
every parameterless page for every login, the declared detail pages of one login per scope) is read
the way an officer reads it: the visible text of each HTML page, and the text of each PDF (decision
letters, hand-over certificates, cards, certificates, statements, invoices, the monthly report). The
test fails on
- raw codes: snake_case tokens (`birth_date`, `social_security`), Python reprs (`{'status': …}`,
  `['a', 'b']`), `True`/`False`/`None`, ISO dates (2026-11-13) in running text;
- English words from a list of words that do not occur in Indonesian (`the`, `employer`, `verified`…).
Proper names and acronyms are not English words here (the list holds only ordinary English words);
`ALLOWED` names the few places where such a word is a name (a company, a software).
Problems are collected and reported together, each with the page and the surrounding text.
"""

from __future__ import annotations

import html as html_lib
import os
import re

import pytest

from tests import test_scoping_matrix as matrix
from tests.test_scoping_matrix import (
    _client,
    _detail_path,
    _one_per_scope,
    _report,
    _text_of,
    _visible_and_hidden,
    parameterless_pages,
    scoped_declarations,
)

# the scoping matrix's fixtures: the full demo loaded once for this module, its logins
demo = matrix.demo
users = matrix.users

# Words that are English and not Indonesian (nor a loanword Indonesian writes the same way).
ENGLISH = set(
    """
    the and with from this that these those which where when what there their your yours our
    are was were been being has have had does did will would should could must shall
    not yes none true false null of for into onto without within between about above below
    after before until since while during
    employer employee worker workers government recomposed annex
    billing revised decree cards sheet sheets nominated verified approved rejected submitted pending
    closed opened paid unpaid cancelled canceled completed draft archived active inactive registered
    registry amending amended amendment regulation letter letters certificate handover hand-over
    claim claims benefit benefits contribution contributions wage wages income salary
    member members union unions branch branches region regions district regency province
    person people family spouse child children parent parents
    report reports monthly yearly weekly daily quarter quarterly month months year years day days
    week weeks today yesterday tomorrow
    name names date dates amount amounts number count statuses type types
    search filters submit save saved delete deleted edit edited cancel back next previous
    show hide view download upload export import settings setting home dashboard logout login
    password username profile account accounts
    new old open close list details detail summary history action actions record records
    page pages loading error errors warning warnings success failed failure
    training course courses cohort cohorts cooperative cooperatives loan loans savings
    order orders invoice invoices payment payments received sent
    meeting meetings minutes attendance aspiration aspirations complaint complaints
    indicator indicators targets plan plans budget snapshot snapshots frozen live figures
    source sources evidence duplicate duplicates same merged merge
    job jobs queued running done finished started
    default obstacles obstacle commitment handled reported field fields value values label labels
    free shared students student instructor
    """.split()
)

# Names that hold an English word: an event, a product, an occasion's usual name.
ALLOWED_PHRASES = (
    "May Day",
    "e-order",
    "E-order",
    "job fair",
    "Sungai Are",
)  # Sungai Are: a district (16.09.15)
ALLOWED = set()

# Problems that another part of issue 15 removes, by page: (pattern of the excused problem, why). Keep
# this short and remove an entry when its work lands.
ELSEWHERE = {
    "/programs/": (
        re.compile(
            r'"rule"|"value"|Aturan yang tersedia|ktp_province|works_in_region|kpj_wage_ceiling|union_member|age_between|completed_level'
        ),
        "eligibility rules typed as JSON until the programs rule builder (issue 15 item 3) replaces it",
    ),
}

SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
REPR = re.compile(r"[{\[]\s*'[^']*'\s*[:,\]]|\{\s*\"[^\"]*\"\s*:")
PYTHON_WORDS = re.compile(r"\b(True|False|None)\b")
ISO_DATE = re.compile(r"(?<![\d/-])\d{4}-\d{2}-\d{2}(?![\d-])")
# a word stands between non-alphanumerics: letters inside a code such as the tracking code 2WPXMK9J2AND
# are not a word ("AND")
WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]+(?:-[A-Za-z]+)*(?![A-Za-z0-9])")

HIDDEN = re.compile(r"<(script|style|template|noscript|code|pre)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
# attributes a person reads: tooltips, placeholders, labels read aloud, alternatives to images
READ_ATTRS = re.compile(r'\b(?:title|placeholder|aria-label|alt)="([^"]*)"', re.I)


def visible_text(html: str) -> str:
    """The text an officer reads on a page: element text and the attributes shown or read aloud."""
    html = HIDDEN.sub(" ", html)
    attrs = " \n".join(READ_ATTRS.findall(html))
    return html_lib.unescape(TAG.sub("\n", html) + "\n" + attrs)


def _context(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - 40) : end + 40].split())


def language_problems(text: str) -> list[str]:
    """Raw codes and English words in a text, each as 'kind «found» in «context»'."""
    problems = []
    for kind, pattern in (
        ("code", SNAKE),
        ("python repr", REPR),
        ("python value", PYTHON_WORDS),
        ("ISO date", ISO_DATE),
    ):
        for match in pattern.finditer(text):
            problems.append(f"{kind} «{match.group(0)}» in «{_context(text, match.start(), match.end())}»")
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " " * len(phrase))
    for match in WORD.finditer(text):
        word = match.group(0)
        for part in word.lower().split("-"):
            if part in ENGLISH and part not in ALLOWED and word.lower() not in ALLOWED:
                problems.append(f"English «{word}» in «{_context(text, match.start(), match.end())}»")
                break
    return problems


def test_the_reader_finds_what_it_should():
    """The checks themselves: each kind of problem is found, Indonesian text passes."""
    assert language_problems("Sinergi default; obstacles")
    assert language_problems("birth_date: same regency: True")
    assert language_problems("{'status': ['nominated', 'verified']}")
    assert language_problems("tenggat jawaban 2026-11-13")
    assert language_problems("21 cards, 10 per A4 sheet")
    assert not language_problems(
        "Tenggat jawaban 13 November 2026 pukul 08.08 WIB. Kartu peserta BPJS Ketenagakerjaan: "
        "21 kartu, 10 per lembar A4. PP 82/2019 tentang perubahan atas PP 44/2015."
    )
    assert not language_problems("Aspirasi 2WPXMK9J2AND diteruskan")  # a tracking code, not a word
    assert language_problems("Aspirasi and diteruskan")
    assert "Kartu" in visible_text('<p title="Kartu">x</p><script>var the_code = 1;</script>')
    assert "the_code" not in visible_text("<p>x</p><script>var the_code = 1;</script>")


def _fail(problems: list[str], name: str):
    """Report the problems (a full list goes to $LANGUAGE_WALK_DUMP/<name>.txt when that is set)."""
    folder = os.environ.get("LANGUAGE_WALK_DUMP")
    if folder and problems:
        with open(os.path.join(folder, name + ".txt"), "w", encoding="utf-8") as fh:
            fh.write("\n".join(sorted(set(problems))))
    _report(problems)


def _page_problems(client, path: str, where: str, read: set | None = None) -> list[str]:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="id")
    if response.status_code != 200:
        return []
    content_type = response.get("Content-Type", "")
    if "html" in content_type:
        text = visible_text(response.content.decode(errors="replace"))
    elif "pdf" in content_type:
        text = _text_of(response)
        if read is not None and text.strip():
            read.add(path)
    else:
        return []
    excused = ELSEWHERE.get(path)
    return [f"{where} {path}: {p}" for p in language_problems(text) if not (excused and excused[0].search(p))]


@pytest.fixture(autouse=True)
def _indonesian(users):
    for user in users.values():
        if user.preferred_language != "id":
            user.preferred_language = "id"
            user.save(update_fields=["preferred_language"])


def test_every_page_of_every_persona_reads_in_indonesian(users):
    pages = parameterless_pages()
    assert pages
    problems = []
    for username, user in sorted(users.items()):
        client = _client(user)
        for _name, path in pages:
            problems.extend(_page_problems(client, path, username))
    _fail(problems, "pages")


def test_every_detail_page_and_pdf_reads_in_indonesian(users):
    """The declared detail pages (and the PDFs among them) of one login per scope, one object each."""
    problems = []
    pdfs: set[str] = set()
    for username, user in _one_per_scope(users).items():
        client = _client(user)
        cache = {}
        for kind, label, key, model_label, selector, _options in scoped_declarations():
            if kind != "url":
                continue
            if (model_label, selector) not in cache:
                cache[(model_label, selector)] = _visible_and_hidden(model_label, selector, user)[1][:1]
            for pk in cache[(model_label, selector)]:
                built = _detail_path(label, key, pk)
                if built is None or not built[1]:
                    continue
                problems.extend(_page_problems(client, built[0], username, pdfs))
    # the PDFs were read: decision letters, hand-over certificates, cards, invoices …
    kinds = {re.sub(r"\d+", "N", path) for path in pdfs}
    for expected in ("/claims/N/letter.pdf", "/claims/cases/N/handover.pdf", "/programs/cards/N/pdf/"):
        assert expected in kinds, (expected, sorted(kinds))
    assert any("invoice.pdf" in k for k in kinds), sorted(kinds)
    _fail(problems, "details")


def test_the_monthly_report_pdf_reads_in_indonesian(users):
    import io

    from pypdf import PdfReader

    from sinergi.core import clock
    from sinergi.reporting.tasks import render_report_pdf

    today = clock.today()
    month = (today.replace(day=1) - __import__("datetime").timedelta(days=1)).replace(day=1)
    problems = []
    for username in ("kadis.dki", "pimpinan.jember"):
        pdf = render_report_pdf(user=users[username], region="", month=month)
        text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
        assert text.strip()
        problems.extend(f"{username} monthly report: {p}" for p in language_problems(text))
    _fail(problems, "report")
