from django.urls import path

from sinergi.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("new/", views.program_create, name="program_create"),
    path("rules/row/", views.rule_row, name="rule_row"),
    path("rules/count/", views.rule_count, name="rule_count"),
    path("<int:pk>/", views.program_detail, name="program_detail"),
    path("<int:pk>/edit/", views.program_edit, name="program_edit"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/bulk/", views.application_bulk, name="application_bulk"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("cards/", views.card_list, name="card_list"),
    path("cards/print/", views.card_print, name="card_print"),
    path("cards/hand-over/", views.card_hand_over, name="card_hand_over"),
    path("cards/<int:pk>/", views.card_detail, name="card_detail"),
    path("cards/<int:pk>/pdf/", views.card_pdf, name="card_pdf"),
    path("verify/", views.verify_form, name="verify_form"),
    path("v/<str:token>/", views.verify, name="verify"),
    path("distributions/", views.distribution_list, name="distribution_list"),
    path("distributions/<int:pk>/", views.distribution_detail, name="distribution_detail"),
    path("handovers/<int:pk>/proof/", views.handover_proof, name="handover_proof"),
    path("training/", views.cohort_list, name="cohort_list"),
    path("training/new/", views.cohort_create, name="cohort_create"),
    path("training/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("training/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("training/courses/new/", views.course_create, name="course_create"),
    path("training/courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("training/enrolments/<int:pk>/certificate/", views.certificate_pdf, name="certificate_pdf"),
    path("cooperatives/", views.coop_list, name="coop_list"),
    path("cooperatives/new/", views.coop_create, name="coop_create"),
    path("cooperatives/<int:pk>/", views.coop_detail, name="coop_detail"),
    path("cooperatives/<int:pk>/edit/", views.coop_edit, name="coop_edit"),
    path("cooperatives/members/<int:pk>/statement/", views.statement_pdf, name="statement_pdf"),
]

_S = "sinergi.programs.selectors."
SCOPED_DETAIL_URLS = {
    "program_detail": ("programs.Program", _S + "program_list"),
    "nominate": ("programs.Program", _S + "program_list"),
    "program_edit": ("programs.Program", _S + "program_list"),
    "cohort_edit": ("programs.Cohort", _S + "cohort_list"),
    "course_edit": ("programs.Course", _S + "course_list"),
    "coop_edit": ("programs.Cooperative", _S + "cooperative_list"),
    "application_detail": ("programs.Application", _S + "application_list"),
    "document_download": ("programs.ApplicationDocument", _S + "document_list"),
    "card_detail": ("programs.Card", _S + "card_list"),
    "card_pdf": ("programs.Card", _S + "card_list"),
    "distribution_detail": ("programs.Distribution", _S + "distribution_list"),
    # A hand-over without a photo or signature has no proof to serve: 404 there is correct.
    "handover_proof": ("programs.Handover", _S + "handover_list", {"may_404": True}),
    "cohort_detail": ("programs.Cohort", _S + "cohort_list"),
    "certificate_pdf": ("programs.Enrolment", _S + "enrolment_list"),
    "coop_detail": ("programs.Cooperative", _S + "cooperative_list"),
    "statement_pdf": ("programs.CoopMember", _S + "coop_member_list"),
}
