"""The in-process job worker for embedded mode: django-tasks-db's worker loop in a daemon thread."""

import threading

from django.utils.crypto import get_random_string


def start_worker_thread(interval: float = 0.5) -> threading.Thread:
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"inproc-{get_random_string(8)}",
        excluded_queue_names=[],
    )
    thread = threading.Thread(target=worker.run, name="sinergi-job-worker", daemon=True)
    thread.start()
    thread.worker = worker
    return thread
