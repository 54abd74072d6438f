"""Homework routes, included at /coaching/ in the ``coaching`` namespace."""

from django.urls import path

from cohorts.coaching.homework import views, views_review

urlpatterns = [
    path("cohorts/<slug:slug>/homework/", views.assignment_list, name="assignments"),
    path(
        "cohorts/<slug:slug>/homework/new/",
        views.assignment_create,
        name="assignment_create",
    ),
    path("homework/<int:pk>/", views.assignment_detail, name="assignment"),
    path("homework/<int:pk>/edit/", views.assignment_edit, name="assignment_edit"),
    path(
        "homework/<int:pk>/delete/", views.assignment_delete, name="assignment_delete"
    ),
    path("homework/<int:pk>/submit/", views.submission_create, name="submit"),
    path("homework/files/<int:pk>/", views.version_file, name="version_file"),
    path("reviews/", views_review.review_queue, name="review_queue"),
    path("reviews/stats/", views_review.review_stats, name="review_stats"),
    path("reviews/<int:pk>/", views_review.review, name="review"),
    path("reviews/<int:pk>/claim/", views_review.claim, name="review_claim"),
    path("reviews/<int:pk>/release/", views_review.release, name="review_release"),
]
