"""Follow-up pages: who sees what (404 for everyone else, login for anonymous), the
record form with its action item rows, the trainee's side and the coach's pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.coaching.followups import selectors
from cohorts.coaching.models import FollowUp, FollowUpStatus
from tests.coaching.followups_setup import in_house_cohort
from tests.factories.accounts import MembershipFactory
from tests.factories.coaching import FollowUpFactory
from tests.factories.cohorts import (
    CoachFactory,
    EnrolmentFactory,
    InHouseCohortFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    setup = in_house_cohort()
    setup.follow_up = FollowUpFactory(
        cohort=setup.cohort,
        coach=setup.coach,
        trainee=setup.trainee,
        agenda="看广告数据",
        notes="",
    )
    return setup


def _urls(setup) -> dict[str, tuple[str, str]]:
    f = setup.follow_up
    slug = setup.cohort.slug
    return {
        "detail": ("get", reverse("coaching:follow_up", args=[f.pk])),
        "record": ("post", reverse("coaching:follow_up_record", args=[f.pk])),
        "row": ("get", reverse("coaching:follow_up_item_row", args=[f.pk])),
        "reflect": ("post", reverse("coaching:follow_up_reflect", args=[f.pk])),
        "edit": ("get", reverse("coaching:follow_up_edit", args=[f.pk])),
        "new": ("get", reverse("coaching:follow_up_new", args=[slug])),
        "trainees": ("get", reverse("coaching:coach_trainees_cohort", args=[slug])),
        "trainee": (
            "get",
            reverse("coaching:trainee_detail", args=[slug, setup.trainee.pk]),
        ),
    }


def test_anonymous_users_are_sent_to_sign_in(client, setup):
    urls = [
        *list(_urls(setup).values()),
        ("get", reverse("coaching:my_follow_ups")),
        ("get", reverse("coaching:my_action_items")),
        ("get", reverse("coaching:coach_trainees")),
        ("post", reverse("coaching:action_item_status", args=[1])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("who", ["other_org", "other_coach", "colleague", "org_admin"])
def test_everyone_but_the_coach_staff_and_trainee_gets_404(client, setup, who):
    other = InHouseCohortFactory(coaches=[CoachFactory()])
    people = {
        "other_org": MembershipFactory(organization=other.organization).user,
        "other_coach": other.coaches.first(),
        "colleague": setup.colleague,
        "org_admin": setup.admin,
    }
    client.force_login(people[who])
    for name, (method, url) in _urls(setup).items():
        response = getattr(client, method)(url)
        assert response.status_code == 404, (name, url)


def test_the_trainee_sees_notes_but_not_coach_pages(client, setup):
    client.force_login(setup.trainee)
    response = client.get(reverse("coaching:follow_up", args=[setup.follow_up.pk]))
    assert response.status_code == 200
    assert "看广告数据" in response.content.decode()
    assert "record_form" not in response.context
    for name in ("record", "row", "edit", "new", "trainees", "trainee"):
        method, url = _urls(setup)[name]
        assert getattr(client, method)(url).status_code == 404, name


def test_coach_records_notes_and_action_items(client, setup):
    client.force_login(setup.coach)
    due = timezone.localdate() + dt.timedelta(days=5)
    response = client.post(
        reverse("coaching:follow_up_record", args=[setup.follow_up.pk]),
        {
            "status": "done",
            "agenda": "看广告数据",
            "notes": "ACoS 降到 31%",
            "items-TOTAL_FORMS": "3",
            "items-INITIAL_FORMS": "0",
            "items-0-description": "关停 3 个广告组",
            "items-0-owner": str(setup.trainee.pk),
            "items-0-due_date": due.isoformat(),
            "items-1-description": "整理否定词",
            "items-1-owner": str(setup.coach.pk),
            "items-1-due_date": "",
            "items-2-description": "",
            "items-2-owner": str(setup.trainee.pk),
            "items-2-due_date": "",
        },
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(pk=setup.follow_up.pk)
    assert follow_up.status == FollowUpStatus.DONE
    assert follow_up.notes == "ACoS 降到 31%"
    items = list(follow_up.action_items.order_by("id"))
    assert [(i.description, i.owner_id, i.due_date) for i in items] == [
        ("关停 3 个广告组", setup.trainee.pk, due),
        ("整理否定词", setup.coach.pk, None),
    ]
    page = client.get(response.url).content.decode()
    assert "关停 3 个广告组" in page
    assert "预约下一次" in page or "Book the next one" in page


def test_a_past_due_date_is_refused_with_a_message_and_nothing_saved(client, setup):
    client.force_login(setup.coach)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        reverse("coaching:follow_up_record", args=[setup.follow_up.pk]),
        {
            "status": "done",
            "notes": "笔记",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "0",
            "items-0-description": "可以",
            "items-0-owner": str(setup.trainee.pk),
            "items-1-description": "过期",
            "items-1-owner": str(setup.trainee.pk),
            "items-1-due_date": yesterday.isoformat(),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "这个日期已经过去" in body  # the coach's language (zh-hans by default)
    follow_up = FollowUp.objects.get(pk=setup.follow_up.pk)
    assert follow_up.notes == "" and follow_up.status == FollowUpStatus.SCHEDULED
    assert follow_up.action_items.count() == 0


def test_htmx_adds_a_row_and_bumps_the_form_count(client, setup):
    client.force_login(setup.coach)
    response = client.get(
        reverse("coaching:follow_up_item_row", args=[setup.follow_up.pk]),
        {"index": "1"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="items-1-description"' in body
    assert f'<option value="{setup.trainee.pk}" selected>' in body
    assert 'id="id_items-TOTAL_FORMS"' in body and 'value="2"' in body
    assert "index=2" in body
    assert "<html" not in body


def test_without_javascript_add_row_renders_one_more_row(client, setup):
    client.force_login(setup.coach)
    response = client.post(
        reverse("coaching:follow_up_record", args=[setup.follow_up.pk]),
        {
            "status": "done",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "add_row": "1",
        },
    )
    assert 'name="items-1-description"' in response.content.decode()
    assert setup.follow_up.action_items.count() == 0


def test_trainee_writes_a_reflection(client, setup):
    client.force_login(setup.trainee)
    response = client.post(
        reverse("coaching:follow_up_reflect", args=[setup.follow_up.pk]),
        {"reflection": "下周先做否定词", "notes": "tampered"},
    )
    assert response.status_code == 302
    setup.follow_up.refresh_from_db()
    assert setup.follow_up.reflection == "下周先做否定词"
    assert setup.follow_up.notes == ""


def test_book_the_next_one_prefills_a_week_later_with_open_items(client, setup):
    setup.follow_up.status = FollowUpStatus.DONE
    setup.follow_up.save()
    setup.follow_up.action_items.create(
        owner=setup.trainee, description="还没做完的", source="follow_up"
    )
    client.force_login(setup.coach)
    url = reverse("coaching:follow_up_new", args=[setup.cohort.slug])
    page = client.get(url, {"previous": setup.follow_up.pk})
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["trainee"] == setup.trainee.pk
    assert form.initial["scheduled_at"] == setup.follow_up.scheduled_at + dt.timedelta(
        days=7
    )
    assert "还没做完的" in form.initial["agenda"]
    when = timezone.localtime(form.initial["scheduled_at"])
    response = client.post(
        f"{url}?previous={setup.follow_up.pk}",
        {
            "trainee": setup.trainee.pk,
            "scheduled_at": when.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 45,
            "location": "",
            "agenda": form.initial["agenda"],
        },
    )
    assert response.status_code == 302
    booked = FollowUp.objects.exclude(pk=setup.follow_up.pk).get()
    assert booked.previous == setup.follow_up
    assert booked.trainee == setup.trainee


def test_schedule_reads_the_time_in_the_coachs_zone(client, setup):
    setup.coach.time_zone = "America/New_York"
    setup.coach.save()
    client.force_login(setup.coach)
    response = client.post(
        reverse("coaching:follow_up_new", args=[setup.cohort.slug]),
        {
            "trainee": setup.trainee.pk,
            "scheduled_at": "2030-03-04T09:00",
            "duration_minutes": 30,
        },
    )
    assert response.status_code == 302
    booked = FollowUp.objects.exclude(pk=setup.follow_up.pk).get()
    assert booked.scheduled_at == dt.datetime(2030, 3, 4, 14, 0, tzinfo=dt.UTC)


def test_schedule_refuses_a_trainee_of_another_cohort(client, setup):
    client.force_login(setup.coach)
    stranger = EnrolmentFactory().user
    response = client.post(
        reverse("coaching:follow_up_new", args=[setup.cohort.slug]),
        {
            "trainee": stranger.pk,
            "scheduled_at": "2030-03-04T09:00",
            "duration_minutes": 30,
        },
    )
    assert response.status_code == 400
    assert FollowUp.objects.count() == 1


def test_my_follow_ups_lists_upcoming_and_past(client, setup):
    past = FollowUpFactory(
        cohort=setup.cohort,
        coach=setup.coach,
        trainee=setup.trainee,
        scheduled_at=timezone.now() - dt.timedelta(days=7),
        status=FollowUpStatus.DONE,
    )
    client.force_login(setup.trainee)
    response = client.get(reverse("coaching:my_follow_ups"))
    mine = response.context["mine"]
    assert mine.upcoming == [setup.follow_up]
    assert mine.past == [past]


def test_the_trainee_moves_their_own_item_and_nobody_elses(client, setup):
    item = setup.follow_up.action_items.create(
        owner=setup.trainee, description="x", source="follow_up"
    )
    url = reverse("coaching:action_item_status", args=[item.pk])
    client.force_login(setup.colleague)
    assert client.post(url, {"status": "done"}).status_code == 404
    client.force_login(setup.coach)
    assert client.post(url, {"status": "done"}).status_code == 404
    client.force_login(setup.trainee)
    response = client.post(url, {"status": "done"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="action-item-{item.pk}"' in response.content.decode()
    item.refresh_from_db()
    assert item.status == "done"
    response = client.post(
        url, {"status": "in_progress", "next": "https://evil.example/"}
    )
    assert response.url == reverse("coaching:my_action_items")


def test_follow_up_items_show_on_the_trainees_home_with_their_source(client, setup):
    setup.follow_up.action_items.create(
        owner=setup.trainee, description="每天看一次广告报表", source="follow_up"
    )
    client.force_login(setup.trainee)
    body = client.get(reverse("home")).content.decode()
    assert "每天看一次广告报表" in body
    assert reverse("coaching:follow_up", args=[setup.follow_up.pk]) in body
    assert reverse("coaching:my_action_items") in body


def test_home_shows_the_next_follow_up(client, setup):
    client.force_login(setup.trainee)
    body = client.get(reverse("home")).content.decode()
    assert 'id="home-follow-up-heading"' in body
    assert reverse("coaching:follow_up", args=[setup.follow_up.pk]) in body


def test_coach_trainee_page_groups_items(client, setup):
    model = selectors.action_item_model()
    today = timezone.localdate()
    model.objects.create(
        owner=setup.trainee, description="逾期的", due_date=today - dt.timedelta(days=1)
    )
    model.objects.create(
        owner=setup.trainee, description="进行中", status="in_progress"
    )
    model.objects.create(owner=setup.trainee, description="做完了", status="done")
    client.force_login(setup.coach)
    response = client.get(
        reverse("coaching:trainee_detail", args=[setup.cohort.slug, setup.trainee.pk])
    )
    page = response.context["page"]
    assert [i.description for i in page.items.overdue] == ["逾期的"]
    assert [i.description for i in page.items.open] == ["进行中"]
    assert [i.description for i in page.items.done] == ["做完了"]
    assert page.follow_ups == [setup.follow_up]
    # A trainee of another cohort is not on this coach's page.
    stranger = EnrolmentFactory().user
    assert (
        client.get(
            reverse("coaching:trainee_detail", args=[setup.cohort.slug, stranger.pk])
        ).status_code
        == 404
    )


def _add_trainee(cohort, n: int) -> None:
    model = selectors.action_item_model()
    today = timezone.localdate()
    for _ in range(n):
        person = EnrolmentFactory(cohort=cohort).user
        model.objects.create(owner=person, description="o", due_date=today)
        model.objects.create(
            owner=person, description="late", due_date=today - dt.timedelta(days=3)
        )
        FollowUpFactory(cohort=cohort, trainee=person, coach=cohort.coaches.first())


def test_coach_trainee_list_counts_in_constant_queries(
    client, setup, django_assert_num_queries
):
    client.force_login(setup.coach)
    url = reverse("coaching:coach_trainees")
    client.get(url)  # warm up (session, Wagtail site cache)
    _add_trainee(setup.cohort, 2)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    assert len(small.captured_queries) <= 8  # session, user, roles, cohorts, trainees…
    _add_trainee(setup.cohort, 8)
    second = InHouseCohortFactory(coaches=[setup.coach])
    _add_trainee(second, 3)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    groups = response.context["groups"]
    rows = {row.user.pk: row for group in groups for row in group.rows}
    assert len(rows) == 2 + 2 + 8 + 3
    some = next(r for r in rows.values() if r.overdue_items)
    assert (some.open_items, some.overdue_items) == (2, 1)
    assert some.next_follow_up_at is not None
