"""A trainee's standing against their cohort's completion rules.

The figures come from `cohorts.reporting.progress.cohort_progress` (the same numbers
the organisation dashboard shows); this module only compares them with the rules and
says, in the reader's language, what is met and what is left. Rules left empty are not
checked. A cohort without rules has no certificate to earn (`Standing.has_rules`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohorts.certificates.models import CompletionRule, RequiredAssignments
from cohorts.coaching.models import Submission, SubmissionStatus
from cohorts.models import Cohort
from cohorts.reporting.progress import PersonProgress, cohort_progress


@dataclass(frozen=True, slots=True)
class RuleCheck:
    key: str
    label: str
    required: str
    actual: str
    met: bool
    remaining: str = ""


@dataclass(frozen=True, slots=True)
class Standing:
    user_id: int
    checks: list[RuleCheck] = field(default_factory=list)
    progress: PersonProgress | None = None
    has_rules: bool = True

    @property
    def eligible(self) -> bool:
        return self.has_rules and all(check.met for check in self.checks)

    @property
    def unmet(self) -> list[RuleCheck]:
        return [check for check in self.checks if not check.met]


def _pct(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.normalize():f}%" if value == value.to_integral() else f"{value}%"


def _percent_check(
    key: str, label: str, minimum: Decimal | None, actual: Decimal | None
) -> RuleCheck | None:
    if minimum is None:
        return None
    met = actual is not None and actual >= minimum
    remaining = ""
    if not met:
        gap = minimum - (actual or Decimal(0))
        remaining = _("%(gap)s percentage points to go") % {"gap": _pct(gap)[:-1]}
    return RuleCheck(
        key=key,
        label=label,
        required=_("at least %(percent)s") % {"percent": _pct(minimum)},
        actual=_pct(actual),
        met=met,
        remaining=remaining,
    )


def _assignments_check(rule: CompletionRule, p: PersonProgress) -> RuleCheck | None:
    if rule.required_assignments == RequiredAssignments.NONE:
        return None
    if rule.required_assignments == RequiredAssignments.COUNT:
        needed = rule.required_assignments_count or 0
    else:
        needed = p.assignments_required
    approved = p.assignments_required_approved
    left = max(needed - approved, 0)
    return RuleCheck(
        key="assignments",
        label=_("Required assignments approved"),
        required=(
            _("all %(count)s") % {"count": needed}
            if rule.required_assignments == RequiredAssignments.ALL
            else _("at least %(count)s") % {"count": needed}
        ),
        actual=_("%(approved)s of %(total)s approved")
        % {"approved": approved, "total": max(needed, p.assignments_required)},
        met=approved >= needed,
        remaining=ngettext(
            "%(count)s more assignment to be approved",
            "%(count)s more assignments to be approved",
            left,
        )
        % {"count": left}
        if left
        else "",
    )


def standing_for(
    rule: CompletionRule | None, progress: PersonProgress, *, final_approved: bool
) -> Standing:
    """Compare one person's figures with the rules (no queries)."""
    if rule is None:
        return Standing(user_id=progress.user_id, progress=progress, has_rules=False)
    checks = [
        _percent_check(
            "attendance",
            _("Attendance"),
            rule.min_attendance_percent,
            progress.attendance_percent,
        ),
        _percent_check(
            "lessons",
            _("Lessons completed"),
            rule.min_lessons_percent,
            progress.lessons_percent,
        ),
        _assignments_check(rule, progress),
        _percent_check(
            "score",
            _("Average rubric score"),
            rule.min_average_score,
            progress.average_score_percent,
        ),
    ]
    if rule.final_assessment_id:
        checks.append(
            RuleCheck(
                key="final",
                label=_("Final assessment"),
                required=_("approved"),
                actual=_("approved") if final_approved else _("not approved yet"),
                met=final_approved,
                remaining="" if final_approved else _("Submit it and get it approved"),
            )
        )
    return Standing(
        user_id=progress.user_id,
        checks=[check for check in checks if check is not None],
        progress=progress,
    )


def rule_for(cohort: Cohort) -> CompletionRule | None:
    return (
        CompletionRule.objects.select_related("design", "final_assessment")
        .filter(cohort=cohort)
        .first()
    )


def cohort_standings(
    cohort: Cohort,
    user_ids: Iterable[int] | None = None,
    *,
    rule: CompletionRule | None = None,
) -> dict[int, Standing]:
    """Standing of the cohort's active trainees (or of `user_ids`), in ~10 queries."""
    rule = rule if rule is not None else rule_for(cohort)
    progress = cohort_progress(cohort, user_ids=user_ids)
    approved_final: set[int] = set()
    if rule is not None and rule.final_assessment_id:
        approved_final = set(
            Submission.objects.filter(
                assignment_id=rule.final_assessment_id,
                trainee_id__in=list(progress),
                status=SubmissionStatus.APPROVED,
            ).values_list("trainee_id", flat=True)
        )
    return {
        user_id: standing_for(rule, p, final_approved=user_id in approved_final)
        for user_id, p in progress.items()
    }
