"""A year to report on: the seed plan of 2024, approved, seen on 10 September 2024, with
closing reports on some rows (by staff and by a member's coordinator), a row held without a
report, two postponed (one to dates already past), one cancelled, progress on long rows and
two rows that are parts of a third."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth.models import User
from PIL import Image

from civicplan.accounts.models import Coordinator
from civicplan.common import dates
from civicplan.directory.models import Membership, Organisation
from civicplan.plans import actions as plans
from civicplan.plans.importing import import_plan
from civicplan.plans.models import Activity, Plan
from civicplan.reports import actions
from civicplan.reports.actions import NewMaterial, ReportData

TODAY = date(2024, 9, 10)


def photo(width: int = 1200, height: int = 800, colour: str = "#2a7") -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(stream, "JPEG")
    return stream.getvalue()


@dataclass
class Year:
    plan: Plan
    staff: User
    coordinator: User
    members: dict[str, Organisation]  # by city
    rows: dict[int, Activity]  # by position

    def row(self, position: int) -> Activity:
        return Activity.objects.get(plan=self.plan, position=position)


def organisation(prefix: str) -> Organisation:
    return Organisation.objects.get(name__startswith=prefix)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(dates, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def year(seed_bytes: bytes, today: date) -> Year:
    plan = Plan.objects.get(
        pk=import_plan(seed_bytes, "plan-2024.txt", status=Plan.Status.APPROVED).plan_id
    )
    staff = User.objects.create_user("editor", email="editor@example.org", is_staff=True)
    members = {
        "Череповец": organisation("Мэрия г. Череповца"),
        "Пермь": organisation("Администрация г. Перми"),
        "Хабаровск": organisation("Администрация г. Хабаровска"),
        "Владивосток": organisation("Мэрия г. Владивостока"),
        "Новосибирск": organisation("Мэрия г. Новосибирска"),
    }
    for member in members.values():
        member.kind = Organisation.Kind.MUNICIPAL
        member.save(update_fields=["kind"])
        Membership.objects.create(organisation=member, joined_on=date(2015, 1, 1))
    coordinator = User.objects.create_user("cherepovets", email="coord@cherepovets.example")
    Coordinator.objects.create(user=coordinator, organisation=members["Череповец"])
    rows = {a.position: a for a in plan.activities.all()}
    partner = organisation("Дирекция Ассоциации")

    # Closing reports: one by the coordinator, the others by staff.
    actions.save_report(
        coordinator,
        rows[1],
        ReportData(
            participants=120,
            member_ids=[members["Череповец"].pk, members["Пермь"].pk],
            partner_ids=[partner.pk],
            outcomes="Приняты рекомендации конференции.",
            venue="Череповец, Дворец металлургов",
            format=Activity.Format.OFFLINE,
        ),
    )
    actions.save_report(
        staff,
        rows[3],
        ReportData(
            held_text="4–5 апреля 2024 г.",
            participants=300,
            member_ids=[members["Пермь"].pk, members["Хабаровск"].pk],
            outcomes="Принята резолюция форума.",
            format=Activity.Format.HYBRID,
            new_materials=[
                NewMaterial("photo", "Пленарное заседание", name="zal.jpg", content=photo()),
                NewMaterial("video", "Запись", url="https://video.example/forum"),
            ],
        ),
    )
    actions.save_report(staff, rows[4], ReportData(held_text="12 апреля", participants=250))
    actions.save_report(staff, rows[6], ReportData(participants=80))
    # Held after its planned month: outside its window.
    actions.save_report(
        staff,
        rows[9],
        ReportData(
            held_text="5 июня 2024 г.", participants=150, member_ids=[members["Хабаровск"].pk]
        ),
    )
    plans.mark_held(staff, rows[8])  # held, no report yet
    plans.postpone_activity(staff, rows[12], "октябрь 2024 г.", "Перенос по просьбе мэрии")
    plans.postpone_activity(staff, rows[11], "15 июля 2024 г.", "Перенос сроков форума")
    plans.cancel_activity(staff, rows[7], "Конгресс не состоялся")
    # Long rows: progress, one done; two rows are parts of a year-long one.
    actions.add_progress(staff, rows[13], date(2024, 3, 1), "on_track", 50, "Половина работ")
    actions.add_progress(staff, rows[13], date(2024, 6, 28), "done", 100, "Проект завершён")
    actions.add_progress(staff, rows[33], date(2024, 8, 1), "at_risk", 40)
    Activity.objects.filter(pk__in=[rows[2].pk, rows[8].pk]).update(parent=rows[34])
    return Year(plan, staff, coordinator, members, {a.position: a for a in plan.activities.all()})
