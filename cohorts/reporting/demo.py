"""Demo data for the enterprise reports (`seed_demo`).

The reports read what the other demos already made (cohorts, attendance, homework,
champions, certificates), so this step only adds what they leave out: the teams of
Seabright's people (so the team filter has something to filter) and, once, a
finished Excel export on the dashboard so the export list is not empty.
Idempotent: teams are set only where none is set; the export is made only if
Seabright has none.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from accounts.models import Membership, MembershipRole, Organization
from cohorts.reporting.exports import export_build
from cohorts.reporting.models import ExportJob, ExportKind, ExportScope

DEMO_TEAMS = {
    "chen.siyuan@seabright.demo": "运营中心",
    "li.na@seabright.demo": "亚马逊美国站",
    "kevin.zhang@seabright.demo": "广告组",
}


def seed_teams(organization: Organization) -> None:
    for email, team in DEMO_TEAMS.items():
        Membership.objects.filter(
            organization=organization, user__email=email, team=""
        ).update(team=team)


def seed(*, stdout: Any = None) -> None:
    organization = Organization.objects.filter(slug="seabright").first()
    if organization is None:
        return
    seed_teams(organization)
    if ExportJob.objects.filter(organization=organization).exists():
        return
    admin = (
        Membership.objects.filter(organization=organization, role=MembershipRole.ADMIN)
        .select_related("user")
        .first()
    )
    job = ExportJob.objects.create(
        organization=organization,
        scope=ExportScope.DASHBOARD,
        kind=ExportKind.XLSX,
        requested_by=admin.user if admin else None,
        language=admin.user.preferred_language if admin else "zh-hans",
    )
    with translation.override(job.language):
        job = export_build(job_id=job.pk)
    if stdout is not None:
        stdout.write(f"Enterprise reports: teams for Seabright, export {job.status}")
