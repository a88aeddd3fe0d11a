"""A plan as a file to download: written in the request when the plan is short, by a background
task when it is long (CIVICPLAN_EXPORT_INLINE_ROWS), so no visitor's request holds a web worker
for the seconds a long PDF takes. The task's file is kept for that version of the plan and
served to everyone who asks until the plan changes; the older files go."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count, Max
from django.utils import timezone
from django_tasks import task

from civicplan.plandoc.model import PlanDocument
from civicplan.plandoc.writers import write_plan
from civicplan.plans.exporting import current_label, plan_document
from civicplan.plans.models import ExportJob, Plan, PlanVersion
from civicplan.plans.versions import version_document

Status = ExportJob.Status
RETRY_FAILED = timedelta(minutes=10)  # a failed file is tried again when asked for after this


def requested(plan: Plan, format_name: str, version: PlanVersion | None = None) -> ExportJob | None:
    """The file's job for the plan as it is now (or as it stood at `version`), started if it
    is new (or failed long ago); None for a short plan, whose file is written in the request."""
    if version is not None:
        count = len(version.document["activities"])
        key = _VERSION_KEY.format(number=version.number)
    else:
        found = plan.activities.aggregate(count=Count("pk"), latest=Max("modified"))
        count, key = found["count"], _version(plan, **found)
    if count <= settings.CIVICPLAN_EXPORT_INLINE_ROWS:
        return None
    job, created = ExportJob.objects.get_or_create(plan=plan, format=format_name, version=key)
    failed_long_ago = job.finished is not None and job.finished < timezone.now() - RETRY_FAILED
    retry = job.status == Status.FAILED and failed_long_ago
    if retry and ExportJob.objects.filter(pk=job.pk, status=Status.FAILED).update(
        status=Status.QUEUED, error=""
    ):
        job.status = Status.QUEUED
    if created or retry:
        write_export.enqueue(job.pk)
    return job


# A published version's file: its rows never change, so it is written once and kept.
_VERSION_KEY = "published-v{number}"


def document_of(job: ExportJob) -> PlanDocument:
    """What the job's file holds: the plan now, or the published version its key names."""
    if job.version.startswith(_VERSION_KEY.split("{", 1)[0]):
        number = int(job.version.rsplit("v", 1)[1])
        return version_document(job.plan.versions.get(number=number))
    return plan_document(job.plan)


def _version(plan: Plan, count: int, latest: datetime | None) -> str:
    """What changes whenever the file would: the rows' number and latest change, the plan's
    title, notes, status and version."""
    changed = latest.isoformat() if latest else "-"
    label = str(current_label(plan) or "")
    text = json.dumps([count, changed, plan.title, plan.notes, plan.status, label])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@task()
def write_export(job_id: int) -> None:
    """Write the file; the plan's older files of this format are removed once it is there."""
    claimed = ExportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.WRITING
    )
    if not claimed:
        return
    job = ExportJob.objects.select_related("plan").get(pk=job_id)
    try:
        content = write_plan(document_of(job), job.format)
    except Exception as error:  # the job's failure, said on its page; raised for the log
        ExportJob.objects.filter(pk=job_id).update(
            status=Status.FAILED, error=str(error)[:2000], finished=timezone.now()
        )
        raise
    default_storage.delete(job.path)
    default_storage.save(job.path, ContentFile(content))
    ExportJob.objects.filter(pk=job_id).update(status=Status.DONE, finished=timezone.now())
    if job.version.startswith(_VERSION_KEY.split("{", 1)[0]):
        return  # a published version's file is never replaced
    older_versions = ExportJob.objects.filter(
        plan=job.plan, format=job.format, pk__lt=job_id
    ).exclude(version__startswith=_VERSION_KEY.split("{", 1)[0])
    for older in older_versions:  # a newer version being written meanwhile stays
        default_storage.delete(older.path)
        older.delete()
