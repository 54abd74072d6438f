from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from tests.factories.accounts import MembershipFactory, OrganizationFactory, UserFactory
from tests.factories.cohorts import CoachFactory, CohortFactory, EnrolmentFactory
from workbook import sharing, snapshots, targets
from workbook.models import Snapshot, WorkbookShare
from workbook.services import workbook_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def workbook():
    organization = OrganizationFactory()
    owner = MembershipFactory(
        organization=organization, user__preferred_language="en"
    ).user
    return workbook_create(
        owner=owner, name="店铺", template_key="amazon_store", organization=organization
    )


def test_snapshot_freezes_tree_and_targets(workbook) -> None:
    targets.target_set(
        workbook=workbook,
        user=workbook.owner,
        node_key="sessions",
        period="2026-05",
        value=Decimal(100),
        expected_version=0,
    )
    snap = snapshots.snapshot_create(
        workbook=workbook, user=workbook.owner, title="第3周作业"
    )
    frozen = (dict(snap.document), dict(snap.actuals))
    targets.target_set(
        workbook=workbook,
        user=workbook.owner,
        node_key="sessions",
        period="2026-05",
        value=Decimal(999),
        expected_version=1,
    )
    workbook.document["tree"]["nodes"][0]["name_zh"] = "改了"
    workbook.save()
    snap.refresh_from_db()
    assert (snap.document, snap.actuals) == frozen
    assert snap.document["targets"] == [
        {"node": "sessions", "period": "2026-05", "value": 100.0}
    ]
    assert snap.document["tree"]["nodes"][0]["name_zh"] == "贡献利润"


def test_only_owner_snapshots(workbook) -> None:
    with pytest.raises(PermissionDenied):
        snapshots.snapshot_create(workbook=workbook, user=UserFactory(), title="x")


def test_share_only_with_coaches_and_champions(workbook) -> None:
    coach = CoachFactory()
    cohort = CohortFactory(coaches=[coach])
    EnrolmentFactory(cohort=cohort, user=workbook.owner)
    champion = MembershipFactory(
        organization=workbook.organization, is_champion=True
    ).user
    stranger = UserFactory()
    sharing.workbook_share(
        workbook=workbook, user=workbook.owner, with_user_id=coach.pk
    )
    sharing.workbook_share(
        workbook=workbook, user=workbook.owner, with_user_id=champion.pk
    )
    with pytest.raises(ValidationError):
        sharing.workbook_share(
            workbook=workbook, user=workbook.owner, with_user_id=stranger.pk
        )
    assert dict(WorkbookShare.objects.values_list("user_id", "role")) == {
        coach.pk: "coach",
        champion.pk: "champion",
    }
    sharing.workbook_unshare(
        workbook=workbook, user=workbook.owner, with_user_id=coach.pk
    )
    assert not WorkbookShare.objects.filter(user=coach).exists()


def test_snapshot_views(client, workbook) -> None:
    client.force_login(workbook.owner)
    url = reverse("workbook:snapshots", args=[workbook.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        reverse("workbook:snapshot_create", args=[workbook.pk]), {"title": "作业"}
    )
    snap = Snapshot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "workbook:snapshot", args=[workbook.pk, snap.pk]
    )
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert "sessions" in detail.content.decode()


def test_snapshot_permissions(client, workbook) -> None:
    snap = snapshots.snapshot_create(workbook=workbook, user=workbook.owner, title="a")
    urls = [
        reverse("workbook:snapshots", args=[workbook.pk]),
        reverse("workbook:snapshot", args=[workbook.pk, snap.pk]),
    ]
    client.force_login(UserFactory())
    assert [client.get(u).status_code for u in urls] == [404, 404]
    champion = MembershipFactory(
        organization=workbook.organization, is_champion=True
    ).user
    WorkbookShare.objects.create(workbook=workbook, user=champion, role="champion")
    client.force_login(champion)
    assert [client.get(u).status_code for u in urls] == [200, 200]
    assert "snapshot-form" not in client.get(urls[0]).content.decode()
    assert (
        client.post(
            reverse("workbook:snapshot_create", args=[workbook.pk]), {"title": "x"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("workbook:share_add", args=[workbook.pk]), {"user": champion.pk}
        ).status_code
        == 404
    )
    assert Snapshot.objects.count() == 1
    shared = client.get(reverse("workbook:shared"))
    assert workbook.name in shared.content.decode()


def test_share_views(client, workbook) -> None:
    champion = MembershipFactory(
        organization=workbook.organization, is_champion=True
    ).user
    client.force_login(workbook.owner)
    page = client.get(reverse("workbook:snapshots", args=[workbook.pk]))
    assert champion.display_name in page.content.decode()
    client.post(
        reverse("workbook:share_add", args=[workbook.pk]), {"user": champion.pk}
    )
    assert WorkbookShare.objects.filter(user=champion, role="champion").exists()
    client.post(
        reverse("workbook:share_remove", args=[workbook.pk]), {"user": champion.pk}
    )
    assert not WorkbookShare.objects.exists()


def test_a_share_no_longer_eligible_is_listed_and_can_be_stopped(
    client, workbook
) -> None:
    former = UserFactory()
    WorkbookShare.objects.create(workbook=workbook, user=former, role="coach")
    client.force_login(workbook.owner)
    page = client.get(reverse("workbook:snapshots", args=[workbook.pk]))
    assert former.display_name in page.content.decode()
    with pytest.raises(ValidationError):
        sharing.workbook_share(
            workbook=workbook, user=workbook.owner, with_user_id=former.pk
        )
    client.post(
        reverse("workbook:share_remove", args=[workbook.pk]), {"user": former.pk}
    )
    assert not WorkbookShare.objects.exists()
