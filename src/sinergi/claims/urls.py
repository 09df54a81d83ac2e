from django.urls import path

from sinergi.claims import views

app_name = "claims"
urlpatterns = [
    path("", views.claim_list, name="claim_list"),
    path("new/", views.case_new, name="case_new"),
    path("calculator/", views.calculator, name="calculator"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/handover.pdf", views.handover_certificate, name="handover_certificate"),
    path("<int:pk>/", views.claim_detail, name="claim_detail"),
    path("<int:pk>/quote/", views.claim_quote, name="claim_quote"),
    path("<int:pk>/heir/", views.claim_heir, name="claim_heir"),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("<int:pk>/verify/", views.claim_verify, name="claim_verify"),
    path("<int:pk>/decide/", views.claim_decide, name="claim_decide"),
    path("<int:pk>/instruction/", views.claim_instruction, name="claim_instruction"),
    path("<int:pk>/pay/", views.claim_pay, name="claim_pay"),
    path("scholarship-years/<int:pk>/release/", views.scholarship_release, name="scholarship_release"),
    path("<int:pk>/letter.pdf", views.decision_letter, name="decision_letter"),
]

_CASES = ("claims.ClaimCase", "sinergi.claims.selectors.case_list")
_CLAIMS = ("claims.Claim", "sinergi.claims.selectors.claim_list")
# Contract 3: every URL with a pk, the model it names and the selector of what the user may see.
SCOPED_DETAIL_URLS = {
    "case_detail": _CASES,
    "handover_certificate": _CASES,
    "claim_detail": _CLAIMS,
    "claim_quote": _CLAIMS,
    "claim_heir": _CLAIMS,
    "document_upload": _CLAIMS,
    "document_download": ("claims.ClaimDocument", "sinergi.claims.selectors.document_list"),
    "claim_verify": _CLAIMS,
    "claim_decide": _CLAIMS,
    "claim_instruction": _CLAIMS,
    "claim_pay": _CLAIMS,
    "scholarship_release": ("claims.ScholarshipYear", "sinergi.claims.selectors.scholarship_year_list"),
    "decision_letter": _CLAIMS,
}
