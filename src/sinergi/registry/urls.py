from django.urls import path

from sinergi.registry import views

app_name = "registry"
urlpatterns = [
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("people/<int:pk>/family/add/", views.family_add, name="family_add"),
    path("people/<int:pk>/data/", views.person_data, name="person_data"),
    path("people/<int:pk>/history/", views.person_history, name="person_history"),
    path("employers/", views.employer_list, name="employer_list"),
    path("employers/new/", views.employer_create, name="employer_create"),
    path("employers/<int:pk>/", views.employer_detail, name="employer_detail"),
    path("unions/", views.union_body_list, name="union_body_list"),
    path("unions/<int:pk>/", views.union_body_detail, name="union_body_detail"),
    path("unions/<int:pk>/add/", views.union_body_add, name="union_body_add"),
    path("unions/<int:pk>/registration/", views.union_registration, name="union_registration"),
    path("unions/<int:pk>/officials/add/", views.union_official_add, name="union_official_add"),
    path("import/", views.import_start, name="import_start"),
    path("import/template/", views.import_template, name="import_template"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("import/<int:pk>/columns/", views.import_remap, name="import_remap"),
    path("duplicates/", views.duplicate_list, name="duplicate_list"),
    path("duplicates/run/", views.duplicate_run, name="duplicate_run"),
    path("duplicates/<int:pk>/", views.duplicate_detail, name="duplicate_detail"),
]

_PEOPLE = ("registry.Person", "sinergi.registry.selectors.person_list")
# Contract 3: every HTML URL taking a pk, with the model and the selector deciding who may see it.
SCOPED_DETAIL_URLS = {
    "person_detail": _PEOPLE,
    "person_edit": _PEOPLE,
    "person_reveal": _PEOPLE,
    "family_add": _PEOPLE,
    "person_data": _PEOPLE,
    "person_history": _PEOPLE,
    "employer_detail": ("registry.Employer", "sinergi.registry.selectors.employer_list"),
    "union_body_detail": ("unions.UnionBody", "sinergi.unions.selectors.union_body_list"),
    "union_body_add": ("unions.UnionBody", "sinergi.unions.selectors.union_body_list"),
    "union_registration": ("unions.UnionBody", "sinergi.unions.selectors.union_body_list"),
    "union_official_add": ("unions.UnionBody", "sinergi.unions.selectors.union_body_list"),
    "import_detail": ("core.Job", "sinergi.core.selectors.job_list"),
    "import_commit": ("core.Job", "sinergi.core.selectors.job_list"),
    "import_remap": ("core.Job", "sinergi.core.selectors.job_list"),
    "duplicate_detail": ("registry.DuplicateCandidate", "sinergi.registry.selectors.duplicate_list"),
}
