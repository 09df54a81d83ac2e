from django.urls import path

from sinergi.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_list, name="region_list"),
    path("minimum-wages/", views.minimum_wage_list, name="minimum_wage_list"),
    path("<str:code>/", views.region_detail, name="region_detail"),
]

# Regions are public reference data (no pk-scoped pages): nothing for the scoping matrix.
SCOPED_DETAIL_URLS: dict = {}
