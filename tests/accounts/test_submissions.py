"""The coordinator's submission form with real files, the submission page and its downloads,
and the corrected version after staff ask for changes."""

from __future__ import annotations

import urllib.parse

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from civicplan.directory.models import Organisation
from civicplan.newsroom import actions
from civicplan.newsroom.actions import Draft
from civicplan.newsroom.attachments import IncomingFile
from civicplan.newsroom.models import Attachment, Submission
from civicplan.plans.models import Activity, Plan
from tests.accounts.conftest import exe_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db

SUBMIT = "/account/submit/"


def _files(*pairs: tuple[str, bytes, str]) -> list[SimpleUploadedFile]:
    return [
        SimpleUploadedFile(name, content, content_type) for name, content, content_type in pairs
    ]


def test_post_release_with_a_photo_and_a_pdf(client: Client, coordinator: User, plan: Plan) -> None:
    client.force_login(coordinator)
    held = Activity.objects.get(plan=plan, position=1)
    form = client.get(SUBMIT)
    assert form.status_code == 200
    assert 'type="file"' in form.content.decode()
    assert "multiple" in form.content.decode()
    response = client.post(
        SUBMIT,
        {
            "kind": "post_release",
            "title": "Форум прошёл",
            "text": "Собрались 300 человек.",
            "activity": held.pk,
            "files": _files(
                ("фото форума.png", png_bytes(), "image/png"),
                ("отчёт.pdf", pdf_bytes(), "application/octet-stream"),
            ),
        },
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert response["Location"] == f"/account/submissions/{submission.pk}/"
    assert submission.kind == Submission.Kind.POST_RELEASE
    assert submission.status == Submission.Status.IN_REVIEW
    assert submission.source == Submission.Source.FORM
    assert submission.author == coordinator
    assert submission.organisation == coordinator.coordinator.organisation
    assert submission.activity == held
    assert [(a.name, a.type) for a in submission.attachments.all()] == [
        ("фото форума.png", "png"),
        ("отчёт.pdf", "pdf"),
    ]
    assert [e.action for e in submission.history.all()] == ["receive", "review"]

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "на рассмотрении" in html
    assert "фото форума.png" in html
    assert "отчёт.pdf" in html
    assert "передано на рассмотрение" in html

    for attachment, content, content_type in zip(
        submission.attachments.all(),
        (png_bytes(), pdf_bytes()),
        ("image/png", "application/pdf"),
        strict=True,
    ):
        download = client.get(f"/account/submissions/{submission.pk}/files/{attachment.pk}/")
        assert download.status_code == 200
        assert download["Content-Type"] == content_type
        disposition = download["Content-Disposition"]
        assert disposition.startswith("attachment; filename*=utf-8''")  # RFC 5987, Russian name
        assert urllib.parse.unquote(disposition.split("''", 1)[1]) == attachment.name
        assert download["X-Content-Type-Options"] == "nosniff"
        assert b"".join(download.streaming_content) == content


def test_an_executable_named_pdf_is_refused_naming_the_file(
    client: Client, coordinator: User
) -> None:
    client.force_login(coordinator)
    response = client.post(
        SUBMIT,
        {
            "kind": "press_release",
            "title": "Пресс-релиз",
            "files": _files(
                ("фото.png", png_bytes(), "image/png"),
                ("x.pdf", exe_bytes(), "application/pdf"),
            ),
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["files"]
    assert len(errors) == 1
    assert "«x.pdf»" in errors[0]
    assert "«x.pdf»" in response.content.decode()
    assert not Submission.objects.exists()
    assert not Attachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused_at_the_field(
    client: Client, coordinator: User, settings
) -> None:
    settings.CIVICPLAN_ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
    client.force_login(coordinator)
    big = png_bytes() + b"\x00" * (3 * 1024 * 1024)
    response = client.post(
        SUBMIT,
        {"kind": "press_release", "title": "Фото", "files": _files(("big.png", big, "image/png"))},
    )
    assert response.status_code == 400
    assert "«big.png» больше 2 МБ" in response.context["form"].errors["files"][0]


def test_a_request_over_the_limit_is_413_before_it_is_read(
    client: Client, coordinator: User, settings
) -> None:
    settings.CIVICPLAN_MAIL_MAX_BYTES = 1024 * 1024
    client.force_login(coordinator)
    big = png_bytes() + b"\x00" * (2 * 1024 * 1024)
    response = client.post(
        SUBMIT,
        {"kind": "press_release", "title": "Фото", "files": _files(("big.png", big, "image/png"))},
    )
    assert response.status_code == 413
    assert "не больше 1 МБ" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_request_of_the_real_limit_size_is_413(client: Client, coordinator: User) -> None:
    """26 MB against the default 25 MB ceiling (CIVICPLAN_MAIL_MAX_BYTES)."""
    client.force_login(coordinator)
    big = png_bytes() + b"\x00" * (26 * 1024 * 1024)
    response = client.post(
        SUBMIT,
        {"kind": "press_release", "title": "Фото", "files": _files(("big.png", big, "image/png"))},
    )
    assert response.status_code == 413


def test_activities_of_the_coordinators_organisation_come_first(
    client: Client, coordinator: User, other_coordinator: User, plan: Plan
) -> None:
    client.force_login(coordinator)
    choices = client.get(SUBMIT).context["form"].fields["activity"].choices
    groups = {label: [text for _pk, text in options] for label, options in choices[1:]}
    assert list(groups) == ["Мероприятия вашей организации", "Другие мероприятия плана"]
    assert ["Форум" in t or "Конференция" in t for t in groups[choices[1][0]]] == [True, True]
    assert "Фестиваль в Перми" in groups["Другие мероприятия плана"][0]

    client.force_login(other_coordinator)
    first_group = client.get(SUBMIT).context["form"].fields["activity"].choices[1]
    assert first_group[0] == "Мероприятия вашей организации"
    assert "Фестиваль в Перми" in first_group[1][0][1]


def test_the_account_links_a_past_activity_to_a_prefilled_post_release(
    client: Client, coordinator: User, plan: Plan
) -> None:
    client.force_login(coordinator)
    held = Activity.objects.get(plan=plan, position=1)
    link = f"/account/submit/?kind=post_release&amp;activity={held.pk}"
    assert link in client.get("/account/").content.decode()
    form = client.get(link.replace("&amp;", "&")).context["form"]
    assert form["kind"].value() == "post_release"
    assert str(form["activity"].value()) == str(held.pk)


def test_staff_may_send_a_material_without_an_organisation(client: Client, staff: User) -> None:
    client.force_login(staff)
    response = client.post(SUBMIT, {"kind": "methodology", "title": "Методичка", "text": "…"})
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.organisation is None
    assert submission.author == staff


def test_resubmission_after_changes_were_requested(
    client: Client, coordinator: User, colleague: User, staff: User, plan: Plan
) -> None:
    submission = actions.submit(
        coordinator,
        Draft(kind="press_release", title="Черновой заголовок", text="Текст без дат."),
    )
    page = client
    page.force_login(coordinator)
    before = page.get(f"/account/submissions/{submission.pk}/")
    assert before.context["form"] is None  # in review: nothing to correct
    assert page.post(f"/account/submissions/{submission.pk}/", {"title": "x"}).status_code == 403

    actions.request_changes(staff, submission, "Добавьте дату и место.")
    # A colleague of the same organisation sees it and may correct it too.
    client.force_login(colleague)
    detail = client.get(f"/account/submissions/{submission.pk}/")
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "нужны правки" in html
    assert "Добавьте дату и место." in html
    assert "Исправить и отправить снова" in html

    response = client.post(
        f"/account/submissions/{submission.pk}/",
        {
            "title": "Форум в Череповце 12 мая",
            "text": "Текст с датой и местом.",
            "activity": "",
            "files": _files(("афиша.png", png_bytes(), "image/png")),
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.IN_REVIEW
    assert submission.title == "Форум в Череповце 12 мая"
    assert [a.name for a in submission.attachments.all()] == ["афиша.png"]
    last = submission.history.last()
    assert (last.action, last.actor, last.reason) == ("resubmit", colleague, "text, title")
    html = client.get(f"/account/submissions/{submission.pk}/").content.decode()
    assert "отправлено снова после правок" in html
    assert "изменено: текст, заголовок" in html
    # Back in review: no second resubmission.
    again = client.post(f"/account/submissions/{submission.pk}/", {"title": "Ещё раз"})
    assert again.status_code == 403


def test_a_bad_file_in_a_resubmission_is_refused(
    client: Client, coordinator: User, staff: User
) -> None:
    submission = actions.submit(coordinator, Draft(kind="press_release", title="Новость"))
    actions.request_changes(staff, submission, "Нужна фотография.")
    client.force_login(coordinator)
    response = client.post(
        f"/account/submissions/{submission.pk}/",
        {"title": "Новость", "files": _files(("photo.pdf", exe_bytes(), "application/pdf"))},
    )
    assert response.status_code == 400
    assert "«photo.pdf»" in response.context["form"].errors["files"][0]
    submission.refresh_from_db()
    assert submission.status == Submission.Status.CHANGES_REQUESTED


def test_the_page_of_another_organisations_submission_is_not_found(
    client: Client, coordinator: User, other_coordinator: User
) -> None:
    submission = actions.submit(
        other_coordinator,
        Draft(
            kind="press_release",
            title="Пермская новость",
            files=[IncomingFile("photo.png", png_bytes())],
        ),
    )
    attachment = submission.attachments.get()
    client.force_login(coordinator)
    assert client.get(f"/account/submissions/{submission.pk}/").status_code == 404
    url = f"/account/submissions/{submission.pk}/files/{attachment.pk}/"
    assert client.get(url).status_code == 404
    # An attachment id under another submission's id is not found either.
    own = actions.submit(coordinator, Draft(kind="press_release", title="Наша"))
    assert client.get(f"/account/submissions/{own.pk}/files/{attachment.pk}/").status_code == 404


def test_the_account_shows_the_organisations_submissions_only(
    client: Client,
    coordinator: User,
    colleague: User,
    other_coordinator: User,
    staff: User,
    cherepovets: Organisation,
) -> None:
    own = actions.submit(coordinator, Draft(kind="press_release", title="Наша новость"))
    actions.submit(colleague, Draft(kind="best_practice", title="Практика коллеги"))
    actions.submit(other_coordinator, Draft(kind="press_release", title="Пермская новость"))
    emailed = actions.submit(
        None,
        Draft(
            kind="press_release",
            title="Письмо из Череповца",
            organisation=cherepovets,
            sender_email="pr@cherepovets.example.ru",
        ),
        source=Submission.Source.EMAIL,
    )
    actions.reject(staff, emailed, "Повтор.")
    client.force_login(coordinator)
    html = client.get("/account/").content.decode()
    assert "Наша новость" in html
    assert "Практика коллеги" in html
    assert "Письмо из Череповца" in html
    assert "Пермская новость" not in html
    # Status and history with the reason.
    assert "отклонено" in html
    assert "Повтор." in html
    assert f'href="/account/submissions/{own.pk}/"' in html
    assert 'href="/account/submit/"' in html
    assert 'href="/account/propose/"' in html


def test_the_account_lists_the_organisations_activities_upcoming_first(
    client: Client, coordinator: User, plan: Plan
) -> None:
    client.force_login(coordinator)
    html = client.get("/account/").content.decode()
    assert "Материалов пока нет." in html
    upcoming = html.index("Конференция в Череповце предстоящая")
    past = html.index("Форум «Здоровый Череповец» прошедший")
    assert upcoming < past
    assert "Фестиваль в Перми" not in html


def test_staff_account_links_to_their_work(client: Client, staff: User) -> None:
    client.force_login(staff)
    html = client.get("/account/").content.decode()
    for href in ("/staff/newsroom/", "/staff/import/", "/account/invitations/", "/staff/mail/"):
        assert f'href="{href}"' in html


def test_draft_plans_are_not_offered(client: Client, coordinator: User, plan: Plan) -> None:
    plan.status = Plan.Status.DRAFT
    plan.save()
    client.force_login(coordinator)
    assert client.get(SUBMIT).context["form"].fields["activity"].choices[1:] == []
    assert "Конференция в Череповце" not in client.get("/account/").content.decode()


def test_a_corrected_text_replaces_the_letters_html(
    client: Client, coordinator: User, staff: User, cherepovets: Organisation
) -> None:
    submission = actions.submit(
        None,
        Draft(
            kind="press_release",
            title="Письмо",
            text="Старый текст",
            html="<p>Старый <b>текст</b></p><script>alert(1)</script>",
            organisation=cherepovets,
            sender_email=coordinator.email,
        ),
        source=Submission.Source.EMAIL,
    )
    actions.request_changes(staff, submission, "Уберите лишнее.")
    client.force_login(coordinator)
    page = client.get(f"/account/submissions/{submission.pk}/").content.decode()
    assert "<b>текст</b>" in page
    assert "<script>alert(1)" not in page
    assert "исправленный текст заменит его" in page
    response = client.post(
        f"/account/submissions/{submission.pk}/",
        {"title": "Письмо", "text": "Новый текст", "activity": ""},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.text, submission.html) == ("Новый текст", "")
    assert (
        "<p>Новый текст</p>"
        in client.get(f"/account/submissions/{submission.pk}/").content.decode()
    )
