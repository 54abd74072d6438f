"""Course content served by Wagtail.

Skeleton laid by the foundation so that cohorts can point at a course; the courses
issue fills in the page fields, lessons and blocks.
"""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page


class CourseIndexPage(Page):
    """The course catalogue."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course catalogue")


class CoursePage(RoutablePageMixin, Page):
    """One course; cohorts (cohorts.Cohort, reverse relation `cohorts`) run it.

    Each cohort's schedule page is served by Wagtail under its course at
    `<course url>/cohorts/<cohort slug>/` (docs/architecture.md, "Cohort schedule
    pages"). The route reaches cohorts only through the reverse relation and its
    queryset API (`visible_to(user)`), so courses/ imports nothing from cohorts/.
    """

    summary = models.TextField(_("summary"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    parent_page_types = ["courses.CourseIndexPage"]

    @path("cohorts/<slug:cohort_slug>/", name="cohort_schedule")
    def cohort_schedule(self, request: HttpRequest, cohort_slug: str) -> HttpResponse:
        cohorts = self.cohorts.visible_to(request.user)  # type: ignore[attr-defined]
        cohort = get_object_or_404(cohorts, slug=cohort_slug)
        context = self.get_context(request)
        context["cohort"] = cohort
        return TemplateResponse(request, "cohorts/cohort_schedule_page.html", context)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
