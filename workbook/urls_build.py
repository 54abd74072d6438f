"""URL patterns of the workbook's build pages (included by workbook/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
