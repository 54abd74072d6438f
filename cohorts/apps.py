from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cohorts"
    verbose_name = _("Cohorts and coaching")

    def ready(self) -> None:
        from accounts.home import register_home_panel
        from accounts.navigation import NAV_ITEMS, NavItem
        from cohorts import home, reminders

        if not any(item.url_name == "cohorts:list" for item in NAV_ITEMS):
            NAV_ITEMS.append(NavItem(_("My cohorts"), "cohorts:list", "trainee"))
        register_home_panel(home.trainee_cohorts_panel)
        register_home_panel(home.coach_panel)
        reminders.register()
