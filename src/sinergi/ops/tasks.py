"""The deployment probe job: proves a worker runs jobs, in one transaction, exactly once.

`sinergi deploy-check --probe` (and the deployment test, which kills the worker in the middle)
start it. It writes `rows` ProbeRows in ONE transaction, pausing `pause` seconds between rows; a
killed attempt leaves no row (the database rolls it back) and the retry writes all of them once.
"""

import time

from django.db import transaction

from sinergi.core.jobs import job_handler, worker_id
from sinergi.ops.models import ProbeRow


@job_handler("ops.probe")
def probe_job(job, progress):
    rows = int(job.params.get("rows", 3))
    pause = float(job.params.get("pause", 0))
    progress.set_total(rows)
    with transaction.atomic():
        for seq in range(rows):
            ProbeRow.objects.create(job=job, seq=seq, written_by=worker_id())
            progress.message(f"row {seq + 1} of {rows}")
            progress.advance()
            if pause:
                time.sleep(pause)
    progress.touch(f"{rows} probe rows")
    return {"rows": rows}
