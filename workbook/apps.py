from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbookConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "workbook"
    verbose_name = _("KPI workbooks")

    def ready(self) -> None:
        from accounts.home import register_home_panel
        from accounts.navigation import NAV_ITEMS, NavItem
        from workbook import reminders
        from workbook.home_panels import action_items_panel

        register_home_panel(action_items_panel)
        reminders.register()

        NAV_ITEMS.append(NavItem(_("Workbooks"), "workbook:list", "trainee"))
        NAV_ITEMS.append(
            NavItem(_("Shared with me"), "workbook:shared", "coach|champion")
        )
