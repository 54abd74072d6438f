from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        from accounts.home import register_home_panel
        from accounts.navigation import NAV_ITEMS, NavItem
        from courses.home import course_progress_panel

        item = NavItem(_("Courses"), "courses:catalogue", "anyone")
        if item not in NAV_ITEMS:
            NAV_ITEMS.insert(1, item)
        register_home_panel(course_progress_panel)
