from django.urls import path

from sinergi.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/result", views.job_result, name="job_result"),
    path("jobs/<int:pk>/restart", views.job_restart, name="job_restart"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export", views.audit_export, name="audit_export"),
    path("language", views.language, name="language"),
]

# Contract 3 (job_result serves an optional file: a job in scope without one answers 404).
SCOPED_DETAIL_URLS = {
    "job_detail": ("core.Job", "sinergi.core.selectors.job_list"),
    "job_result": ("core.Job", "sinergi.core.selectors.job_list", {"may_404": True}),
}
