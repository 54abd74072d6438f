"""URL patterns of the workbook's insight pages (included by workbook/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
