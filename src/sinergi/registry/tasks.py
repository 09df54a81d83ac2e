"""Background jobs of the registry: member-list import (validate / commit) and duplicate detection."""

from __future__ import annotations

import polars as pl
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from sinergi.accounts.models import User
from sinergi.accounts.roles import can
from sinergi.core.jobs import job_handler
from sinergi.core.privacy import mask_nik
from sinergi.registry import importer, services
from sinergi.registry.duplicates import find_and_store
from sinergi.registry.import_checks import EmployerLookup, norm_header
from sinergi.unions.models import UnionBody

REPORT_PREVIEW_ROWS = 500


def import_run(job, progress) -> dict:
    """params: mode ("validate" | "commit"), body_id, strict, language, filename, actor_id, and the
    official's corrections from the preview: mapping (grid column -> field), header_row."""
    params = job.params
    language = params.get("language") or "id"
    mode = params.get("mode", "validate")
    filename = params.get("filename") or job.input_file.name.rsplit("/", 1)[-1]
    body = UnionBody.objects.filter(pk=params["body_id"]).first() if params.get("body_id") else None
    actor = User.objects.filter(pk=params.get("actor_id")).first() or job.created_by
    reveal = bool(actor and can(actor, "reveal_nik"))
    with translation.override(language):
        with job.input_file.open("rb") as fh:
            data = fh.read()
        progress.message(translation.gettext("Reading the file …"))
        try:
            frame = importer.read_table(data, filename)
            del data
            result = importer.validate(
                frame,
                body=body,
                language=language,
                mapping=params.get("mapping") or None,
                header_row=params.get("header_row") or None,
                reveal=reveal,
                employers=EmployerLookup.for_user(actor) if actor else None,
            )
        except importer.ImportFileError as exc:  # the job records str(exc): fix it in the job's language
            raise importer.ImportFileError(str(exc.message), code=exc.code, field=exc.field)
        rejected, valid = result.rejected, result.valid
        progress.set_total(result.total)
        if not reveal:  # the uploading union official sees NIKs masked, in the page, the API and the XLSX
            rejected = rejected.with_columns(
                pl.col("nik").map_elements(mask_nik, return_dtype=pl.String, skip_nulls=True)
            )
        summary = {
            "mode": mode,
            "filename": filename,
            "body_id": body.pk if body else None,
            "total": result.total,
            "valid": valid.height,
            "rejected": rejected.height,
            "skipped": result.skipped.height,
            "header_row": result.layout.header_row,
            "columns": result.mapping,
            "column_preview": result.columns(),
            "mapping": result.layout.mapping,
            "ignored_columns": result.ignored,
            "rejected_preview": rejected.head(REPORT_PREVIEW_ROWS).to_dicts(),
            "skipped_preview": result.skipped.head(REPORT_PREVIEW_ROWS).to_dicts(),
            "nik_masked": not reveal,
            "next_url": reverse("registry:import_detail", args=[job.pk]),
            "committed": False,
        }
        if rejected.height or result.skipped.height:
            job.result_file.save(
                f"laporan-impor-{job.pk}.xlsx",
                ContentFile(importer.report_xlsx(rejected, result.skipped, language=language)),
                save=False,
            )
        if mode == "commit":
            if params.get("strict") and rejected.height:
                progress.message(
                    translation.gettext(
                        "Rows were rejected and the import is all-or-nothing: nothing was written."
                    )
                )
                progress.set(done=0, failed=result.total)
                summary["nothing_written_reason"] = "strict"
                return summary
            progress.message(translation.gettext("Writing the valid rows in one transaction …"))
            written = importer.commit(valid, body=body, actor=actor, filename=filename, progress=progress)
            if body is not None:
                services.import_mapping_remember(
                    actor=actor,
                    body=body,
                    mapping={
                        norm_header(result.layout.headers[c]): key for c, key in result.layout.mapping.items()
                    },
                )
            summary["committed"] = True
            summary["written"] = written.as_dict()
            progress.message(
                translation.gettext(
                    "Written: %(created)s new people, %(updated)s updated, %(members)s new memberships."
                )
                % {
                    "created": written.people_created,
                    "updated": written.people_updated,
                    "members": written.memberships_created,
                }
            )
        progress.set(done=valid.height, failed=rejected.height)
    return summary


job_handler("registry.import")(import_run)


@job_handler("registry.duplicates")
def duplicates_run(job, progress) -> dict:

    stats = find_and_store(progress=progress, region_prefix=job.params.get("region") or "")
    stats["next_url"] = reverse("registry:duplicate_list")
    return stats
