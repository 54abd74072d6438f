from django.urls import path

from cohorts.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path(
        "cohort/<slug:cohort_slug>/report/", views.teacher_cohort, name="teacher_cohort"
    ),
    path(
        "cohort/<slug:cohort_slug>/report/exports/",
        views.cohort_export_request,
        name="cohort_export_request",
    ),
    path(
        "cohort/<slug:cohort_slug>/report/exports/<int:pk>/",
        views.cohort_export_status,
        name="cohort_export_status",
    ),
    path(
        "cohort/<slug:cohort_slug>/report/exports/<int:pk>/download/",
        views.cohort_export_download,
        name="cohort_export_download",
    ),
    path("<slug:org_slug>/", views.dashboard, name="dashboard"),
    path(
        "<slug:org_slug>/cohorts/<slug:cohort_slug>/",
        views.org_cohort,
        name="org_cohort",
    ),
    path("<slug:org_slug>/exports/", views.export_request, name="export_request"),
    path(
        "<slug:org_slug>/exports/<int:pk>/", views.export_status, name="export_status"
    ),
    path(
        "<slug:org_slug>/exports/<int:pk>/download/",
        views.export_download,
        name="export_download",
    ),
]
