"""Editors manage cohorts and their sessions in Wagtail's admin (a snippet)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cohorts.admin_forms import CohortAdminForm
from cohorts.models import Cohort


class CohortViewSet(SnippetViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "course", "format", "organization", "starts_on"]
    list_filter = ["format", "organization"]
    search_fields = ["name", "slug"]
    edit_handler = ObjectList(
        base_form_class=CohortAdminForm,
        children=[
            MultiFieldPanel(
                [
                    FieldPanel("course"),
                    FieldRowPanel([FieldPanel("name"), FieldPanel("slug")]),
                    FieldRowPanel([FieldPanel("format"), FieldPanel("organization")]),
                    FieldPanel("description"),
                ],
                heading=_("Cohort"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
                    FieldPanel("time_zone"),
                    FieldRowPanel(
                        [FieldPanel("capacity"), FieldPanel("join_code_expires_on")]
                    ),
                    FieldPanel("join_code"),
                    FieldPanel("coaches"),
                ],
                heading=_("Dates, seats and people"),
            ),
            InlinePanel(
                "sessions",
                heading=_("Sessions"),
                label=_("Session"),
                help_text=_("Times are in the cohort's time zone."),
                panels=[
                    FieldPanel("title"),
                    FieldRowPanel([FieldPanel("kind"), FieldPanel("trainee")]),
                    FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                    FieldPanel("meeting_url"),
                    FieldRowPanel([FieldPanel("address"), FieldPanel("map_url")]),
                    FieldRowPanel(
                        [FieldPanel("replay_url"), FieldPanel("materials_url")]
                    ),
                    FieldPanel("materials_note"),
                    FieldPanel("lessons"),
                ],
            ),
        ],
    )


register_snippet(CohortViewSet)
