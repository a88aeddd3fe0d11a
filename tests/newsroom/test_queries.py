"""What the newsroom gives other pages: the latest news for the home page, an activity's
reports for its page, each in one query, and the templates that show them."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import RequestFactory

from civicplan.newsroom.attachments import IncomingFile
from civicplan.newsroom.models import Submission
from civicplan.newsroom.queries import latest_news, published_for_activity
from civicplan.plans.models import Activity
from tests.newsroom.conftest import PDF, Make, png, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(make: Make, staff: User, activity: Activity) -> list[Submission]:
    pdf_first = (IncomingFile("программа.pdf", PDF), IncomingFile("зал.png", png()))
    announced = publish(
        make,
        staff,
        "Анонс форума",
        datetime(2025, 5, 1, 10, 0),
        kind=Submission.Kind.PRESS_RELEASE,
        activity=activity,
    )
    reported = publish(
        make,
        staff,
        "Итоги форума",
        datetime(2025, 5, 21, 10, 0),
        activity=activity,
        files=pdf_first,
    )
    publish(make, staff, "О другом", datetime(2025, 6, 1, 10, 0))
    make("Ещё не опубликовано", activity=activity)
    return [reported, announced]


def test_latest_news_in_one_query(reports: list, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        news = latest_news(2)
        assert [item.organisation.name for item in news] == ["Администрация города Перми"] * 2
    assert [item.title for item in news] == ["О другом", "Итоги форума"]
    image = reports[0].attachments.get(type="png")
    assert news[1].first_image_id == image.pk  # the first image, though a PDF came first
    assert news[0].first_image_id is None


def test_an_activitys_reports_in_one_query(
    reports: list, activity: Activity, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        found = published_for_activity(activity.pk)
        assert [item.organisation_id for item in found] == [reports[0].organisation_id] * 2
    assert found == reports
    assert published_for_activity(activity.pk + 1000) == []


def test_the_include_templates(reports: list, activity: Activity) -> None:
    request = RequestFactory().get("/")
    home = render_to_string("newsroom/_latest_news.html", {"news": latest_news(5)}, request)
    assert 'href="/news/"' in home
    assert "Итоги форума" in home
    assert "О другом" in home
    image = reports[0].attachments.get(type="png")
    assert f'<img src="/news/files/{image.pk}/" alt="Итоги форума" class="nr-thumb"' in home
    page = render_to_string(
        "newsroom/_activity_reports.html",
        {"reports": published_for_activity(activity.pk)},
        request,
    )
    assert "Материалы о мероприятии" in page
    assert page.index("Итоги форума") < page.index("Анонс форума")
    assert reports[0].get_absolute_url() in page
    assert render_to_string("newsroom/_activity_reports.html", {"reports": []}).strip() == ""
    assert render_to_string("newsroom/_latest_news.html", {"news": []}).strip() == ""
