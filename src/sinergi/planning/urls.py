from django.urls import path

from sinergi.planning import views

app_name = "planning"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_new, name="new"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/refresh/", views.indicators_refresh, name="refresh"),
    path("what-if/", views.what_if, name="what_if"),
    path("teams/", views.team_list, name="teams"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/act/", views.plan_action, name="action"),
    path("<int:pk>/revise/", views.revision_new, name="revise"),
    path("<int:pk>/compare/", views.plan_compare, name="compare"),
    path("<int:pk>/budget/", views.plan_budget, name="budget"),
    path("revisions/<int:pk>/decide/", views.revision_decide, name="revision_decide"),
]

SCOPED_DETAIL_URLS = {
    "detail": ("planning.Plan", "sinergi.planning.selectors.plan_scope"),
    "action": ("planning.Plan", "sinergi.planning.selectors.plan_scope"),
    "revise": ("planning.Plan", "sinergi.planning.selectors.plan_scope"),
    "compare": ("planning.Plan", "sinergi.planning.selectors.plan_scope"),
    "budget": ("planning.Plan", "sinergi.planning.selectors.plan_scope"),
    "revision_decide": ("planning.Revision", "sinergi.planning.selectors.revision_scope"),
}
