from django.urls import path

from sinergi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
]

SCOPED_DETAIL_URLS: dict = {}  # no page takes a pk: a user sees only their own profile and tokens
