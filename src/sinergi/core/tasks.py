"""Background jobs of the shell itself: the audit-log export (XLSX, audited as an export)."""

import io
import json

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook

from sinergi.core.audit import audit_record
from sinergi.core.audit_display import describe
from sinergi.core.exports import safe_cell
from sinergi.core.jobs import job_handler
from sinergi.core.retention import purge
from sinergi.core.selectors import audit_list

# Rows fetched and written per step; progress is reported after each step.
AUDIT_EXPORT_CHUNK = 500
AUDIT_EXPORT_COLUMNS = (
    ("created_at", gettext_noop("Time")),
    ("actor_label", gettext_noop("Actor")),
    ("organisation_id", gettext_noop("Organisation id")),
    ("action", gettext_noop("Action")),
    ("object_type", gettext_noop("Object type")),
    ("object_id", gettext_noop("Object id")),
    ("object_repr", gettext_noop("Object")),
    ("changes", gettext_noop("Changes")),
    ("purpose", gettext_noop("Purpose")),
    ("ip_address", gettext_noop("IP address")),
)


def _cell(value):
    if hasattr(value, "isoformat"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if hasattr(value, "tzinfo") else value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


@job_handler("core.audit_export")
def audit_export(job, progress):
    """Write the audit entries the starter may see, filtered as on the page, to one XLSX sheet."""
    user = job.created_by
    filters = job.params.get("filters", {})
    entries = audit_list(user=user, filters=filters).order_by("created_at", "id")
    total = entries.count()
    progress.set_total(total)
    progress.message(_("Exporting %(n)s audit entries.") % {"n": total})
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="Audit")
    ws.append([_("What happened"), *(_(label) for _field, label in AUDIT_EXPORT_COLUMNS)])
    fields = [f for f, _label in AUDIT_EXPORT_COLUMNS]
    last_id, written = None, 0
    while True:
        chunk = entries if last_id is None else entries.filter(id__gt=last_id)
        batch = list(chunk[:AUDIT_EXPORT_CHUNK])
        if not batch:
            break
        for described in describe(batch):
            entry = described.entry
            ws.append(
                [
                    safe_cell(described.sentence),
                    *(
                        safe_cell(_cell(entry.masked_changes if f == "changes" else getattr(entry, f)))
                        for f in fields
                    ),
                ]
            )
        last_id = batch[-1].id
        written += len(batch)
        progress.advance(len(batch))

    buf = io.BytesIO()
    wb.save(buf)
    name = f"audit-log-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
    job.result_file.save(name, ContentFile(buf.getvalue()), save=False)
    audit_record(
        actor=user,
        action="export",
        obj=job,
        object_repr=name,
        changes={"rows": written, "format": "xlsx", "filters": filters},
        purpose=job.params.get("purpose", ""),
    )
    progress.message(_("Done: %(n)s entries written.") % {"n": written})
    return {"rows": written}


@job_handler("core.retention")
def retention(job, progress):
    """The retention purge as a job, for a scheduler that starts jobs (see core.retention)."""
    report = purge(actor=job.created_by)
    progress.set_total(len(report))
    for line in report:
        progress.message(f"{line['model']}: {line['rows']} / {line['files']}")
        progress.advance(1, 0)
    return {"report": report}
