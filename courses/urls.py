from django.urls import path

from courses import views

app_name = "courses"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("lessons/<int:lesson_id>/done/", views.lesson_done, name="lesson_done"),
    path(
        "lessons/<int:lesson_id>/quiz/<str:block_id>/",
        views.quiz_answer,
        name="quiz_answer",
    ),
    path(
        "lessons/<int:lesson_id>/checklist/<str:block_id>/",
        views.checklist_tick,
        name="checklist_tick",
    ),
]
