"""URL patterns of the workbook's insight pages (included by workbook/urls.py)."""

from django.urls import path

from workbook import views_insight as views

urlpatterns = [
    path("<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/reviews/", views.review_list, name="reviews"),
    path("<int:pk>/reviews/start/", views.review_start, name="review_start"),
    path("<int:pk>/reviews/<int:review_pk>/", views.review_detail, name="review"),
    path(
        "<int:pk>/reviews/<int:review_pk>/findings/<int:finding_pk>/",
        views.finding_cause,
        name="finding_cause",
    ),
    path(
        "<int:pk>/reviews/<int:review_pk>/actions/",
        views.action_create,
        name="action_create",
    ),
    path(
        "<int:pk>/reviews/<int:review_pk>/complete/",
        views.review_complete,
        name="review_complete",
    ),
    path(
        "<int:pk>/actions/<int:item_pk>/status/",
        views.action_status,
        name="action_status",
    ),
    path("<int:pk>/exports/", views.exports, name="exports"),
    path("<int:pk>/exports/new/", views.export_request, name="export_request"),
    path(
        "<int:pk>/exports/<int:job_pk>/status/",
        views.export_status,
        name="export_status",
    ),
    path(
        "<int:pk>/exports/<int:job_pk>/download/",
        views.export_download,
        name="export_download",
    ),
]
