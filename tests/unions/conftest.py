"""Registry tests run background jobs immediately, inside the test (the kernel's intent; pytest-django
loads settings before tests/conftest.py sets SINERGI_TASKS_IMMEDIATE, so make it explicit here)."""

import pytest


@pytest.fixture(autouse=True)
def _immediate_jobs(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
