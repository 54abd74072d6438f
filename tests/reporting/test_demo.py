"""The reporting demo step: teams for Seabright and one finished export, idempotent."""

from __future__ import annotations

from io import StringIO

from accounts.models import Membership
from cohorts.reporting import demo
from cohorts.reporting.models import ExportJob, ExportStatus
from tests.factories.cohorts import seed_demo_cohorts


def test_demo_sets_teams_and_one_export(db: None) -> None:
    seed_demo_cohorts()
    demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    teams = dict(
        Membership.objects.filter(organization__slug="seabright").values_list(
            "user__email", "team"
        )
    )
    assert teams["kevin.zhang@seabright.demo"] == "广告组"
    assert teams["hr@seabright.demo"] == ""
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE, job.failure
    assert job.file_name.endswith(".xlsx")


def test_demo_keeps_a_team_someone_set(db: None) -> None:
    seed_demo_cohorts()
    Membership.objects.filter(user__email="li.na@seabright.demo").update(team="Shopify")
    demo.seed(stdout=StringIO())
    assert Membership.objects.get(user__email="li.na@seabright.demo").team == "Shopify"
