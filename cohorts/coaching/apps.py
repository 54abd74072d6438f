from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    """Homework, reviews, follow-ups and champions: the coaching half of `cohorts/`."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts.coaching"
    label = "coaching"
    verbose_name = _("Coaching")

    def ready(self) -> None:
        from cohorts.coaching import reminders
        from cohorts.coaching.champions import hooks as champions
        from cohorts.coaching.followups import hooks as followups
        from cohorts.coaching.homework import hooks as homework

        for part in (homework, followups, champions, reminders):
            part.register()
