from django.urls import path

from sinergi.coverage import views

app_name = "coverage"
urlpatterns = [
    path("quote/", views.quote, name="quote"),
    path("participations/", views.participation_list, name="participation_list"),
    path("participations/<int:pk>/", views.participation_detail, name="participation_detail"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/select/", views.scheme_select, name="scheme_select"),
    path("schemes/<int:pk>/enrolment-file/", views.scheme_enrolment_file, name="scheme_enrolment_file"),
    path("schemes/<int:pk>/participant-numbers/", views.scheme_numbers_import, name="scheme_numbers_import"),
    path("schemes/<int:pk>/renew/", views.scheme_renew, name="scheme_renew"),
    path("candidates/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("candidates/<int:pk>/decide/", views.batch_decide, name="batch_decide"),
    path("billing/", views.run_list, name="run_list"),
    path("bills/", views.bill_list, name="bill_list"),
    path("bills/<int:pk>/", views.bill_detail, name="bill_detail"),
    path("payments/import/", views.payment_import, name="payment_import"),
    path("gap/", views.gap, name="gap"),
    path("gap/export/", views.gap_export, name="gap_export"),
    path("gap/propose/", views.gap_propose, name="gap_propose"),
]

_SCHEMES = ("coverage.Scheme", "sinergi.coverage.selectors.scheme_list")
_BATCHES = ("coverage.CandidateBatch", "sinergi.coverage.selectors.batch_list")
# Contract 3: every HTML URL taking a pk, with the model and the selector deciding who may see it.
SCOPED_DETAIL_URLS = {
    "participation_detail": ("coverage.Participation", "sinergi.coverage.selectors.participation_list"),
    "scheme_detail": _SCHEMES,
    "scheme_select": _SCHEMES,
    "scheme_enrolment_file": _SCHEMES,
    "scheme_numbers_import": _SCHEMES,
    "scheme_renew": _SCHEMES,
    "batch_detail": _BATCHES,
    "batch_decide": _BATCHES,
    "bill_detail": ("coverage.Bill", "sinergi.coverage.selectors.bill_list"),
}
