"""Background jobs of the shell itself: the audit-log export (XLSX, audited as an export)."""

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from sinergi.core.audit import audit_record
from sinergi.core.exports import safe_cell
from sinergi.core.jobs import job_handler
from sinergi.core.privacy import mask_changes

# Rows fetched and written per step; progress is reported after each step.
AUDIT_EXPORT_CHUNK = 500
AUDIT_EXPORT_COLUMNS = (
    ("created_at", "Time"),
    ("actor_label", "Actor"),
    ("organisation_id", "Organisation id"),
    ("action", "Action"),
    ("object_type", "Object type"),
    ("object_id", "Object id"),
    ("object_repr", "Object"),
    ("changes", "Changes"),
    ("purpose", "Purpose"),
    ("ip_address", "IP address"),
)


def _cell(value):
    if hasattr(value, "isoformat"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if hasattr(value, "tzinfo") else value
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return value


@job_handler("core.audit_export")
def audit_export(job, progress):
    """Write the audit entries the starter may see, filtered as on the page, to one XLSX sheet."""
    from sinergi.core.selectors import audit_list

    user = job.created_by
    filters = job.params.get("filters", {})
    entries = audit_list(user=user, filters=filters).order_by("created_at", "id")
    total = entries.count()
    progress.set_total(total)
    progress.message(_("Exporting %(n)s audit entries.") % {"n": total})
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="Audit")
    ws.append([str(label) for _field, label in AUDIT_EXPORT_COLUMNS])
    fields = [f for f, _label in AUDIT_EXPORT_COLUMNS]
    last_id, written = None, 0
    while True:
        chunk = entries if last_id is None else entries.filter(id__gt=last_id)
        rows = list(chunk.values_list("id", *fields)[:AUDIT_EXPORT_CHUNK])
        if not rows:
            break
        for row in rows:
            ws.append(
                [
                    safe_cell(_cell(mask_changes(v) if f == "changes" else v))
                    for f, v in zip(fields, row[1:], strict=True)
                ]
            )
        last_id = rows[-1][0]
        written += len(rows)
        progress.advance(len(rows))
    import io

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
    from sinergi.core.retention import purge

    report = purge(actor=job.created_by)
    progress.set_total(len(report))
    for line in report:
        progress.message(f"{line['model']}: {line['rows']} / {line['files']}")
        progress.advance(1, 0)
    return {"report": report}
