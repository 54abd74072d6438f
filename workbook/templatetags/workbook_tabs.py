from __future__ import annotations

from django import template

from workbook.tabs import tabs_for

register = template.Library()


@register.inclusion_tag("workbook/_nav.html")
def workbook_tabs(workbook_pk: int, active: str) -> dict[str, object]:
    return {"tabs": tabs_for(workbook_pk, active)}
