from django.urls import include, path

app_name = "coaching"

urlpatterns = [
    path("", include("cohorts.coaching.homework.urls")),
    path("", include("cohorts.coaching.followups.urls")),
    path("", include("cohorts.coaching.champions.urls")),
]
