"""PDFs handed over on paper: worker cards on print-ready A4 sheets, training certificates, cooperative
member statements (WeasyPrint; QR codes with segno).

Card batches are rendered in chunks of `CHUNK` cards (one A4 PDF each, 10 cards per sheet); a batch of
more than one chunk becomes a ZIP of numbered PDFs, rendered by up to two processes in parallel. The
renderer receives plain dicts, never model objects, so no database connection crosses a process.
"""

from __future__ import annotations

import io
import os
import zipfile
from concurrent.futures import ProcessPoolExecutor

from django.template.loader import render_to_string

CHUNK = 1000
CARDS_PER_SHEET = 10


def public_base_url() -> str:
    """Where the QR codes point; set SINERGI_PUBLIC_URL in production (e.g. https://sinergi.jakarta.go.id)."""
    return os.environ.get("SINERGI_PUBLIC_URL", "http://localhost:8000").rstrip("/")


def qr_data_uri(text: str) -> str:
    import segno

    # A fixed mask skips segno's mask evaluation (5× faster, still readable); scaled up in CSS.
    return segno.make(text, error="m", mask=0, micro=False, boost_error=False).png_data_uri(scale=1, border=2)


def _card_context(rows: list[dict], base_url: str) -> dict:
    from sinergi.core.privacy import mask_nik
    from sinergi.programs.services import card_token

    cards = []
    for row in rows:
        token = card_token(row["number"])
        cards.append(
            {
                "number": row["number"],
                "name": row["person__name"],
                "nik": mask_nik(row["person__nik"]),
                "program": row["program__name"],
                "issued_on": row["issued_on"],
                "qr": qr_data_uri(f"{base_url}/programs/v/{token}/"),
            }
        )
    sheets = [cards[i : i + CARDS_PER_SHEET] for i in range(0, len(cards), CARDS_PER_SHEET)]
    return {"sheets": sheets}


def render_cards_pdf(rows: list[dict], base_url: str, language: str = "id") -> bytes:
    from django.utils import translation
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string("programs/pdf/cards.html", _card_context(rows, base_url))
    return HTML(string=html).write_pdf()


def _render_chunk(args) -> bytes:
    rows, base_url, language = args
    return render_cards_pdf(rows, base_url, language)


def render_card_batch(
    rows: list[dict], base_url: str, *, language="id", on_chunk=None, workers: int | None = None
):
    """(filename, bytes, content_type): one PDF for up to CHUNK cards, else a ZIP of chunk PDFs."""
    chunks = [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)] or [[]]
    if len(chunks) == 1:
        pdf = render_cards_pdf(chunks[0], base_url, language)
        if on_chunk:
            on_chunk(len(chunks[0]))
        return "kartu-pekerja.pdf", pdf, "application/pdf"
    workers = workers or min(2, os.cpu_count() or 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as zf:
        jobs = [(chunk, base_url, language) for chunk in chunks]
        if workers > 1:
            import multiprocessing

            from django.db import connections

            connections.close_all()  # children are forked: they must not share a live connection
            with ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("fork")
            ) as pool:
                for i, pdf in enumerate(pool.map(_render_chunk, jobs)):
                    zf.writestr(f"kartu-pekerja-{i + 1:03d}.pdf", pdf)
                    if on_chunk:
                        on_chunk(len(chunks[i]))
        else:
            for i, job in enumerate(jobs):
                zf.writestr(f"kartu-pekerja-{i + 1:03d}.pdf", _render_chunk(job))
                if on_chunk:
                    on_chunk(len(chunks[i]))
    return "kartu-pekerja.zip", buffer.getvalue(), "application/zip"


def render_certificate_pdf(enrolment) -> bytes:
    from weasyprint import HTML

    html = render_to_string("programs/pdf/certificate.html", {"enrolment": enrolment})
    return HTML(string=html).write_pdf()


def render_statement_pdf(member, statement: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("programs/pdf/statement.html", {"member": member, "statement": statement})
    return HTML(string=html).write_pdf()
