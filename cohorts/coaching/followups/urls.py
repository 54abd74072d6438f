from django.urls import path

from cohorts.coaching.followups import views

urlpatterns = [
    path("follow-ups/", views.my_follow_ups, name="my_follow_ups"),
    path("follow-ups/<int:pk>/", views.follow_up_detail, name="follow_up"),
    path(
        "follow-ups/<int:pk>/record/", views.follow_up_record, name="follow_up_record"
    ),
    path(
        "follow-ups/<int:pk>/action-row/",
        views.follow_up_item_row,
        name="follow_up_item_row",
    ),
    path(
        "follow-ups/<int:pk>/reflect/",
        views.follow_up_reflect,
        name="follow_up_reflect",
    ),
    path("follow-ups/<int:pk>/edit/", views.follow_up_edit, name="follow_up_edit"),
    path(
        "follow-ups/new/<slug:cohort_slug>/", views.follow_up_new, name="follow_up_new"
    ),
    path("action-items/", views.my_action_items, name="my_action_items"),
    path(
        "action-items/<int:pk>/status/",
        views.action_item_status,
        name="action_item_status",
    ),
    path("trainees/", views.coach_trainees, name="coach_trainees"),
    path(
        "trainees/<slug:cohort_slug>/",
        views.coach_trainees,
        name="coach_trainees_cohort",
    ),
    path(
        "trainees/<slug:cohort_slug>/<int:user_id>/",
        views.trainee_detail,
        name="trainee_detail",
    ),
]
