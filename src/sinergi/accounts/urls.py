from django.urls import path

from sinergi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify, name="login_verify"),
    path("login/setup/", views.login_setup, name="login_setup"),
    path("logout/", views.logout_view, name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("password/", views.password_change, name="password_change"),
    path("reset/<str:uidb64>/<str:token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("profile/", views.profile, name="profile"),
    path("users/", views.user_list, name="user_list"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/password-reset/", views.user_password_reset, name="user_password_reset"),
]

# Only user management takes a pk; a user otherwise sees only their own profile and tokens.
SCOPED_DETAIL_URLS = {
    "user_set_active": ("accounts.User", "sinergi.accounts.selectors.user_list"),
    "user_password_reset": ("accounts.User", "sinergi.accounts.selectors.user_list"),
}
