"""Background work of the programs app: printing a batch of worker cards (thousands at a time)."""

from django.core.files.base import ContentFile
from django.utils.translation import ngettext

from sinergi.core.audit import audit_record
from sinergi.core.jobs import job_handler
from sinergi.programs import printing, selectors
from sinergi.programs.models import Card


@job_handler("programs.print_cards")
def print_cards(job, progress):
    """params: card_ids (list) or program + status filter; base_url for the QR codes; language."""
    params = job.params
    if params.get("card_ids"):
        ids = list(params["card_ids"])
    else:
        ids = list(
            Card.objects.filter(program_id=params["program"], status=Card.Status.ACTIVE)
            .filter(**({"handed_over_on__isnull": True} if params.get("not_handed_over") else {}))
            .values_list("pk", flat=True)
        )
    rows = selectors.card_print_rows(ids)
    progress.set_total(len(rows))
    progress.message(
        ngettext("%(n)s card, %(per)s per A4 sheet.", "%(n)s cards, %(per)s per A4 sheet.", len(rows))
        % {"n": len(rows), "per": printing.CARDS_PER_SHEET}
    )
    name, data, _content_type = printing.render_card_batch(
        rows,
        params.get("base_url") or printing.public_base_url(),
        language=params.get("language", "id"),
        on_chunk=lambda n: progress.advance(n),
    )
    job.result_file.save(name, ContentFile(data), save=False)
    audit_record(
        actor=job.created_by,
        action="export",
        object_type="programs.card",
        object_id=str(params.get("program", "")),
        object_repr=f"{len(rows)} cards",
        changes={"cards": len(rows), "file": name},
        purpose="print worker cards",
    )
    return {"cards": len(rows), "file": name}
