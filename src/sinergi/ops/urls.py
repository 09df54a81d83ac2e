from django.urls import path

from sinergi.ops import views
from sinergi.ops.metrics import metrics_view
from sinergi.ops.readiness import readiness_view

app_name = "ops"
urlpatterns = [
    path("schedules/", views.schedules, name="schedules"),
    path("schedules/run", views.schedule_run, name="schedule_run"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/resend", views.outbox_resend, name="outbox_resend"),
    path("metrics", metrics_view, name="metrics"),
    path("readyz", readiness_view, name="readyz"),
]
