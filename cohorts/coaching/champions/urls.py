from django.urls import path

from cohorts.coaching.champions import views

urlpatterns = [
    path(
        "champions/<slug:cohort_slug>/", views.champions_cohort, name="champions_cohort"
    ),
    path(
        "champions/<slug:cohort_slug>/name/", views.champion_name, name="champion_name"
    ),
    path(
        "champions/<slug:cohort_slug>/<int:pk>/remove/",
        views.champion_remove,
        name="champion_remove",
    ),
    path("champion/", views.champion_team, name="champion_team"),
    path("champion/sessions/new/", views.retraining_new, name="retraining_new"),
    path(
        "champion/sessions/<int:pk>/edit/",
        views.retraining_edit,
        name="retraining_edit",
    ),
    path("retraining/", views.retraining_index, name="retraining_index"),
    path(
        "retraining/sessions/<int:pk>/materials/",
        views.retraining_materials,
        name="retraining_materials",
    ),
    path("retraining/<slug:org_slug>/", views.retraining_log, name="retraining_log"),
]
