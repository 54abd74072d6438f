from __future__ import annotations

import io

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Membership, User
from cohorts import services
from cohorts.models import BulkEnrolment, Enrolment, EnrolmentStatus
from cohorts.rosters import RosterError, read_roster
from tests.factories.accounts import OrgAdminFactory, UserFactory
from tests.factories.cohorts import EnrolmentFactory, InHouseCohortFactory

pytestmark = pytest.mark.django_db

ROSTER = "姓名,邮箱\n王小明,wang@example.com\n李雷,LI@example.com\n"


def _xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        (ROSTER.encode("utf-8"), "r.csv"),
        (ROSTER.encode("utf-8-sig"), "r.csv"),
        (ROSTER.encode("gb18030"), "r.csv"),
        (ROSTER.replace(",", ";").encode("utf-8"), "r.csv"),
        (
            _xlsx(
                [
                    ["姓名", "邮箱"],
                    ["王小明", "wang@example.com"],
                    ["李雷", "LI@example.com"],
                ]
            ),
            "r.xlsx",
        ),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "semicolons", "xlsx"],
)
def test_reads_encodings_and_formats(raw, name):
    rows = read_roster(raw, name)
    assert [(r.name, r.email, r.outcome) for r in rows] == [
        ("王小明", "wang@example.com", "ok"),
        ("李雷", "li@example.com", "ok"),
    ]


def test_row_by_row_problems():
    raw = (
        b"name,email\n"
        b"A,a@example.com\n"
        b"B,not-an-email\n"
        b"C,\n"
        b",d@example.com\n"
        b"E,A@example.com\n"
        b",\n"
    )
    rows = read_roster(raw, "r.csv")
    assert [(r.line, r.outcome) for r in rows] == [
        (2, "ok"),
        (3, "bad_email"),
        (4, "missing_email"),
        (5, "missing_name"),
        (6, "duplicate"),
    ]
    assert rows[-1].params == {"first_line": 2}


@pytest.mark.parametrize(
    ("raw", "name", "code"),
    [
        (b"full name,phone\nA,123\n", "r.csv", "missing_columns"),
        ("姓名,邮箱\n王,w@x.com\n".encode("utf-16"), "r.csv", "encoding"),
        (b"name,email\n", "r.csv", "empty"),
        (b"%PDF-1.4", "r.pdf", "file_type"),
        (b"not a zip", "r.xlsx", "unreadable"),
    ],
)
def test_file_level_errors(raw, name, code):
    with pytest.raises(RosterError) as caught:
        read_roster(raw, name)
    assert caught.value.code == code


@pytest.fixture
def setup():
    cohort = InHouseCohortFactory(capacity=10)
    admin = OrgAdminFactory(organization=cohort.organization).user
    return cohort, admin


def _upload(text: str, name: str = "roster.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_preview_writes_no_enrolment_then_confirm_enrols_good_rows(
    setup, django_capture_on_commit_callbacks
):
    cohort, admin = setup
    existing = UserFactory(email="old@example.com")
    already = EnrolmentFactory(cohort=cohort, user=UserFactory(email="in@example.com"))
    text = (
        "name,email\nNew Person,new@example.com\nOld,OLD@example.com\n"
        "In,in@example.com\nBad,bad@\nDup,new@example.com\n"
    )
    bulk = services.bulk_enrolment_preview(
        cohort=cohort, admin=admin, uploaded=_upload(text)
    )
    assert [r["outcome"] for r in bulk.rows] == [
        "new_user",
        "existing_user",
        "already_enrolled",
        "bad_email",
        "duplicate",
    ]
    assert Enrolment.objects.count() == 1
    assert not User.objects.filter(email="new@example.com").exists()
    assert bulk.file.read().decode() == text

    with django_capture_on_commit_callbacks(execute=True):
        bulk = services.bulk_enrolment_confirm(bulk=bulk, admin=admin)

    assert [r.get("result") for r in bulk.rows] == [
        "invited",
        "enrolled",
        None,
        None,
        None,
    ]
    new = User.objects.get(email="new@example.com")
    assert not new.has_usable_password()
    assert set(
        Enrolment.objects.filter(
            cohort=cohort, status=EnrolmentStatus.ACTIVE
        ).values_list("user__email", flat=True)
    ) == {"new@example.com", "old@example.com", already.user.email}
    assert (
        Membership.objects.filter(
            organization=cohort.organization, user__in=[new, existing]
        ).count()
        == 2
    )

    # confirming again, or uploading the same file again, changes nothing
    services.bulk_enrolment_confirm(bulk=bulk, admin=admin)
    again = services.bulk_enrolment_preview(
        cohort=cohort, admin=admin, uploaded=_upload(text)
    )
    services.bulk_enrolment_confirm(bulk=again, admin=admin)
    assert User.objects.filter(email__iexact="new@example.com").count() == 1
    assert Enrolment.objects.filter(cohort=cohort).count() == 3


def test_invitation_email_is_sent(setup, django_capture_on_commit_callbacks, settings):
    from django_q.conf import Conf

    cohort, admin = setup
    bulk = services.bulk_enrolment_preview(
        cohort=cohort, admin=admin, uploaded=_upload("name,email\nNew,n@example.com\n")
    )
    original = Conf.SYNC
    Conf.SYNC = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.bulk_enrolment_confirm(bulk=bulk, admin=admin)
    finally:
        Conf.SYNC = original
    assert [m.to for m in mail.outbox] == [["n@example.com"]]
    assert "/accounts/password-reset/" in mail.outbox[0].body


def test_full_cohort_waitlists_the_overflow(setup):
    cohort, admin = setup
    cohort.capacity = 1
    cohort.save()
    bulk = services.bulk_enrolment_preview(
        cohort=cohort,
        admin=admin,
        uploaded=_upload("name,email\nA,a@example.com\nB,b@example.com\n"),
    )
    bulk = services.bulk_enrolment_confirm(bulk=bulk, admin=admin)
    assert [r["result"] for r in bulk.rows] == ["invited", "waitlisted"]


def test_only_the_organizations_admins_may_upload(setup, other_organization_user):
    cohort, _admin = setup
    member_of_other = OrgAdminFactory().user
    for outsider in (other_organization_user, member_of_other):
        with pytest.raises(services.CohortError):
            services.bulk_enrolment_preview(
                cohort=cohort, admin=outsider, uploaded=_upload(ROSTER)
            )
    assert not BulkEnrolment.objects.exists()


def test_upload_view_previews_and_confirm_view_enrols(client, setup):
    cohort, admin = setup
    client.force_login(admin)
    upload_url = reverse("cohorts:bulk_upload", args=[cohort.slug])
    response = client.post(upload_url, {"file": _upload(ROSTER)})
    bulk = BulkEnrolment.objects.get()
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "wang@example.com" in preview.content.decode()
    assert not Enrolment.objects.exists()
    confirm = reverse("cohorts:bulk_confirm", args=[cohort.slug, bulk.pk])
    assert client.get(confirm).status_code == 405
    client.post(confirm)
    assert Enrolment.objects.filter(cohort=cohort).count() == 2


def test_upload_view_reports_a_missing_column(client, setup):
    cohort, admin = setup
    client.force_login(admin)
    response = client.post(
        reverse("cohorts:bulk_upload", args=[cohort.slug]),
        {"file": _upload("姓名,电话\n王,123\n")},
    )
    assert response.status_code == 200
    assert "缺少" in response.content.decode()
    assert not BulkEnrolment.objects.exists()


def test_bulk_views_are_404_for_other_organizations(
    client, setup, other_organization_user
):
    cohort, admin = setup
    bulk = services.bulk_enrolment_preview(
        cohort=cohort, admin=admin, uploaded=_upload(ROSTER)
    )
    client.force_login(other_organization_user)
    for url in (
        reverse("cohorts:bulk_upload", args=[cohort.slug]),
        reverse("cohorts:bulk_preview", args=[cohort.slug, bulk.pk]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("cohorts:bulk_confirm", args=[cohort.slug, bulk.pk])
        ).status_code
        == 404
    )
    assert not Enrolment.objects.exists()
