from django.urls import path

from cohorts.certificates import views

app_name = "certificates"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
    path("mine/", views.mine, name="mine"),
    path("name/", views.name, name="name"),
    path("all/", views.staff_list, name="staff_list"),
    path("c/<str:code>/pdf/", views.download, name="download"),
    path("c/<str:code>/manage/", views.manage, name="manage"),
    path("cohort/<slug:slug>/", views.cohort_certificates, name="cohort"),
    path("cohort/<slug:slug>/standing/", views.standing, name="standing"),
    path("cohort/<slug:slug>/issue/<int:user_id>/", views.issue_one, name="issue"),
    path("cohort/<slug:slug>/bulk/", views.bulk_start, name="bulk"),
    path("batch/<int:pk>/", views.batch, name="batch"),
    path("batch/<int:pk>/zip/", views.batch_archive, name="batch_archive"),
    path("design/<int:pk>/preview/", views.design_preview, name="design_preview"),
]
