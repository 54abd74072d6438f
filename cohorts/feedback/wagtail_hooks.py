"""Staff edit diagnosis questionnaires in Wagtail's admin (a snippet with inline questions)."""

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

from cohorts.feedback.models import DiagnosisQuestionnaire


class DiagnosisQuestionnaireViewSet(SnippetViewSet):
    model = DiagnosisQuestionnaire
    icon = "list-ul"
    menu_label = _("Diagnosis questionnaires")
    menu_order = 220
    add_to_admin_menu = True
    list_display = ["title_zh", "title_en", "course", "updated_at"]
    search_fields = ["title_zh", "title_en"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("course"),
                    FieldRowPanel([FieldPanel("title_zh"), FieldPanel("title_en")]),
                    FieldRowPanel([FieldPanel("intro_zh"), FieldPanel("intro_en")]),
                ],
                heading=_("Questionnaire"),
            ),
            InlinePanel(
                "questions",
                heading=_("Questions"),
                label=_("Question"),
                help_text=_(
                    "Drag to reorder. Trainees answer on a phone: keep it short."
                ),
                panels=[
                    FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
                    FieldRowPanel([FieldPanel("text_zh"), FieldPanel("text_en")]),
                    FieldRowPanel([FieldPanel("help_zh"), FieldPanel("help_en")]),
                    FieldPanel("choices_text"),
                    FieldRowPanel([FieldPanel("min_value"), FieldPanel("max_value")]),
                    FieldPanel("prefill"),
                ],
            ),
        ]
    )


register_snippet(DiagnosisQuestionnaireViewSet)
