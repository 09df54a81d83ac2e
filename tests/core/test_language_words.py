"""Small pieces that turn stored codes into words (issue 15): the `choice` filter, audit purposes and
labels, a rule's uncovered date, duplicate evidence."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation


def test_the_choice_filter_shows_a_stored_status_by_its_label():
    template = Template(
        '{{ s|choice:"programs.Application.status" }}|{{ x|choice:"programs.Application.status" }}'
    )
    with translation.override("id"):
        text = template.render(Context({"s": "nominated", "x": "unknown_code"}))
    label, unknown = text.split("|")
    assert label and label != "nominated" and "_" not in label
    assert unknown == "unknown_code"  # a value the field does not list is shown as it is


def test_audit_purposes_and_labels_are_words():
    from sinergi.core.audit_display import _label, purpose_text

    with translation.override("id"):
        assert purpose_text("freeze") == "pembekuan akhir periode"
        assert purpose_text("budget year 2023 ended") == "tahun anggaran 2023 berakhir"
        assert purpose_text("Sudah ditindaklanjuti.") == "Sudah ditindaklanjuti."
        assert _label(None, "approved_by") == "disetujui oleh"


def test_a_date_no_rule_covers_names_the_earliest_supported():
    from sinergi.core.rule_errors import rule_error
    from sinergi.rules.tables import RuleError

    err = RuleError(
        "no_rule_for_date", "x", "y", field="date", name="JKM (PU)", day=dt.date(2010, 3, 1).isoformat()
    )
    with translation.override("id"):
        error = rule_error(err, field_names={"date": "month"}, monthly=True)
    assert error.field == "month"
    assert "Maret 2010" in str(error) and "Juli 2015" in str(error) and "2010-03-01" not in str(error)


@pytest.mark.django_db
def test_duplicate_evidence_reads_as_words():
    from sinergi.registry.models import DuplicateCandidate

    candidate = DuplicateCandidate(
        evidence={"name": 0.93, "birth_date": "day/month swapped", "regency": True, "phone": False}
    )
    with translation.override("id"):
        items = dict(candidate.evidence_items)
    assert items == {
        "kemiripan nama": "0,93",
        "tanggal lahir": "tanggal dan bulan tertukar",
        "kabupaten/kota sama": "ya",
        "telepon sama": "tidak",
    }
