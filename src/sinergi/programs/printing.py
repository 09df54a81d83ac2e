"""PDFs handed over on paper: worker cards on print-ready A4 sheets (drawn directly with pydyf, see
`render_cards_pdf`), training certificates and cooperative member statements (WeasyPrint templates);
QR codes with segno (`qrfast` for batches).

A batch of any size becomes one PDF of A4 sheets, 10 cards per sheet (23,000 cards: 2,300 pages, about
7 MB); the renderer takes plain dicts, never model objects.
"""

from __future__ import annotations

import io
import os

from django.template.loader import render_to_string

from sinergi.core.privacy import mask_nik
from sinergi.core.templatetags.sinergi import idate
from sinergi.programs import qrfast
from sinergi.programs.services import card_token

CHUNK = 1000
CARDS_PER_SHEET = 10


def public_base_url() -> str:
    """Where the QR codes point; set SINERGI_PUBLIC_URL in production (e.g. https://sinergi.jakarta.go.id)."""
    return os.environ.get("SINERGI_PUBLIC_URL", "http://localhost:8000").rstrip("/")


# Geometry in PDF points (1 mm = 72 / 25.4 pt): A4 portrait, ID-1 cards (85.6 × 54 mm), 2 × 5 per sheet.
MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
CARD_W, CARD_H = 85.6 * MM, 54 * MM
LEFT, TOP, GAP_X, GAP_Y = 17 * MM, 10 * MM, 4.8 * MM, 3 * MM
QR_SIZE = 24 * MM
GREEN = (0.043, 0.431, 0.31)


def _pdf_text(value: str) -> bytes:
    """A PDF string literal in WinAnsi (the standard Helvetica fonts need no embedding)."""
    raw = str(value).encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _card_lines(row: dict) -> dict:
    from django.utils.translation import gettext as _

    return {
        "title": "KARTU PEKERJA JAKARTA",
        "program": row["program__name"],
        "name": row["person__name"],
        "nik": f"NIK {mask_nik(row['person__nik'])}",
        "number": f"{_('Card no.')} {row['number']}",
        "issued": f"{_('Issued')} {idate(row['issued_on'])}",
    }


def render_cards_pdf(rows: list[dict], base_url: str, language: str = "id", on_progress=None) -> bytes:
    """Print-ready A4 sheets of cards, drawn straight into PDF (pydyf, WeasyPrint's PDF writer).

    Cards are one fixed layout repeated thousands of times, so laying them out as HTML costs ~10×
    more for nothing: text in the standard Helvetica fonts, the QR code as a 1-byte-per-module inline
    image (1 bit per module, from `qrfast`), dashed cutting guides. Certificates and statements stay
    WeasyPrint templates.
    """
    import pydyf
    from django.utils import translation

    pdf = pydyf.PDF()
    fonts = {}
    for key, base in (("F1", "/Helvetica"), ("F2", "/Helvetica-Bold")):
        font = pydyf.Dictionary(
            {"Type": "/Font", "Subtype": "/Type1", "BaseFont": base, "Encoding": "/WinAnsiEncoding"}
        )
        pdf.add_object(font)
        fonts[key] = font.reference
    resources = pydyf.Dictionary({"Font": pydyf.Dictionary(fonts)})
    pdf.add_object(resources)
    cards = []
    with translation.override(language):
        for first in range(0, len(rows), CHUNK):
            chunk = rows[first : first + CHUNK]
            cards += [
                (_card_lines(r), qrfast.qr_image_bytes(f"{base_url}/programs/v/{card_token(r['number'])}/"))
                for r in chunk
            ]
            if on_progress:
                on_progress(len(chunk))
    for start in range(0, max(len(cards), 1), CARDS_PER_SHEET):
        stream = pydyf.Stream(compress=True)
        stream.set_line_width(0.4)
        stream.set_dash([3, 2], 0)
        stream.set_color_rgb(0.6, 0.6, 0.6, stroke=True)
        for k, (lines, matrix) in enumerate(cards[start : start + CARDS_PER_SHEET]):
            x = LEFT + (k % 2) * (CARD_W + GAP_X)
            y = PAGE_H - TOP - (k // 2 + 1) * CARD_H - (k // 2) * GAP_Y
            stream.rectangle(x, y, CARD_W, CARD_H)
            stream.stroke()
            stream.begin_text()
            stream.set_color_rgb(*GREEN)
            stream.set_font_size("F2", 10)
            stream.set_text_matrix(1, 0, 0, 1, x + 4 * MM, y + CARD_H - 8 * MM)
            stream.show_text(_pdf_text(lines["title"]))
            stream.set_color_rgb(0, 0, 0)
            stream.set_font_size("F1", 7)
            stream.set_text_matrix(1, 0, 0, 1, x + 4 * MM, y + CARD_H - 12 * MM)
            stream.show_text(_pdf_text(lines["program"]))
            stream.set_font_size("F2", 9)
            stream.set_text_matrix(1, 0, 0, 1, x + 4 * MM, y + CARD_H - 22 * MM)
            stream.show_text(_pdf_text(lines["name"][:34]))
            stream.set_font_size("F1", 7.5)
            for n, key in enumerate(("nik", "number", "issued")):
                stream.set_text_matrix(1, 0, 0, 1, x + 4 * MM, y + CARD_H - (27 + 4.5 * n) * MM)
                stream.show_text(_pdf_text(lines[key]))
            stream.end_text()
            pixels, size = matrix
            stream.push_state()
            stream.set_matrix(QR_SIZE, 0, 0, QR_SIZE, x + CARD_W - QR_SIZE - 3 * MM, y + 3 * MM)
            stream.inline_image(size, size, "Gray", 1, pixels)
            stream.pop_state()
        pdf.add_object(stream)
        page = pydyf.Dictionary(
            {
                "Type": "/Page",
                "Parent": pdf.pages.reference,
                "MediaBox": pydyf.Array([0, 0, PAGE_W, PAGE_H]),
                "Contents": stream.reference,
                "Resources": resources.reference,
            }
        )
        pdf.add_page(page)
    out = io.BytesIO()
    pdf.write(out, compress=True)
    return out.getvalue()


def render_card_batch(rows: list[dict], base_url: str, *, language="id", on_chunk=None):
    """(filename, bytes, content_type): every card in one print-ready PDF, progress per CHUNK cards."""
    pdf = render_cards_pdf(rows, base_url, language, on_progress=on_chunk)
    return "kartu-pekerja.pdf", pdf, "application/pdf"


def render_certificate_pdf(enrolment) -> bytes:
    from weasyprint import HTML

    html = render_to_string("programs/pdf/certificate.html", {"enrolment": enrolment})
    return HTML(string=html).write_pdf()


def render_statement_pdf(member, statement: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("programs/pdf/statement.html", {"member": member, "statement": statement})
    return HTML(string=html).write_pdf()
