"""Benchmark: the annual report of a 2,000-row year with 1,500 closing reports, beside the plan
export of the same year.

A fresh SQLite database holds a varied generated plan of 2,000 rows (`varied_docx`: 1-4
responsible organisations a row, most of them named once, venues in many towns), approved. The
year is over, as when the directorate reports to the general meeting: 1,500 rows have closing
reports (actual days, participants, outcomes, 1-3 member municipalities and up to two partners
present, a photo on every fifth), some rows are postponed or cancelled, the others await their
report. The same run writes the report (`documents.write_report`: the execution's reading
included) and the plan export (`plan_document` + `write_plan`) as DOCX and PDF, in this
process, and prints the seconds and the ratio. Target (issue 14): the DOCX and PDF report
under 10 s, in a fixed number of queries.
"""

from __future__ import annotations

import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROWS = 2_000
REPORTS = 1_500
PHOTO_EVERY = 5  # reports with a photo
YEAR = 2025
TARGET_SECONDS = 10.0


def _build() -> object:
    """The plan with its reports, members, postponements and cancellations."""
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from PIL import Image

    from civicplan.directory.models import Membership, Organisation
    from civicplan.plans.importing import import_plan
    from civicplan.plans.models import Activity, Plan
    from civicplan.reports.models import ClosingReport, ReportMaterial
    from tests.plandoc.builders import varied_docx

    call_command("migrate", verbosity=0)
    summary = import_plan(varied_docx(ROWS, seed=YEAR), f"plan-{YEAR}.docx", status="approved")
    plan = Plan.objects.get(pk=summary.plan_id)
    rng = random.Random(YEAR)
    municipal = list(
        Organisation.objects.filter(name__regex=r"^(Администрация|Мэрия) г\.").order_by("id")
    )
    members = rng.sample(municipal, min(60, len(municipal)))
    Membership.objects.bulk_create(
        Membership(organisation=member, joined_on=f"{YEAR - 5}-01-01") for member in members
    )
    partners = list(Organisation.objects.exclude(pk__in=[m.pk for m in members])[:200])

    dated = list(plan.activities.filter(start__isnull=False).order_by("position"))
    reported = rng.sample(dated, REPORTS)
    shifts = [timedelta(days=rng.choice((0, 0, 0, 3, 20))) for _ in reported]  # some held late
    reports = ClosingReport.objects.bulk_create(
        ClosingReport(
            activity=activity,
            held_start=activity.start + shift,
            held_end=(activity.end or activity.start) + shift,
            venue=f"{rng.choice(['Дворец культуры', 'Администрация города', 'Онлайн'])}",
            format=rng.choice(Activity.Format.values),
            participants=rng.randint(10, 600),
            outcomes=rng.choice(
                [
                    "Приняты рекомендации; материалы разосланы членам Ассоциации.",
                    "Подписано соглашение о сотрудничестве, опыт городов обобщён в сборнике.",
                    "Проведены мастер-классы, подведены итоги конкурса.",
                ]
            ),
        )
        for activity, shift in zip(reported, shifts, strict=True)
    )
    ClosingReport.members.through.objects.bulk_create(
        ClosingReport.members.through(closingreport_id=report.pk, organisation_id=member.pk)
        for report in reports
        for member in rng.sample(members, rng.randint(1, 3))
    )
    ClosingReport.partners.through.objects.bulk_create(
        ClosingReport.partners.through(closingreport_id=report.pk, organisation_id=partner.pk)
        for report in reports
        for partner in rng.sample(partners, rng.randint(0, 2))
    )
    stream = io.BytesIO()
    Image.new("RGB", (640, 427), "#2a7").save(stream, "JPEG", quality=82)
    ReportMaterial.objects.bulk_create(
        ReportMaterial(
            report=report,
            kind="photo",
            title="Участники",
            thumbnail=default_storage.save(
                f"reports/{report.pk}/photo.thumb.jpeg", ContentFile(stream.getvalue())
            ),
        )
        for report in reports[::PHOTO_EVERY]
    )
    chosen = {activity.pk for activity in reported}
    rest = [activity.pk for activity in dated if activity.pk not in chosen]
    Activity.objects.filter(pk__in=rest[:40]).update(
        status=Activity.Status.CANCELLED, status_reason="Отменено организаторами"
    )
    Activity.objects.filter(pk__in=rest[40:100]).update(
        status=Activity.Status.POSTPONED,
        status_reason="Перенос по просьбе мэрии",
        previous_when_text="Июнь",
    )
    return plan


def _seconds(write: Callable[[], bytes]) -> tuple[float, int]:
    started = time.perf_counter()
    data = write()
    return time.perf_counter() - started, len(data)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(
            {
                "CIVICPLAN_VAR_DIR": str(Path(tmp) / "var"),
                "DJANGO_SETTINGS_MODULE": "civicplan.settings",
            }
        )
        os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(Path.cwd()))
        plan = _build()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from civicplan.plandoc.writers import write_plan
        from civicplan.plans.exporting import plan_document
        from civicplan.reports.documents import write_report

        results, queries = {}, set()
        for format_name in ("docx", "pdf"):
            results[f"plan {format_name.upper()} (peer)"] = _seconds(
                lambda f=format_name: write_plan(plan_document(plan), f)
            )
            with CaptureQueriesContext(connection) as captured:
                results[f"report {format_name.upper()}"] = _seconds(
                    lambda f=format_name: write_report(plan, "year", f)
                )
            queries.add(len(captured))
        results["report XLSX"] = _seconds(lambda: write_report(plan, "year", "xlsx"))
    print(
        f"annual report benchmark: a year of {ROWS:,} rows, {REPORTS:,} closing reports "
        f"({REPORTS // PHOTO_EVERY} with a photo); each document written once, reading included"
    )
    print(f"{'document':<22}{'seconds':>9}{'size KB':>10}")
    for name, (seconds, size) in results.items():
        flag = "" if "plan" in name or seconds < TARGET_SECONDS else "  (over the target)"
        print(f"{name:<22}{seconds:>9.2f}{size / 1024:>10.0f}{flag}")
    ratios = ", ".join(
        f"{f} {results[f'report {f}'][0] / results[f'plan {f} (peer)'][0]:.2f}"
        for f in ("DOCX", "PDF")
    )
    print(
        f"report / plan export: {ratios}; queries to write a report: "
        f"{', '.join(map(str, sorted(queries)))}; "
        f"target: report DOCX and PDF < {TARGET_SECONDS:.0f} s"
    )


if __name__ == "__main__":
    main()
