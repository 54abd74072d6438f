from __future__ import annotations

import time

import pytest
from django.core import signing
from django.urls import reverse

from cohorts import services
from cohorts.models import Attendance, AttendanceMethod
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.cohorts import (
    CoachFactory,
    CohortFactory,
    EnrolmentFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    coach = CoachFactory()
    cohort = CohortFactory(coaches=[coach])
    session = SessionFactory(cohort=cohort, kind="workshop")
    trainee = EnrolmentFactory(cohort=cohort).user
    return coach, session, trainee


def _url(session, code):
    return reverse("cohorts:checkin", args=[session.pk, code])


def test_scan_checks_in_once_and_a_replay_is_harmless(client, workshop):
    _coach, session, trainee = workshop
    code = services.checkin_code(session=session)
    client.force_login(trainee)

    first = client.get(_url(session, code))
    again = client.get(_url(session, code))

    assert first.status_code == again.status_code == 200
    assert first.templates[0].name == "cohorts/checkin_result.html"
    assert first.context["result"].already is False
    assert again.context["result"].already is True
    attendance = Attendance.objects.get()
    assert (attendance.user, attendance.method) == (trainee, AttendanceMethod.QR)


def test_expired_code_gets_a_clear_message(client, workshop, monkeypatch):
    _coach, session, trainee = workshop
    earlier = int(time.time()) - services.CHECKIN_MAX_AGE - 5
    with monkeypatch.context() as patch:
        patch.setattr(
            signing.TimestampSigner,
            "timestamp",
            lambda self: signing.b62_encode(earlier),
        )
        code = services.checkin_code(session=session)
    client.force_login(trainee)
    response = client.get(_url(session, code))
    assert response.status_code == 400
    assert "签到码已过期" in response.content.decode()
    assert not Attendance.objects.exists()


def test_code_for_another_session_is_refused(client, workshop):
    _coach, session, trainee = workshop
    other = SessionFactory(cohort=session.cohort)
    code = services.checkin_code(session=other)
    client.force_login(trainee)
    response = client.get(_url(session, code))
    assert response.status_code == 400
    assert "另一节课" in response.content.decode()
    assert not Attendance.objects.exists()


def test_tampered_code_is_refused(client, workshop):
    _coach, session, trainee = workshop
    client.force_login(trainee)
    response = client.get(_url(session, "1:abc:def"))
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_someone_not_enrolled_cannot_check_in(client, workshop):
    _coach, session, _trainee = workshop
    client.force_login(UserFactory())
    response = client.get(_url(session, services.checkin_code(session=session)))
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_signed_out_trainee_logs_in_and_lands_checked_in(client, workshop):
    _coach, session, trainee = workshop
    url = _url(session, services.checkin_code(session=session))
    response = client.get(url)
    assert response.status_code == 302
    login_url = response["Location"]
    assert "next=" in login_url
    response = client.post(
        login_url, {"username": trainee.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == url
    assert Attendance.objects.filter(session=session, user=trainee).exists()


def test_coach_screen_shows_a_fresh_qr_and_polls(client, workshop):
    coach, session, _trainee = workshop
    client.force_login(coach)
    url = reverse("cohorts:checkin_screen", args=[session.cohort.slug, session.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert 'hx-trigger="every 30s"' in page.content.decode()
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()


def test_check_in_screen_is_for_the_cohorts_coaches_only(client, workshop):
    _coach, session, trainee = workshop
    url = reverse("cohorts:checkin_screen", args=[session.cohort.slug, session.pk])
    for outsider in (trainee, CoachFactory()):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
