"""Course content served by Wagtail.

Skeleton laid by the foundation so that cohorts can point at a course; the courses
issue fills in the page fields, lessons and blocks.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class CourseIndexPage(Page):
    """The course catalogue."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("course catalogue")


class CoursePage(Page):
    """One course; cohorts (cohorts.Cohort) run it on dates."""

    summary = models.TextField(_("summary"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    parent_page_types = ["courses.CourseIndexPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
