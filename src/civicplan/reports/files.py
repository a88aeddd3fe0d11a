"""The annual report as a file to download: written in the request for a short plan, by a
background task for a long one (CIVICPLAN_EXPORT_INLINE_ROWS, as the plan's own files), so no
request holds a web worker for the seconds a long year's PDF takes. A written file is served
until the data changes (the audit log's latest event) or the day does (what "awaiting a
report" means moves with it); the older files of the same report go."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import task

from civicplan.common import dates
from civicplan.common.pagecache import data_version
from civicplan.plans.models import Plan
from civicplan.reports.documents import write_report
from civicplan.reports.models import ReportFile

Status = ReportFile.Status
RETRY_FAILED = timedelta(minutes=10)  # a failed file is tried again when asked for after this


def requested(plan: Plan, period: str, format_name: str) -> ReportFile | None:
    """The file's job for the data as it is now, started if it is new (or failed long ago);
    None for a short plan, whose report is written in the request."""
    if plan.activities.count() <= settings.CIVICPLAN_EXPORT_INLINE_ROWS:
        return None
    state = f"{data_version()}|{dates.today().isoformat()}"
    version = hashlib.sha256(state.encode()).hexdigest()[:32]
    job, created = ReportFile.objects.get_or_create(
        plan=plan, period=period, format=format_name, version=version
    )
    failed_long_ago = job.finished is not None and job.finished < timezone.now() - RETRY_FAILED
    retry = job.status == Status.FAILED and failed_long_ago
    if retry and ReportFile.objects.filter(pk=job.pk, status=Status.FAILED).update(
        status=Status.QUEUED, error=""
    ):
        job.status = Status.QUEUED
    if created or retry:
        write_report_file.enqueue(job.pk)
    return job


@task()
def write_report_file(job_id: int) -> None:
    """Write the report; the older files of the same plan, period and format go once it is
    there."""
    claimed = ReportFile.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.WRITING
    )
    if not claimed:
        return
    job = ReportFile.objects.select_related("plan").get(pk=job_id)
    try:
        content = write_report(job.plan, job.period, job.format)
    except Exception as error:  # the job's failure, said on its page; raised for the log
        ReportFile.objects.filter(pk=job_id).update(
            status=Status.FAILED, error=str(error)[:2000], finished=timezone.now()
        )
        raise
    default_storage.delete(job.path)
    default_storage.save(job.path, ContentFile(content))
    ReportFile.objects.filter(pk=job_id).update(status=Status.DONE, finished=timezone.now())
    older = ReportFile.objects.filter(
        plan=job.plan, period=job.period, format=job.format, pk__lt=job_id
    )
    for stale in older:  # a newer one being written meanwhile stays
        default_storage.delete(stale.path)
        stale.delete()
