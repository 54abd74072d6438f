"""Dashboard, weekly review and exports: pages, fragments, permissions, queries."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories.accounts import UserFactory
from tests.factories.workbook import WorkbookFactory
from tests.workbook.test_insight_setup import store_workbook
from workbook import reports, reviews
from workbook.models import (
    ActionItem,
    ActionItemStatus,
    ReportJob,
    ReportStatus,
    WeeklyReview,
    WorkbookShare,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def workbook():  # type: ignore[no-untyped-def]
    return store_workbook()


def test_dashboard_draws_the_tree_with_status_and_the_drill_down(
    client, workbook
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(workbook.owner)
    response = client.get(
        reverse("workbook:dashboard", args=[workbook.pk]), {"period": "2026-05"}
    )
    assert response.status_code == 200
    assert "workbook/insight/dashboard.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert 'id="node-sales"' in html and "status-off_track" in html
    assert "130.9万" in html  # May sales ¥1,308,633.47
    body = html.split('id="dashboard-body"', 1)[1]
    assert (
        body.count("<svg") == 3
    )  # trend, breakdown, waterfall (not the header's bell)
    assert "<title" in html and "<desc" in html
    assert 'id="drill"' in html and 'id="dashboard-body"' in html


def test_dashboard_fragments_for_htmx(client, workbook) -> None:  # type: ignore[no-untyped-def]
    client.force_login(workbook.owner)
    url = reverse("workbook:dashboard", args=[workbook.pk])
    drill = client.get(
        url,
        {"period": "2026-05", "node": "sales", "versus": "prior"},
        headers={"HX-Request": "true", "HX-Target": "drill"},
    )
    html = drill.content.decode()
    assert html.lstrip().startswith('<section class="panel drill" id="drill"')
    assert "<html" not in html
    body = client.get(url, {"period": "2026-04"}, headers={"HX-Request": "true"})
    assert body.content.decode().lstrip().startswith('<div id="dashboard-body"')
    assert "HX-Request" in body["Vary"]


def test_dashboard_with_an_unknown_period_falls_back_with_a_message(
    client, workbook
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(workbook.owner)
    response = client.get(
        reverse("workbook:dashboard", args=[workbook.pk]), {"period": "2026-13"}
    )
    assert response.status_code == 200
    assert response.context["period"] == "2026-06"


DASHBOARD_QUERIES = 8  # with the header bell's unread count
"""Session, user, the user's roles (navigation), workbook (access), facts, FX
rates, targets: the same whatever the size of the tree."""


@pytest.mark.parametrize("extra_nodes", [0, 40])
def test_dashboard_queries_do_not_grow_with_the_tree(
    client, django_assert_num_queries, extra_nodes
) -> None:  # type: ignore[no-untyped-def]
    workbook = store_workbook()
    document = workbook.document
    nodes = document["tree"]["nodes"]
    root = next(n for n in nodes if n["key"] == document["tree"]["root"])
    extra = [f"extra_{i}" for i in range(extra_nodes)]
    nodes.extend({"key": key, "metric": "sessions"} for key in extra)
    root["children"] = [*root.get("children", []), *extra]
    workbook.document = document
    workbook.save()
    client.force_login(workbook.owner)
    url = reverse("workbook:dashboard", args=[workbook.pk])
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(url, {"period": "2026-05"})
    assert len(response.context["cards"]) == 14 + extra_nodes


def test_review_lists_off_track_kpis_with_their_driver_and_carries_items(
    client, workbook
) -> None:  # type: ignore[no-untyped-def]
    owner = workbook.owner
    client.force_login(owner)
    response = client.post(
        reverse("workbook:review_start", args=[workbook.pk]), {"period": "2026-05"}
    )
    review = WeeklyReview.objects.get(workbook=workbook, period="2026-05")
    assert response.url == reverse("workbook:review", args=[workbook.pk, review.pk])
    finding = review.findings.get(node_key="sales")
    assert finding.status == "off_track"
    assert finding.driver_key == "sessions"
    client.post(
        reverse("workbook:finding_cause", args=[workbook.pk, review.pk, finding.pk]),
        {f"f{finding.pk}-cause": "Sessions fell after the listing lost its badge."},
    )
    client.post(
        reverse("workbook:action_create", args=[workbook.pk, review.pk]),
        {
            "prefix": f"a{finding.pk}",
            f"a{finding.pk}-description": "Relaunch the coupon",
            f"a{finding.pk}-owner": owner.pk,
            f"a{finding.pk}-due_date": "2026-06-07",
            f"a{finding.pk}-finding": finding.pk,
        },
    )
    finding.refresh_from_db()
    assert finding.cause.startswith("Sessions fell")
    saved = client.post(
        reverse("workbook:finding_cause", args=[workbook.pk, review.pk, finding.pk]),
        {f"f{finding.pk}-cause": "Sessions fell; the badge came back on 2 June."},
        headers={"HX-Request": "true"},
    )
    assert saved.content.decode().startswith(f'<span id="cause-status-{finding.pk}"')
    item = ActionItem.objects.get(workbook=workbook)
    assert (item.finding, item.owner, item.status) == (finding, owner, "open")

    page = client.get(reverse("workbook:review", args=[workbook.pk, review.pk]))
    assert "Relaunch the coupon" in page.content.decode()

    june = reviews.review_start(workbook=workbook, user=owner, period_label="2026-06")
    page = client.get(reverse("workbook:review", args=[workbook.pk, june.pk]))
    assert [i.pk for i in page.context["carried_items"]] == [item.pk]

    done = client.post(
        reverse("workbook:action_status", args=[workbook.pk, item.pk]),
        {"status": "done"},
        headers={"HX-Request": "true"},
    )
    assert 'id="action-' in done.content.decode()
    item.refresh_from_db()
    assert item.status == ActionItemStatus.DONE and item.completed_at
    page = client.get(reverse("workbook:review", args=[workbook.pk, june.pk]))
    assert page.context["carried_items"] == []

    client.post(
        reverse("workbook:review_complete", args=[workbook.pk, june.pk]),
        {"summary": "Traffic is the problem."},
    )
    june.refresh_from_db()
    assert june.status == "done" and june.summary == "Traffic is the problem."
    listing = client.get(reverse("workbook:reviews", args=[workbook.pk]))
    assert "2026-06" in listing.content.decode()


def test_action_owner_must_be_in_the_organization(workbook) -> None:  # type: ignore[no-untyped-def]
    review = reviews.review_start(
        workbook=workbook, user=workbook.owner, period_label="2026-05"
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        reviews.action_item_create(
            review=review,
            user=workbook.owner,
            description="x",
            owner=UserFactory(),
        )


def test_exports_xlsx_and_pdf(client, workbook) -> None:  # type: ignore[no-untyped-def]
    client.force_login(workbook.owner)
    from workbook.models import TargetValue

    TargetValue.objects.create(
        workbook=workbook, node_key="sessions", period="2026-04", value=-1
    )
    workbook.document["tree"]["nodes"][0]["name_en"] = '=HYPERLINK("x")'
    workbook.save()
    response = client.post(
        reverse("workbook:export_request", args=[workbook.pk]), {"kind": "xlsx"}
    )
    assert response.status_code == 302
    job = ReportJob.objects.get(workbook=workbook, kind="xlsx")
    reports.report_build(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ReportStatus.DONE, job.failure
    status = client.get(
        reverse("workbook:export_status", args=[workbook.pk, job.pk]),
        headers={"HX-Request": "true"},
    )
    assert status.status_code == 286  # stop polling
    download = client.get(
        reverse("workbook:export_download", args=[workbook.pk, job.pk])
    )
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    tree, targets, actuals = book.worksheets
    assert tree["C2"].value == '\'=HYPERLINK("x")'
    assert tree["C2"].data_type == "s"
    formulas = [row[6].value for row in tree.iter_rows(min_row=2)]
    assert all(f is None or isinstance(f, str) for f in formulas)
    values = {
        (r[0].value, r[1].value): r[3].value for r in targets.iter_rows(min_row=2)
    }
    assert values[("sales", "2026-05")] == 1500000
    assert values[("sessions", "2026-04")] == -1  # a number, not the text "-1"
    rows = [[c.value for c in r] for r in actuals.iter_rows(min_row=2)]
    may_sales = next(r for r in rows if r[0] == "sales" and r[2] == "2026-05")
    assert may_sales[3] == pytest.approx(1308633.47)

    reviews.review_start(workbook=workbook, user=workbook.owner, period_label="2026-05")
    pdf_job = reports.report_request(
        workbook=workbook, user=workbook.owner, kind="pdf", period_label="2026-05"
    )
    reports.report_build(job_id=pdf_job.pk)
    pdf_job.refresh_from_db()
    assert pdf_job.status == ReportStatus.DONE, pdf_job.failure
    assert pdf_job.file.read(5) == b"%PDF-"


URL_NAMES = [
    ("dashboard", "get", ()),
    ("reviews", "get", ()),
    ("review_start", "post", ()),
    ("exports", "get", ()),
    ("export_request", "post", ()),
]


@pytest.mark.parametrize(("name", "method", "extra"), URL_NAMES)
def test_other_users_get_404(client, name, method, extra) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    client.force_login(UserFactory())
    response = getattr(client, method)(
        reverse(f"workbook:{name}", args=[workbook.pk, *extra])
    )
    assert response.status_code == 404


def test_object_urls_are_404_for_others_and_writes_404_for_shared_viewers(
    client,
) -> None:  # type: ignore[no-untyped-def]
    workbook = WorkbookFactory()
    review = WeeklyReview.objects.create(workbook=workbook, period="2026-05")
    finding = review.findings.create(node_key="gmv", status="off_track")
    item = ActionItem.objects.create(
        owner=workbook.owner, workbook=workbook, review=review, description="x"
    )
    job = ReportJob.objects.create(
        workbook=workbook, requested_by=workbook.owner, kind="pdf"
    )
    coach = UserFactory()
    WorkbookShare.objects.create(workbook=workbook, user=coach, role="coach")
    urls = {
        "get": [
            reverse("workbook:review", args=[workbook.pk, review.pk]),
            reverse("workbook:export_status", args=[workbook.pk, job.pk]),
            reverse("workbook:export_download", args=[workbook.pk, job.pk]),
        ],
        "post": [
            reverse(
                "workbook:finding_cause", args=[workbook.pk, review.pk, finding.pk]
            ),
            reverse("workbook:action_create", args=[workbook.pk, review.pk]),
            reverse("workbook:review_complete", args=[workbook.pk, review.pk]),
            reverse("workbook:action_status", args=[workbook.pk, item.pk]),
        ],
    }
    client.force_login(UserFactory())
    for method, addresses in urls.items():
        for url in addresses:
            assert (
                getattr(client, method)(url, {"status": "done"}).status_code == 404
            ), url
    client.force_login(coach)
    assert client.get(urls["get"][0]).status_code == 200
    assert (
        client.get(reverse("workbook:dashboard", args=[workbook.pk])).status_code == 200
    )
    for url in urls["post"]:
        assert client.post(url, {"status": "done"}).status_code == 404, url
    item.refresh_from_db()
    assert item.status == "open"


def test_home_panel_lists_open_action_items(rf) -> None:  # type: ignore[no-untyped-def]
    from workbook.home_panels import action_items_panel

    workbook = WorkbookFactory()
    request = rf.get("/")
    request.user = workbook.owner
    assert action_items_panel(request) is None
    ActionItem.objects.create(
        owner=workbook.owner, workbook=workbook, description="Call"
    )
    panel = action_items_panel(request)
    assert [i.description for i in panel.context["items"]] == ["Call"]


def test_a_leaf_kpi_explains_why_there_is_no_waterfall(client, workbook) -> None:  # type: ignore[no-untyped-def]
    client.force_login(workbook.owner)
    response = client.get(
        reverse("workbook:dashboard", args=[workbook.pk]),
        {"period": "2026-05", "node": "contribution_profit", "versus": "prior"},
        headers={"HX-Request": "true", "HX-Target": "drill"},
    )
    html = response.content.decode()
    assert "Why there is no waterfall" in html or "无法生成瀑布图" in html
    assert "node has no" not in html
