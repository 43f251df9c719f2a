"""Writes of the export machinery: export files, background export jobs."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from corpus.events import event_send

from ..models import ExportJob, ExportJobStatus
from .bundle import target_for
from .dataset import CHUNK_SIZE
from .pipeline import FORMATS, export_steps, run
from .selection import ExportOptions


def export_write(
    *, fmt: str, options: ExportOptions, output: str | Path, chunk_size: int = CHUNK_SIZE, progress=None
) -> dict:
    """Write an export to ``output`` (a file, a folder or a .zip); return its manifest."""
    if fmt not in FORMATS:
        raise ValidationError({"format": f"{fmt!r} is not one of {', '.join(sorted(FORMATS))}."})
    target = target_for(output, tabular=FORMATS[fmt].TABULAR)
    steps = export_steps(fmt=fmt, options=options, target=target, chunk_size=chunk_size, halves=True)
    return run(steps, progress)


def options_from_job(job: ExportJob) -> ExportOptions:
    data = dict(job.filters)
    return ExportOptions(
        filters=data.get("filters", {}),
        include_drafts=bool(data.get("include_drafts")),
        include_orphans=bool(data.get("include_orphans")),
        text=data.get("text", "full"),
        anonymize_authors=bool(data.get("anonymize_authors")),
        layers=data.get("layers", "curated"),
    )


def job_file_name(fmt: str) -> str:
    """Tables come as a zip; the text formats as a zip too, with their companions and manifest."""
    return f"newsdesk-{fmt}.zip"


@transaction.atomic
def export_job_create(*, fmt: str, options: ExportOptions, user) -> ExportJob:
    """Record an export job and queue its task once the record is committed."""
    if fmt not in FORMATS:
        raise ValidationError({"format": f"{fmt!r} is not one of {', '.join(sorted(FORMATS))}."})
    job = ExportJob(format=fmt, filters=options.as_dict(), requested_by=user)
    job.full_clean()
    job.save()
    from .tasks import export_job_task

    def enqueue():
        result = export_job_task.enqueue(job_id=job.pk)
        ExportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)
    return job


def export_job_run(*, job_id: int) -> ExportJob:
    """Run a queued job: the export goes to EXPORTS_DIR/<job id>/ and the job records the outcome."""
    job = ExportJob.objects.get(pk=job_id)
    if job.status == ExportJobStatus.DONE:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJobStatus.RUNNING)
    folder = Path(settings.EXPORTS_DIR) / str(job.pk)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    relative = f"{job.pk}/{job_file_name(job.format)}"
    try:
        manifest = export_write(
            fmt=job.format, options=options_from_job(job), output=Path(settings.EXPORTS_DIR) / relative
        )
    except Exception as exc:  # the job must say it failed, whatever the cause; the task logs the traceback
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJobStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        event_send(name="export.finished", ids=[job.pk])
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJobStatus.DONE, result=relative, manifest=manifest, error="", finished_at=timezone.now()
    )
    event_send(name="export.finished", ids=[job.pk])
    job.refresh_from_db()
    return job


def export_job_path(job: ExportJob) -> Path | None:
    if job.status != ExportJobStatus.DONE or not job.result:
        return None
    path = (Path(settings.EXPORTS_DIR) / job.result).resolve()
    if not path.is_relative_to(Path(settings.EXPORTS_DIR).resolve()) or not path.is_file():
        return None
    return path
