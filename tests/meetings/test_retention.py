"""Issue 12 item 7: files attached to meeting minutes are kept SINERGI_RETENTION_MINUTES_DAYS, then
deleted from storage by the retention clean-up; the row stays, marked, and the deletion is audited."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from sinergi.core import clock
from sinergi.core.models import AuditEntry
from sinergi.meetings import services
from sinergi.meetings.models import MinutesAttachment
from tests.meetings.test_meetings import make_meeting

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _minutes_with_file(world, name, age_days):
    meeting = make_meeting(world, status="planned")
    services.meeting_record(
        actor=world.ss_officer,
        meeting=meeting,
        minutes="Notulen.",
        attachments=[SimpleUploadedFile(name, PDF, content_type="application/pdf")],
    )
    att = MinutesAttachment.objects.get(meeting=meeting)
    MinutesAttachment.objects.filter(pk=att.pk).update(uploaded_at=clock.now() - dt.timedelta(days=age_days))
    att.refresh_from_db()
    return att


def test_minutes_files_older_than_the_period_are_deleted_and_marked_newer_ones_kept(
    world, settings, client, django_capture_on_commit_callbacks
):
    settings.SINERGI_RETENTION_MINUTES_DAYS = 365
    old = _minutes_with_file(world, "notulen-lama.pdf", 400)
    new = _minutes_with_file(world, "notulen-baru.pdf", 300)
    storage, old_name, new_name = old.file.storage, old.file.name, new.file.name
    assert storage.exists(old_name) and storage.exists(new_name)

    call_command("retention_purge", "--dry-run", stdout=io.StringIO())
    old.refresh_from_db()
    assert old.file.name == old_name and old.purged_at is None  # a dry run deletes nothing

    with django_capture_on_commit_callbacks(execute=True):  # files go after the rows' commit
        call_command("retention_purge", stdout=io.StringIO())
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.file.name, old.purged_at is not None, old.name) == ("", True, "notulen-lama.pdf")
    assert not storage.exists(old_name)
    assert new.file.name == new_name and new.purged_at is None and storage.exists(new_name)
    entry = AuditEntry.objects.get(purpose="retention", object_type="meetings.minutesattachment")
    assert entry.changes["rows"] == 1 and entry.changes["files"] == 1

    # the minutes still list the file, without a link; its old link says it is gone (no error)
    client.force_login(world.ss_officer)
    page = client.get(f"/meetings/{old.meeting_id}/").content.decode()
    assert "notulen-lama.pdf" in page and 'data-testid="attachment-purged"' in page
    assert f"/meetings/attachments/{old.pk}/" not in page
    assert client.get(f"/meetings/attachments/{old.pk}/").status_code == 410
    assert client.get(f"/meetings/attachments/{new.pk}/").status_code == 200

    call_command("retention_purge", stdout=io.StringIO())  # again: nothing more, nothing audited
    assert (
        AuditEntry.objects.filter(purpose="retention", object_type="meetings.minutesattachment").count() == 1
    )


def test_the_minutes_period_is_its_own_setting(world, settings):
    from sinergi.core.retention import purge

    settings.SINERGI_RETENTION_MINUTES_DAYS = 30
    settings.SINERGI_RETENTION_DOCUMENT_DAYS = 10_000
    att = _minutes_with_file(world, "notulen.pdf", 31)
    report = {line["model"]: line for line in purge()}
    assert report["meetings.MinutesAttachment"]["rows"] == 1
    att.refresh_from_db()
    assert att.file.name == "" and att.purged_at is not None
