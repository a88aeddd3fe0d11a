"""A member's proposal included in the draft plan in one click: the row, its time frame read,
its organisations matched, its footnote "По предложению …" and the exported document."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from civicplan.audit.models import Event
from civicplan.directory.models import Organisation, OrganisationAlias
from civicplan.newsroom import actions
from civicplan.newsroom.footnotes import genitive, proposal_footnote
from civicplan.newsroom.models import Submission
from civicplan.plandoc.writers import write_plan
from civicplan.plans.exporting import plan_document
from civicplan.plans.models import Activity, Plan, Responsibility
from tests.newsroom.conftest import Make, organisation, small_plan

pytestmark = pytest.mark.django_db

YEAR = 2031
OWNER = (
    "Ассоциация по улучшению состояния здоровья и качества жизни населения "
    "«Здоровые города, районы и посёлки»"
)


@pytest.fixture
def proposal(make: Make) -> Submission:
    return make(
        "Фестиваль здоровья «Пермь — город здоровья»",
        kind=Submission.Kind.PROPOSAL,
        proposal_year=YEAR,
        proposal_when="II декада мая",
        proposal_place="г. Пермь, эспланада",
        proposal_partners=(
            "дирекция Ассоциация; при поддержке Министерства здравоохранения Пермского края"
        ),
    )


@pytest.fixture
def directorate_body() -> Organisation:
    """Known from an earlier plan, with the typo a plan once had as one of its spellings."""
    body = organisation("Дирекция Ассоциации", Organisation.Kind.ASSOCIATION)
    OrganisationAlias.objects.create(organisation=body, text="дирекция Ассоциация")
    return body


def test_a_new_draft_plan_gets_the_row(
    proposal: Submission, staff: User, perm_city: Organisation, directorate_body: Organisation
) -> None:
    activity = actions.include_proposal(staff, proposal)
    plan = activity.plan
    assert (plan.year, plan.status, plan.owner.name) == (YEAR, Plan.Status.DRAFT, OWNER)
    assert plan.title == (
        "План деятельности Ассоциации по улучшению состояния здоровья и качества жизни "
        f"населения «Здоровые города, районы и посёлки» на {YEAR} год"
    )
    assert (activity.position, activity.section) == (1, None)
    # The time frame read by civicplan.timeframes, as an imported row's.
    assert activity.when_text == "II декада мая"
    assert (activity.start, activity.end, activity.precision) == (
        date(YEAR, 5, 11),
        date(YEAR, 5, 20),
        Activity.Precision.DECADE,
    )
    assert activity.title == "Фестиваль здоровья «Пермь — город здоровья»"
    assert activity.kind == Activity.Kind.FESTIVAL
    assert activity.place_text == "г. Пермь, эспланада"
    assert [str(place) for place in activity.places.all()] == ["Пермь", "Пермь, эспланада"]
    assert activity.responsible_text == (
        "Администрация города Перми, дирекция Ассоциация; "
        "при поддержке Министерства здравоохранения Пермского края"
    )
    links = list(activity.responsibilities.select_related("organisation"))
    assert [(link.organisation.name, link.role) for link in links] == [
        ("Администрация города Перми", Responsibility.Role.ORGANISER),
        ("Дирекция Ассоциации", Responsibility.Role.RESPONSIBLE),  # matched by its spelling
        ("Министерство здравоохранения Пермского края", Responsibility.Role.SUPPORTER),  # new
    ]
    assert links[1].organisation == directorate_body
    assert activity.notes == ["По предложению Администрации города Перми."]
    # Found by the public search: lemmas of the title, the city and the footnote.
    for lemma in (" =фестиваль ", " пермь ", " предложение ", " администрация "):
        assert lemma in activity.search_lemmas

    proposal.refresh_from_db()
    assert (proposal.status, proposal.included_activity) == (Submission.Status.INCLUDED, activity)
    step = proposal.history.last()
    assert (step.action, step.from_status, step.to_status, step.actor) == (
        "include",
        Submission.Status.IN_REVIEW,
        Submission.Status.INCLUDED,
        staff,
    )
    audited = set(Event.objects.filter(actor=staff).values_list("action", flat=True))
    assert {"plan.create", "activity.create", "submission.include"} <= audited


def test_an_existing_draft_gets_the_last_row_in_its_last_section(
    proposal: Submission, staff: User
) -> None:
    draft = small_plan(YEAR, Plan.Status.DRAFT)
    activity = actions.include_proposal(staff, proposal)
    assert activity.plan == draft
    assert activity.position == 4
    assert activity.section.heading == "II. Проекты"
    assert Plan.objects.filter(year=YEAR).count() == 1


def test_a_proposal_is_included_once(proposal: Submission, staff: User) -> None:
    actions.include_proposal(staff, proposal)
    with pytest.raises(ValidationError) as refused:
        actions.include_proposal(staff, proposal)
    assert refused.value.code == "state"
    assert Activity.objects.filter(plan__year=YEAR).count() == 1


def test_an_approved_plan_is_not_changed(proposal: Submission, staff: User) -> None:
    small_plan(YEAR, Plan.Status.APPROVED)
    with pytest.raises(ValidationError) as refused:
        actions.include_proposal(staff, proposal)
    assert refused.value.code == "plan"
    assert "не черновик" in refused.value.messages[0]
    assert Activity.objects.filter(plan__year=YEAR).count() == 3
    proposal.refresh_from_db()
    assert proposal.status == Submission.Status.IN_REVIEW


def test_a_proposal_without_a_year_is_refused(make: Make, staff: User) -> None:
    proposal = make("Без года", kind=Submission.Kind.PROPOSAL, proposal_when="май")
    with pytest.raises(ValidationError) as refused:
        actions.include_proposal(staff, proposal)
    assert refused.value.code == "required"


def test_a_coordinator_cannot_include(proposal: Submission, coordinator: User) -> None:
    with pytest.raises(PermissionDenied):
        actions.include_proposal(coordinator, proposal)
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("when", "start", "end", "precision", "recurrence"),
    [
        ("II квартал", date(YEAR, 4, 1), date(YEAR, 6, 30), "quarter", ""),
        ("30 сентября – 2 октября", date(YEAR, 9, 30), date(YEAR, 10, 2), "days", ""),
        ("ежемесячно", date(YEAR, 1, 1), date(YEAR, 12, 31), "year", "monthly"),
        ("по согласованию", None, None, "unknown", ""),
    ],
)
def test_the_time_frame_is_read_for_the_plan_year(
    make: Make,
    staff: User,
    when: str,
    start: date | None,
    end: date | None,
    precision: str,
    recurrence: str,
) -> None:
    proposal = make("Акция", kind=Submission.Kind.PROPOSAL, proposal_year=YEAR, proposal_when=when)
    activity = actions.include_proposal(staff, proposal)
    assert (activity.start, activity.end, activity.precision, activity.recurrence) == (
        start,
        end,
        precision,
        recurrence,
    )


def test_the_exported_plan_keeps_the_footnote(
    proposal: Submission, staff: User, tmp_path: Path
) -> None:
    small_plan(YEAR, Plan.Status.DRAFT)
    activity = actions.include_proposal(staff, proposal)
    document = plan_document(activity.plan)
    row = document.activities[-1]
    assert (row.title, row.notes) == (
        activity.title,
        ["По предложению Администрации города Перми."],
    )
    assert row.when.start == date(YEAR, 5, 11)
    docx = write_plan(document, "docx")
    body = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", body))
    # The mark is a superscript "1" after the title, the text under the table, as in the seed.
    assert "Фестиваль здоровья «Пермь — город здоровья»1" in text
    assert text.endswith("1 По предложению Администрации города Перми.")
    # The command line writes the same document.
    call_command("export_plan", year=YEAR, format="docx", output=tmp_path / "plan.docx")
    assert (tmp_path / "plan.docx").read_bytes()[:2] == b"PK"
    exported = zipfile.ZipFile(tmp_path / "plan.docx").read("word/document.xml").decode()
    assert "По предложению Администрации города Перми." in exported


@pytest.mark.parametrize(
    ("name", "inflected"),
    [
        ("Администрация города Перми", "Администрации города Перми"),
        ("Администрация г. Череповца", "Администрации г. Череповца"),
        ("Городская Дума Краснодара", "Городской Думы Краснодара"),
        ("Мэрия города Новосибирска", "Мэрии города Новосибирска"),
        (
            "Исполнительный комитет муниципального образования г. Казани",
            "Исполнительного комитета муниципального образования г. Казани",
        ),
        (
            "Министерство здравоохранения Республики Татарстан",
            "Министерства здравоохранения Республики Татарстан",
        ),
        ("Совет депутатов", "Совета депутатов"),
        ("МБУ «Центр здоровья»", None),
        ("«Здоровый город»", None),
    ],
)
def test_names_in_the_genitive(name: str, inflected: str | None) -> None:
    assert genitive(name) == inflected


def test_a_name_not_inflected_is_written_as_is() -> None:
    assert proposal_footnote("МБУ «Центр здоровья»") == "По предложению: МБУ «Центр здоровья»."
    assert proposal_footnote("Мэрия города Новосибирска") == (
        "По предложению Мэрии города Новосибирска."
    )
