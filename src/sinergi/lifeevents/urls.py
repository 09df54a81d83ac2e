from django.urls import path

from sinergi.lifeevents import views

app_name = "lifeevents"
urlpatterns = [
    path("person/<int:pk>/<slug:kind>/", views.record, name="record"),
]

SCOPED_DETAIL_URLS = {
    "record": ("registry.Person", "sinergi.lifeevents.views.person_scope"),
}
