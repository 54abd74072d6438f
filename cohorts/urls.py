from django.urls import path

from cohorts import views

app_name = "cohorts"

urlpatterns = [
    path("", views.cohort_list, name="list"),
    path("join/", views.join, name="join"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("feeds/<str:key>.ics", views.feed_user, name="feed_user"),
    path("feeds/<str:key>/<slug:slug>.ics", views.feed_cohort, name="feed_cohort"),
    path("checkin/<int:session_id>/<str:code>/", views.checkin, name="checkin"),
    path("<slug:slug>/", views.cohort_detail, name="detail"),
    path("<slug:slug>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/attendance/", views.attendance_report, name="attendance"),
    path("<slug:slug>/people/", views.roster, name="roster"),
    path("<slug:slug>/enrol/", views.bulk_upload, name="bulk_upload"),
    path("<slug:slug>/enrol/<int:bulk_id>/", views.bulk_preview, name="bulk_preview"),
    path(
        "<slug:slug>/enrol/<int:bulk_id>/confirm/",
        views.bulk_confirm,
        name="bulk_confirm",
    ),
    path("<slug:slug>/questions/", views.questions, name="questions"),
    path("<slug:slug>/questions/<int:question_id>/", views.question, name="question"),
    path(
        "<slug:slug>/questions/<int:question_id>/answers/<int:answer_id>/accept/",
        views.answer_accept,
        name="answer_accept",
    ),
    path(
        "<slug:slug>/sessions/<int:session_id>/", views.session_detail, name="session"
    ),
    path(
        "<slug:slug>/sessions/<int:session_id>/calendar.ics",
        views.session_ics,
        name="session_ics",
    ),
    path(
        "<slug:slug>/sessions/<int:session_id>/attendance/",
        views.attendance_take,
        name="attendance_take",
    ),
    path(
        "<slug:slug>/sessions/<int:session_id>/attendance/<int:user_id>/",
        views.attendance_mark,
        name="attendance_mark",
    ),
    path(
        "<slug:slug>/sessions/<int:session_id>/checkin/",
        views.checkin_screen,
        name="checkin_screen",
    ),
]
