from django.urls import path

from cohorts.feedback import views

app_name = "feedback"

urlpatterns = [
    path("<slug:slug>/diagnosis/", views.diagnosis, name="diagnosis"),
    path(
        "<slug:slug>/diagnosis/summary/",
        views.diagnosis_summary,
        name="diagnosis_summary",
    ),
    path(
        "<slug:slug>/diagnosis/trainees/<int:user_id>/",
        views.diagnosis_trainee,
        name="diagnosis_trainee",
    ),
    path(
        "<slug:slug>/sessions/<int:session_id>/survey/",
        views.session_survey,
        name="session_survey",
    ),
    path(
        "<slug:slug>/sessions/<int:session_id>/results/",
        views.session_results,
        name="session_results",
    ),
    path("<slug:slug>/evaluation/", views.evaluation, name="evaluation"),
    path("<slug:slug>/results/", views.results, name="results"),
]
