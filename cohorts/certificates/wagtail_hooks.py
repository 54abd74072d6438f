"""Staff edit certificate designs and completion rules in Wagtail's admin (snippets);
the listing of designs offers a sample PDF, and the menu links to all certificates."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.admin.widgets.button import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cohorts.certificates.models import CertificateDesign, CompletionRule


class CertificateDesignViewSet(SnippetViewSet):
    model = CertificateDesign
    icon = "doc-full"
    menu_label = _("Certificate designs")
    list_display = ["name", "language", "updated_at"]
    search_fields = ["name"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("language")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("title_zh"), FieldPanel("title_en")]),
                FieldPanel("body_zh"),
                FieldPanel("body_en"),
                FieldPanel("issuer_name"),
            ],
            heading=_("Certificate text"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldRowPanel(
                    [FieldPanel("primary_colour"), FieldPanel("accent_colour")]
                ),
            ],
            heading=_("Look"),
        ),
        InlinePanel(
            "signatures",
            heading=_("Signatures"),
            label=_("Signature"),
            min_num=1,
            max_num=3,
            panels=[
                FieldRowPanel([FieldPanel("signer_name"), FieldPanel("signer_title")]),
                FieldPanel("image"),
            ],
        ),
    ]


class CompletionRuleViewSet(SnippetViewSet):
    model = CompletionRule
    icon = "tasks"
    menu_label = _("Completion rules")
    list_display = ["cohort", "design", "auto_issue", "updated_at"]
    panels = [
        FieldRowPanel([FieldPanel("cohort"), FieldPanel("design")]),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("min_attendance_percent"),
                        FieldPanel("min_lessons_percent"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("required_assignments"),
                        FieldPanel("required_assignments_count"),
                    ]
                ),
                FieldRowPanel(
                    [FieldPanel("min_average_score"), FieldPanel("final_assessment")]
                ),
            ],
            heading=_("Rules (leave a figure empty to not check it)"),
        ),
        FieldRowPanel([FieldPanel("hours"), FieldPanel("auto_issue")]),
    ]


class CertificatesGroup(SnippetViewSetGroup):
    items = (CertificateDesignViewSet, CompletionRuleViewSet)
    menu_icon = "doc-full"
    menu_label = _("Certificates")
    menu_order = 230


register_snippet(CertificatesGroup)


@hooks.register("register_snippet_listing_buttons")
def design_preview_button(snippet, user, next_url=None):  # type: ignore[no-untyped-def]
    if isinstance(snippet, CertificateDesign) and user.is_staff:
        yield Button(
            _("Preview PDF"),
            reverse("certificates:design_preview", args=[snippet.pk]),
            icon_name="view",
            priority=15,
            attrs={"target": "_blank", "rel": "noopener"},
        )


@hooks.register("register_admin_menu_item")
def all_certificates_menu_item() -> MenuItem:
    return MenuItem(
        _("Issued certificates"),
        reverse("certificates:staff_list"),
        icon_name="list-ul",
        order=231,
    )
