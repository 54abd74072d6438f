"""The menu entries and home panel this part registers, per role (the menu's shape —
top level or drop-down — belongs to accounts.navigation)."""

from __future__ import annotations

import pytest

from accounts.navigation import navigation_for
from accounts.selectors import user_roles
from cohorts.coaching.models import CohortChampion
from tests.coaching.followups_setup import in_house_cohort

pytestmark = pytest.mark.django_db


def _urls(entries: list[dict[str, object]]) -> set[str]:
    urls: set[str] = set()
    for entry in entries:
        if "url" in entry:
            urls.add(str(entry["url"]))
        for value in entry.values():
            if isinstance(value, list):
                urls |= _urls(value)
    return urls


def test_each_role_gets_its_entry():
    setup = in_house_cohort()
    CohortChampion.objects.create(
        cohort=setup.cohort, organization=setup.organization, user=setup.colleague
    )
    trainee = _urls(navigation_for(user_roles(setup.trainee), "/"))
    coach = _urls(navigation_for(user_roles(setup.coach), "/"))
    champion = _urls(navigation_for(user_roles(setup.colleague), "/"))
    admin = _urls(navigation_for(user_roles(setup.admin), "/"))
    assert "/coaching/follow-ups/" in trainee
    assert "/coaching/trainees/" not in trainee | champion | admin
    assert "/coaching/trainees/" in coach
    assert "/coaching/champion/" in champion
    assert "/coaching/champion/" not in trainee
    assert "/coaching/retraining/" in admin
    assert "/coaching/retraining/" not in trainee
