"""Printing the 2020 target of Kartu Pekerja Jakarta (23,000 cards) into print-ready A4 PDF sheets through
the real background-job handler (QR codes with signed tokens, drawn into PDF with pydyf, 10 cards per
sheet, all in one PDF), against rendering 1,000 cards directly (which includes building the QR tables once)."""

import datetime as dt

from bench.benchmarks.eligibility import _insert, kpj_program, load_registry

DEFAULT_SIZE = 23_000


def run(bench, size):
    import os

    bench.note("load average at start (2 cores, shared)", round(os.getloadavg()[0], 1))
    from sinergi.accounts.models import User
    from sinergi.core.jobs import job_execute
    from sinergi.core.models import Job
    from sinergi.programs import printing, selectors
    from sinergi.programs.models import Application, Card
    from sinergi.registry.models import Person

    load_registry(size)
    program = kpj_program(2020)
    user = User.objects.create(username="bench.officer", role="agency_officer", organisation=program.owner)
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:size])
    _insert(
        Application,
        ["program_id", "person_id", "status", "nominated_by_id"],
        ((program.pk, p, "approved", user.pk) for p in people),
    )
    apps = list(Application.objects.filter(program=program).order_by("pk").values_list("pk", "person_id"))
    _insert(
        Card,
        ["program_id", "application_id", "person_id", "number", "status", "issued_on", "issued_by_id"],
        (
            (program.pk, a, p, f"KPJ2020-{i + 1:07d}", "active", dt.date(2020, 5, 1), user.pk)
            for i, (a, p) in enumerate(apps)
        ),
    )
    rows = selectors.card_print_rows(Card.objects.values_list("pk", flat=True)[: printing.CHUNK])
    bench.time(
        "1,000 cards rendered directly (baseline)",
        lambda: printing.render_cards_pdf(rows, "https://sinergi.example"),
        rows=len(rows),
    )
    job = Job.objects.create(
        kind="programs.print_cards",
        params={"program": program.pk, "base_url": "https://sinergi.example"},
        created_by=user,
    )
    secs = bench.time(
        f"{size:,} cards via the print job (one PDF)",
        lambda: job_execute(job),
        rows=size,
        baseline="1,000 cards rendered directly (baseline)",
    )
    job.refresh_from_db()
    bench.note("job status", job.status)
    bench.note("done/total", f"{job.done}/{job.total}")
    with open(job.result_file.path, "rb") as out:
        data = out.read()
    ok = data[:4] == b"%PDF" and data.rstrip().endswith(b"%%EOF")
    bench.note("PDF MB", round(len(data) / 1e6, 1))
    bench.note("A4 sheets", -(-size // 10))
    bench.goal("valid PDF output, done = total", ok and job.status == "succeeded" and job.done == size)
    bench.goal(
        f"{size:,} cards printed in ≤ 60 s (23,000-card goal, extrapolated)", secs * 23_000 / size <= 60
    )
