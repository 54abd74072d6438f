"""URL patterns of the workbook's build pages (included by workbook/urls.py)."""

from django.urls import path

from workbook import views_build as views

urlpatterns = [
    path("shared/", views.shared_with_me, name="shared"),
    path("<int:pk>/tree/", views.tree_index, name="tree"),
    path("<int:pk>/tree/add/", views.tree_node_add, name="tree_add"),
    path("<int:pk>/tree/formula/", views.tree_formula_check, name="tree_formula"),
    path("<int:pk>/tree/<slug:key>/edit/", views.tree_node_edit, name="tree_edit"),
    path("<int:pk>/tree/<slug:key>/move/", views.tree_node_move, name="tree_move"),
    path(
        "<int:pk>/tree/<slug:key>/remove/", views.tree_node_remove, name="tree_remove"
    ),
    path("<int:pk>/targets/", views.targets_index, name="targets"),
    path("<int:pk>/targets/cell/", views.target_cell, name="target_cell"),
    path("<int:pk>/targets/allocate/", views.target_allocate, name="target_allocate"),
    path("<int:pk>/targets/history/", views.target_history, name="target_history"),
    path("<int:pk>/snapshots/", views.snapshots_index, name="snapshots"),
    path("<int:pk>/snapshots/new/", views.snapshot_create, name="snapshot_create"),
    path(
        "<int:pk>/snapshots/<int:snapshot_pk>/",
        views.snapshot_detail,
        name="snapshot",
    ),
    path("<int:pk>/shares/add/", views.share_add, name="share_add"),
    path("<int:pk>/shares/remove/", views.share_remove, name="share_remove"),
]
