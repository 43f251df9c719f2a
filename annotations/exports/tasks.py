"""Background tasks (django-tasks): large exports run outside the request."""

from __future__ import annotations

from django_tasks import task


@task()
def export_job_task(job_id: int) -> str:
    from .services import export_job_run

    job = export_job_run(job_id=job_id)
    return job.status
