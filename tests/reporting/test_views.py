"""The dashboard, cohort reports, navigation and home panel: content, filters,
permissions and query counts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Membership, MembershipRole, Organization
from cohorts.models import Enrolment
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.cohorts import CoachFactory
from tests.reporting.conftest import Acme


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def dashboard_url(acme: Acme) -> str:
    return reverse("reporting:dashboard", args=["acme"])


def test_dashboard_shows_people_tiles_and_charts(acme: Acme) -> None:
    response = client_for(acme.admin).get(
        dashboard_url(acme), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response.templates[0].name == "reporting/dashboard.html"
    html = response.content.decode()
    for text in (
        "Acme 海岸家居",
        "王芳",
        "李雷",
        "Kevin Zhang",
        "Acme 内训 A",
        "公开课 B",
    ):
        assert text in html
    assert "外人" not in html
    report = response.context["report"]
    assert report.summary.people == 3
    tiles = {t.key: t.display for t in response.context["tiles"]}
    assert tiles["attendance"] == "79.2%"
    assert tiles["lessons"] == "43.8%"
    assert tiles["homework"] == "33.3%"
    assert tiles["retraining"] == "2"
    assert tiles["certificates"] == "1"
    assert html.count("<svg") >= 4
    assert "66.7%" in html  # 李雷's attendance in A


def test_filters_by_team_and_cohort_with_htmx(acme: Acme) -> None:
    client = client_for(acme.admin)
    response = client.get(
        dashboard_url(acme), {"team": "TikTok"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="report-results"')
    assert "Kevin Zhang" in html and "王芳" not in html
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]

    response = client.get(dashboard_url(acme), {"cohort": "public-b"})
    rows = response.context["report"].rows
    assert [(r.name, r.cohort.slug) for r in rows] == [("李雷", "public-b")]
    assert 'value="public-b" selected' in response.content.decode()


def test_unknown_filters_mean_everything(acme: Acme) -> None:
    response = client_for(acme.admin).get(
        dashboard_url(acme), {"cohort": "nope", "team": ""}
    )
    assert response.status_code == 200
    assert response.context["report"].summary.enrolments == 4


def test_org_cohort_report(acme: Acme) -> None:
    url = reverse("reporting:org_cohort", args=["acme", "public-b"])
    response = client_for(acme.admin).get(url)
    assert response.status_code == 200
    assert [r.name for r in response.context["report"].rows] == ["李雷"]
    assert "外人" not in response.content.decode()


def test_teacher_cohort_report_for_coach_and_staff(acme: Acme) -> None:
    coach = CoachFactory()
    acme.cohort_b.coaches.add(coach)
    acme.cohort_b.save()
    url = reverse("reporting:teacher_cohort", args=["public-b"])
    response = client_for(coach).get(url)
    assert response.status_code == 200
    assert {r.name for r in response.context["report"].rows} == {"李雷", "外人"}
    staff = UserFactory(is_staff=True)
    assert client_for(staff).get(url).status_code == 200
    # a coach of another cohort and the org admin get 404
    assert client_for(CoachFactory()).get(url).status_code == 404
    assert client_for(acme.admin).get(url).status_code == 404


@pytest.mark.parametrize(
    "url_name,args",
    [
        ("reporting:dashboard", ["acme"]),
        ("reporting:org_cohort", ["acme", "acme-a"]),
        ("reporting:org_cohort", ["acme", "public-b"]),
    ],
)
def test_outsiders_get_404(
    acme: Acme, other_admin, plain_member, url_name: str, args: list[str]
) -> None:  # type: ignore[no-untyped-def]
    url = reverse(url_name, args=args)
    assert client_for(other_admin).get(url).status_code == 404
    assert client_for(plain_member).get(url).status_code == 404
    assert client_for(acme.admin).get(url).status_code == 200
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))


def test_cohort_outside_the_organization_is_404(acme: Acme) -> None:
    elsewhere = Enrolment.objects.get(user=acme.outsider).cohort
    other = MembershipFactory().organization
    assert elsewhere.slug == "public-b"
    # cohort B is Acme's through 李雷; a cohort with none of Acme's people is not
    from tests.factories.cohorts import CohortFactory

    CohortFactory(slug="far-away", organization=other)
    url = reverse("reporting:org_cohort", args=["acme", "far-away"])
    assert client_for(acme.admin).get(url).status_code == 404


def test_teacher_report_anonymous_goes_to_login(acme: Acme) -> None:
    url = reverse("reporting:teacher_cohort", args=["public-b"])
    response = Client().get(url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_index_redirects_single_admin_and_lists_for_staff(acme: Acme) -> None:
    response = client_for(acme.admin).get(reverse("reporting:index"))
    assert response.status_code == 302
    assert response["Location"] == dashboard_url(acme)

    second = MembershipFactory(role=MembershipRole.ADMIN, user=acme.admin).organization
    response = client_for(acme.admin).get(reverse("reporting:index"))
    assert response.status_code == 200
    assert [o.pk for o in response.context["organizations"]] == sorted(
        [acme.organization.pk, second.pk],
        key=lambda pk: Organization.objects.get(pk=pk).name,
    )
    assert client_for(acme.li).get(reverse("reporting:index")).status_code == 404


def test_navigation_item_for_org_admins_only(acme: Acme) -> None:
    admin_home = client_for(acme.admin).get("/").content.decode()
    assert reverse("reporting:index") in admin_home
    member_home = client_for(acme.li).get("/").content.decode()
    assert reverse("reporting:index") not in member_home


def test_home_panel_headline_numbers(acme: Acme) -> None:
    response = client_for(acme.admin).get("/")
    html = response.content.decode()
    assert "report-home" in html
    panel = next(
        p
        for p in response.context["panels"]
        if p.template == "reporting/home_panel.html"
    )
    (card,) = panel.context["cards"]
    assert (card.people, card.certificates, card.retraining) == (3, 1, 2)


def _many_people(acme: Acme, count: int) -> None:
    """`count` more Acme members in cohort A, each with a mark and a team."""
    from cohorts.models import Attendance, Session
    from tests.factories.accounts import UserFactory as Users

    session = Session.objects.filter(cohort=acme.cohort_a).order_by("starts_at").first()
    users = [
        Users.build(email=f"bulk{n}@acme.test", display_name=f"员工{n}")
        for n in range(count)
    ]
    from accounts.models import User

    User.objects.bulk_create(users)
    users = list(User.objects.filter(email__startswith="bulk"))
    Membership.objects.bulk_create(
        Membership(user=u, organization=acme.organization, team=f"Team {n % 5}")
        for n, u in enumerate(users)
    )
    Enrolment.objects.bulk_create(
        Enrolment(cohort=acme.cohort_a, user=u) for u in users
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, user=u, status="present", method="coach")
        for u in users
    )


def test_dashboard_query_count_does_not_grow_with_people(
    acme: Acme, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(acme.admin)
    client.get(dashboard_url(acme))  # warm Wagtail's site cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(dashboard_url(acme))
    _many_people(acme, 200)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(dashboard_url(acme))
    assert response.context["report"].summary.people == 203
    assert len(few.captured_queries) == EXPECTED_DASHBOARD_QUERIES


# Session, user, navigation roles, organisation, its cohorts, memberships, enrolments,
# 8 per cohort for progress (2 cohorts), champions, re-training sessions, sessions,
# attendance marks, assignments, submissions, certificates, recent exports.
EXPECTED_DASHBOARD_QUERIES = 32


def test_cohort_report_query_count_does_not_grow_with_people(
    acme: Acme, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(acme.admin)
    url = reverse("reporting:org_cohort", args=["acme", "acme-a"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _many_people(acme, 200)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["report"].rows) == 203
