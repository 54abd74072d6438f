from django.urls import include, path

from workbook import homework, views

app_name = "workbook"

urlpatterns = [
    path("", views.workbook_list, name="list"),
    path("new/", views.workbook_create, name="create"),
    path("import/", views.workbook_import, name="import"),
    path("<int:pk>/workbook.json", views.workbook_export_file, name="export_file"),
    path("<int:pk>/duplicate/", views.workbook_duplicate, name="duplicate"),
    path("<int:pk>/archive/", views.workbook_archive, name="archive"),
    path("step/<slug:step>/", views.workbook_step, name="step"),
    # Coaching homework: hand in a frozen copy of a workbook (workbook/homework.py).
    path("homework/<int:assignment_id>/", homework.hand_in, name="homework_submit"),
    path("<int:pk>/", views.workbook_detail, name="detail"),
    path("<int:pk>/data/", views.data_index, name="data"),
    path("<int:pk>/data/upload/", views.data_upload, name="data_upload"),
    path("<int:pk>/data/<int:dataset_pk>/", views.dataset_detail, name="dataset"),
    path(
        "<int:pk>/data/<int:dataset_pk>/status/",
        views.dataset_status,
        name="dataset_status",
    ),
    path(
        "<int:pk>/data/<int:dataset_pk>/download/",
        views.dataset_download,
        name="dataset_download",
    ),
    path(
        "<int:pk>/data/<int:dataset_pk>/report.csv",
        views.dataset_errors,
        name="dataset_errors",
    ),
    path(
        "<int:pk>/data/<int:dataset_pk>/delete/",
        views.dataset_delete,
        name="dataset_delete",
    ),
    # Tree, targets, snapshots and sharing; dashboard, reviews and exports.
    path("", include("workbook.urls_build")),
    path("", include("workbook.urls_insight")),
]
