from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as account_views
from config import jobs

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("cohorts/", include("cohorts.urls")),
    path("coaching/", include("cohorts.coaching.urls")),
    path("certificates/", include("cohorts.certificates.urls")),
    path("apply/", include("cohorts.admissions.urls")),
    path("feedback/", include("cohorts.feedback.urls")),
    path("org/", include("cohorts.reporting.urls")),
    path("language/", account_views.language_switch, name="language_switch"),
    path("workbooks/", include("workbook.urls")),
    path("ops/jobs/", jobs.jobs_status, name="jobs_status"),
    path("ops/jobs/ping/", jobs.jobs_ping, name="jobs_ping"),
    path("ops/jobs/<str:task_id>/", jobs.jobs_task, name="jobs_task"),
    path("learn/", include("courses.urls")),
    path("cms/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves every remaining path (course pages, cohort schedules).
urlpatterns += [path("", include(wagtail_urls))]
