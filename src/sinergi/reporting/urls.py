from django.urls import path

from sinergi.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.report_start, name="report"),
    path("subscribe/", views.subscribe, name="subscribe"),
]
