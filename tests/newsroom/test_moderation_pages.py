"""The submission's staff page and its buttons, through the test client with CSRF checks on:
every field shown, the controls for each state, a refusal as 4xx with its reason."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from civicplan.accounts.models import SenderAddress
from civicplan.directory.models import Organisation
from civicplan.newsroom.attachments import IncomingFile
from civicplan.newsroom.models import Submission
from civicplan.plans.models import Activity, Plan
from tests.newsroom.conftest import PDF, Make, png, small_plan

pytestmark = pytest.mark.django_db

Status = Submission.Status


@pytest.fixture
def browser(staff: User) -> Client:
    """Staff's browser, with CSRF checked as in production."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    return client


def _token(client: Client, submission: Submission) -> str:
    page = client.get(f"/staff/newsroom/{submission.pk}/").content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _post(client: Client, submission: Submission, action: str, **data: object):
    data["csrfmiddlewaretoken"] = _token(client, submission)
    return client.post(f"/staff/newsroom/{submission.pk}/{action}/", data)


def test_the_page_shows_every_field(browser: Client, make: Make, activity: Activity) -> None:
    submission = make(
        "Пост-релиз форума в Перми",
        text="Простой текст письма",
        html='<p>Форум <a href="https://perm.example/">прошёл</a></p>',
        sender_email="press@perm.example",
        activity_guess=activity,
        activity_guess_reason="слова заголовка «форум», город Пермь",
        files=(IncomingFile("фото.png", png()), IncomingFile("программа.pdf", PDF)),
    )
    html = browser.get(f"/staff/newsroom/{submission.pk}/").content.decode()
    for shown in (
        "Пост-релиз форума в Перми",
        "на рассмотрении",
        "Пост-релиз",
        "Форма на сайте",
        "press@perm.example",
        "Администрация города Перми",
        "Простой текст письма",
        'rel="noopener noreferrer nofollow"',
        "слова заголовка «форум», город Пермь",
        "Форум здоровых городов в Перми",
        "фото.png",
        "программа.pdf",
        "передано на рассмотрение",
    ):
        assert shown in html, shown
    image, document = submission.attachments.order_by("id")
    assert f'<img src="/news/files/{image.pk}/" alt="фото.png"' in html
    assert f'href="/news/files/{document.pk}/"' in html
    for action in ("publish", "request-changes", "reject", "edit", "activity"):
        assert f'action="/staff/newsroom/{submission.pk}/{action}/"' in html
    assert f'action="/staff/newsroom/{submission.pk}/include/"' not in html
    assert f'action="/staff/newsroom/{submission.pk}/accept/"' not in html


def test_the_staff_page_shows_cleaned_html(browser: Client, make: Make) -> None:
    submission = make(
        html='<p>Итоги<script>alert(1)</script><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">ссылка</a></p>'
    )
    html = browser.get(f"/staff/newsroom/{submission.pk}/").content.decode()
    assert (
        '<div class="nr-body"><p>Итоги<a rel="noopener noreferrer nofollow">ссылка</a></p>' in html
    )
    for dangerous in ("<script", "alert(", "onerror", "javascript:"):
        assert dangerous not in html


def test_publish_button(browser: Client, make: Make, activity: Activity) -> None:
    submission = make(activity=activity)
    response = _post(browser, submission, "publish")
    assert response.status_code == 302
    assert response.url == f"/staff/newsroom/{submission.pk}/"
    submission.refresh_from_db()
    assert submission.status == Status.PUBLISHED
    activity.refresh_from_db()
    assert activity.status == Activity.Status.HELD
    page = browser.get(response.url).content.decode()
    assert "Опубликовано." in page
    assert submission.get_absolute_url() in page


def test_without_the_csrf_token_nothing_happens(browser: Client, make: Make) -> None:
    submission = make()
    response = browser.post(f"/staff/newsroom/{submission.pk}/publish/")
    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.status == Status.IN_REVIEW


@pytest.mark.parametrize(
    ("action", "field", "status"),
    [
        ("request-changes", "changes-reason", Status.CHANGES_REQUESTED),
        ("reject", "reject-reason", Status.REJECTED),
    ],
)
def test_sending_back_and_rejecting_need_a_reason(
    browser: Client, make: Make, action: str, field: str, status: str
) -> None:
    submission = make()
    empty = _post(browser, submission, action, **{field: "  "})
    assert empty.status_code == 400
    assert "Напишите причину: её получит автор." in empty.content.decode()
    submission.refresh_from_db()
    assert submission.status == Status.IN_REVIEW
    done = _post(browser, submission, action, **{field: "Нет фотографий"})
    assert done.status_code == 302
    submission.refresh_from_db()
    assert submission.status == status
    assert submission.history.last().reason == "Нет фотографий"
    page = browser.get(f"/staff/newsroom/{submission.pk}/").content.decode()
    assert "Нет фотографий" in page


def test_a_wrong_state_is_a_409_with_the_reason(browser: Client, make: Make) -> None:
    submission = make(status=Status.PUBLISHED)
    page = browser.get(f"/staff/newsroom/{submission.pk}/").content.decode()
    assert f'action="/staff/newsroom/{submission.pk}/publish/"' not in page
    for action, data in (
        ("publish", {}),
        ("request-changes", {"changes-reason": "x"}),
        ("reject", {"reject-reason": "x"}),
    ):
        response = _post(browser, submission, action, **data)
        assert response.status_code == 409
        assert "Материал в состоянии «опубликовано»; это действие сейчас невозможно." in (
            response.content.decode()
        )
    accept = _post(
        browser,
        submission,
        "accept",
        organisation=Organisation.objects.get().pk,
    )
    assert accept.status_code == 409


def test_accepting_a_quarantined_letter(
    browser: Client, quarantined: Submission, perm_city: Organisation
) -> None:
    page = browser.get(f"/staff/newsroom/{quarantined.pk}/").content.decode()
    assert f'action="/staff/newsroom/{quarantined.pk}/accept/"' in page
    assert f'action="/staff/newsroom/{quarantined.pk}/publish/"' not in page
    assert _post(browser, quarantined, "accept").status_code == 400  # no organisation
    response = _post(browser, quarantined, "accept", organisation=perm_city.pk, remember="on")
    assert response.status_code == 302
    quarantined.refresh_from_db()
    assert (quarantined.status, quarantined.organisation) == (Status.IN_REVIEW, perm_city)
    assert SenderAddress.objects.get(email="press@perm.example").organisation == perm_city


def test_rejecting_a_quarantined_letter(browser: Client, quarantined: Submission) -> None:
    response = _post(browser, quarantined, "reject", **{"reject-reason": "Спам"})
    assert response.status_code == 302
    quarantined.refresh_from_db()
    assert quarantined.status == Status.REJECTED


def test_edit_form(browser: Client, make: Make, activity: Activity, kazan: Organisation) -> None:
    submission = make(html="<p>Старый</p>")
    response = _post(
        browser,
        submission,
        "edit",
        title="Новый заголовок",
        kind=Submission.Kind.PRESS_RELEASE,
        organisation=kazan.pk,
        activity=activity.pk,
        text="Новый текст",
        html='<p>Новый <img src=x onerror="alert(1)"><a href="javascript:alert(2)">текст</a></p>',
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.title, submission.kind, submission.organisation, submission.activity) == (
        "Новый заголовок",
        Submission.Kind.PRESS_RELEASE,
        kazan,
        activity,
    )
    assert submission.html == '<p>Новый <a rel="noopener noreferrer nofollow">текст</a></p>'
    step = submission.history.last()
    assert step.action == "edit"
    assert set(step.reason.split(", ")) == {
        "title",
        "kind",
        "organisation",
        "activity",
        "text",
        "html",
    }
    invalid = _post(browser, submission, "edit", title="", kind="nonsense")
    assert invalid.status_code == 400
    assert Submission.objects.get(pk=submission.pk).title == "Новый заголовок"


def test_confirm_or_choose_another_activity(
    browser: Client, make: Make, activity: Activity, plan: Plan
) -> None:
    submission = make(activity_guess=activity, activity_guess_reason="город Пермь")
    page = browser.get(f"/staff/newsroom/{submission.pk}/").content.decode()
    assert "Подтвердить" in page
    assert _post(browser, submission, "activity", activity=activity.pk).status_code == 302
    submission.refresh_from_db()
    assert submission.activity == activity
    assert (
        "Предположение подтверждено."
        in browser.get(f"/staff/newsroom/{submission.pk}/").content.decode()
    )
    other = plan.activities.get(position=3)
    assert _post(browser, submission, "activity", activity=other.pk).status_code == 302
    submission.refresh_from_db()
    assert submission.activity == other
    assert _post(browser, submission, "activity", activity=999999).status_code == 400
    assert _post(browser, submission, "activity", activity="").status_code == 302
    submission.refresh_from_db()
    assert submission.activity is None


def test_include_button_on_a_proposal(browser: Client, make: Make) -> None:
    proposal = make(
        "Фестиваль здоровья «Пермь — город здоровья»",
        kind=Submission.Kind.PROPOSAL,
        proposal_year=2031,
        proposal_when="II квартал",
        proposal_place="г. Пермь",
    )
    page = browser.get(f"/staff/newsroom/{proposal.pk}/").content.decode()
    assert "Включить в план" in page
    assert "Сроки прочитаны как</dt><dd>II квартал 2031 г." in page
    assert f'action="/staff/newsroom/{proposal.pk}/publish/"' not in page
    response = _post(browser, proposal, "include")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Status.INCLUDED
    page = browser.get(response.url).content.decode()
    assert "Предложение включено в план на 2031 год, строка 1." in page
    assert proposal.included_activity.get_absolute_url() in page
    again = _post(browser, proposal, "include")
    assert again.status_code == 409
    assert "Предложение уже включено в план." in again.content.decode()


def test_including_into_an_approved_plan_is_a_409(browser: Client, make: Make) -> None:
    small_plan(2031, Plan.Status.APPROVED)
    proposal = make("Акция", kind=Submission.Kind.PROPOSAL, proposal_year=2031, proposal_when="май")
    response = _post(browser, proposal, "include")
    assert response.status_code == 409
    assert "План на 2031 год уже не черновик (утверждён)" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.IN_REVIEW


def test_an_unknown_submission_is_a_404(browser: Client) -> None:
    assert browser.get("/staff/newsroom/999999/").status_code == 404


def test_get_on_an_action_is_refused(browser: Client, make: Make) -> None:
    submission = make()
    assert browser.get(f"/staff/newsroom/{submission.pk}/publish/").status_code == 405


@pytest.mark.parametrize("files", [1, 6])
def test_the_page_runs_a_fixed_number_of_queries(
    browser: Client, make: Make, files: int, django_assert_num_queries
) -> None:
    submission = make(files=tuple(IncomingFile(f"{n}.png", png()) for n in range(files)))
    for number in range(files):
        submission.history.create(action="edit", to_status=submission.status, reason=str(number))
    # session, user, the submission, attachments, history, the edit form's organisations and
    # activities, the activity form's activities
    with django_assert_num_queries(8):
        assert browser.get(f"/staff/newsroom/{submission.pk}/").status_code == 200
