from django.urls import path

from cohorts.admissions import views, views_review

app_name = "admissions"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("status/<str:key>/", views.status, name="status"),
    path("status/<str:key>/invoice/", views.status_invoice, name="status_invoice"),
    path("review/", views_review.review_queue, name="review"),
    path("review/<int:pk>/", views_review.review_detail, name="review_detail"),
    path(
        "review/<int:pk>/agreements/",
        views_review.agreement_add,
        name="agreement_add",
    ),
    path(
        "review/<int:pk>/invoice/issue/",
        views_review.invoice_issue,
        name="invoice_issue",
    ),
    path(
        "review/people/<int:registrant_id>/approve/",
        views_review.approve,
        name="approve",
    ),
    path(
        "review/people/<int:registrant_id>/reject/",
        views_review.reject,
        name="reject",
    ),
    path(
        "agreements/<int:agreement_id>/payments/",
        views_review.payment_add,
        name="payment_add",
    ),
    path("cohorts/<slug:slug>/", views.apply, name="apply"),
    path("cohorts/<slug:slug>/person-row/", views.person_row, name="person_row"),
    path(
        "cohorts/<slug:slug>/settings/", views_review.cohort_settings, name="settings"
    ),
    path("cohorts/<slug:slug>/payments/", views_review.payments, name="payments"),
    path(
        "cohorts/<slug:slug>/payments.xlsx",
        views_review.payments_xlsx,
        name="payments_xlsx",
    ),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/invoice/", views.invoice, name="invoice"),
]
