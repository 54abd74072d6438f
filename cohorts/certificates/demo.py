"""Demo certificates for `seed_demo` (runs after cohorts, coaching and workbook).

A bilingual design, completion rules for both demo cohorts, Li Na's certificate for the
Seabright in-house cohort (issued by staff override with the reason "demo", since the
cohort is still running) and Kevin Zhang's, issued the same way and then revoked.
Idempotent: the design is found by name, rules by cohort, certificates by holder and
cohort (any status), so running it twice changes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from accounts.models import User
from cohorts.certificates import services
from cohorts.certificates.models import (
    Certificate,
    CertificateDesign,
    CertificateName,
    CertificateSignature,
    CompletionRule,
    DesignLanguage,
    RequiredAssignments,
)
from cohorts.models import Cohort

DESIGN_NAME = "Lodestar 双语结业证书"


def _design() -> CertificateDesign:
    design, created = CertificateDesign.objects.get_or_create(
        name=DESIGN_NAME,
        defaults={
            "language": DesignLanguage.BILINGUAL,
            "title_zh": "结业证书",
            "title_en": "Certificate of Completion",
            "body_zh": (
                "于 {start_date} 至 {end_date} 参加「{course}」培训（{cohort}），"
                "完成全部课程、出勤与作业要求，共计 {hours} 学时，作业平均得分 {score}，"
                "特发此证。"
            ),
            "body_en": (
                "has completed {course} ({cohort}), {start_date} – {end_date}: "
                "{hours} hours of training with an average assignment score of {score}."
            ),
            "issuer_name": "Lodestar 跨境电商学院",
            "primary_colour": "#1f3a5f",
            "accent_colour": "#b8893b",
        },
    )
    if created:
        CertificateSignature.objects.create(
            design=design,
            signer_name="王明远",
            signer_title="首席讲师 · Lead Coach",
            sort_order=0,
        )
        CertificateSignature.objects.create(
            design=design,
            signer_name="周晓岚",
            signer_title="教务主任 · Academic Director",
            sort_order=1,
        )
    return design


def _rules(cohort: Cohort, design: CertificateDesign, hours: str) -> CompletionRule:
    rule, _ = CompletionRule.objects.update_or_create(
        cohort=cohort,
        defaults={
            "design": design,
            "min_attendance_percent": Decimal("75"),
            "min_lessons_percent": Decimal("60"),
            "required_assignments": RequiredAssignments.ALL,
            "min_average_score": Decimal("70"),
            "hours": Decimal(hours),
        },
    )
    return rule


def _issue(
    cohort: Cohort, trainee: User, staff: User, *, reason: str
) -> Certificate | None:
    existing = Certificate.objects.filter(cohort=cohort, user=trainee).first()
    if existing is not None:
        return None
    return services.certificate_issue(
        cohort=cohort, trainee=trainee, actor=staff, override_reason=reason
    )


def seed(*, stdout: Any = None) -> None:
    people = {u.email: u for u in User.objects.filter(email__endswith=".demo")}
    staff = people["staff@lodestar.demo"]
    li = people["li.na@seabright.demo"]
    kevin = people["kevin.zhang@seabright.demo"]
    design = _design()
    in_house = Cohort.objects.get(slug="seabright-in-house")
    _rules(in_house, design, "24")
    public = Cohort.objects.filter(slug="kpi-public-class").first()
    if public is not None:
        _rules(public, design, "12")

    CertificateName.objects.get_or_create(
        user=li, defaults={"name_zh": "李娜", "name_latin": "Li Na"}
    )
    issued = _issue(in_house, li, staff, reason="demo")
    revoked = _issue(in_house, kevin, staff, reason="demo")
    if revoked is not None:
        services.certificate_revoke(
            certificate=revoked,
            actor=staff,
            reason="演示：信息登记有误，已撤销 (demo: revoked example)",
        )
    if stdout is not None:
        made = sum(1 for c in (issued, revoked) if c is not None)
        stdout.write(f"certificates: design, rules and {made} certificates")
