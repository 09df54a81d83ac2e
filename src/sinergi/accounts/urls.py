from django.urls import path

from sinergi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("users/", views.user_list, name="user_list"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
]

# Only user management takes a pk; a user otherwise sees only their own profile and tokens.
SCOPED_DETAIL_URLS = {"user_set_active": ("accounts.User", "sinergi.accounts.selectors.user_list")}
