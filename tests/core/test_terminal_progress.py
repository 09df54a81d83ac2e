"""The command-line progress bar drawn from a job's counts."""

import io

from sinergi.core.jobs import terminal_progress
from sinergi.core.models import Job


def test_the_bar_fills_with_the_counts_and_ends_with_the_status():
    stream = io.StringIO()
    draw = terminal_progress(stream, width=10)
    job = Job(kind="x", total=200, done=50, failed=0, status=Job.Status.RUNNING)
    draw(job)
    assert "[##........] 50/200 25%" in stream.getvalue()
    job.done, job.failed, job.status = 190, 10, Job.Status.SUCCEEDED
    draw(job)
    tail = stream.getvalue().rsplit("\r", 1)[1]
    assert tail.startswith("[##########] 200/200 100%, 10 failed")
    assert tail.endswith("\n")
