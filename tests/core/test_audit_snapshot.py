"""Audit snapshots of models with file fields, empty or not."""

import pytest

from sinergi.core.audit import snapshot
from sinergi.core.models import Job

pytestmark = pytest.mark.django_db


def test_snapshot_of_an_empty_file_field_is_an_empty_name():
    job = Job.objects.create(kind="test.kind")
    snap = snapshot(job)
    assert snap["input_file"] == ""
    assert snap["result_file"] == ""


def test_snapshot_of_a_stored_file_field_is_its_name():
    job = Job.objects.create(kind="test.kind", input_file="jobs/input/2026/11/a.csv")
    assert snapshot(job)["input_file"] == "jobs/input/2026/11/a.csv"
