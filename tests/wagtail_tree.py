"""Restore what Wagtail's migrations create, after a transactional test flushed it.

Transactional tests (browser tests, job round trips) end with a flush that empties
every table, including the locales, root page, default site and root collection the
migrations made. Serially pytest-django runs those tests last; with pytest-xdist a
worker may run an ordinary test after one, so each database test first makes sure
the tree is there again (one query when it is).
"""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Collection, Locale, Page, Site


def ensure_wagtail_tree() -> None:
    if Site.objects.filter(is_default_site=True).exists():
        return
    for code, _label in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    default = Locale.objects.get(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=default)
    )
    home = root.get_children().filter(slug="home").first() or root.add_child(
        instance=Page(
            title="Welcome to your new Wagtail site!", slug="home", locale=default
        )
    )
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
