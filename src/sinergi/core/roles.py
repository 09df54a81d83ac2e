"""Organisation kinds, roles, and what each role may do. One table, read by views, API and tests."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    AGENCY = "agency", _("manpower agency")
    SS_BRANCH = "ss_branch", _("social security branch")
    UNION = "union", _("union body")
    EMPLOYER = "employer", _("employer")
    COOPERATIVE = "cooperative", _("cooperative")
    TRIPARTITE = "tripartite", _("tripartite body")
    SPONSOR = "sponsor", _("sponsor")
    LEADERSHIP = "leadership", _("leadership office")


class Role(models.TextChoices):
    AGENCY_OFFICER = "agency_officer", _("agency officer")
    AGENCY_HEAD = "agency_head", _("agency head")
    SS_OFFICER = "ss_officer", _("social security officer")
    UNION_OFFICIAL = "union_official", _("union official")
    SPONSOR_VIEWER = "sponsor_viewer", _("sponsor viewer")
    TRIPARTITE_SECRETARY = "tripartite_secretary", _("tripartite secretary")
    LEADERSHIP_VIEWER = "leadership_viewer", _("leadership viewer")
    ADMIN = "admin", _("administrator")


# Which roles an organisation kind may hold (an administrator may sit in any organisation).
ROLES_BY_KIND: dict[str, set[Role]] = {
    OrgKind.AGENCY: {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.ADMIN},
    OrgKind.SS_BRANCH: {Role.SS_OFFICER, Role.ADMIN},
    OrgKind.UNION: {Role.UNION_OFFICIAL},
    OrgKind.EMPLOYER: set(),
    OrgKind.COOPERATIVE: {Role.UNION_OFFICIAL},
    OrgKind.TRIPARTITE: {Role.TRIPARTITE_SECRETARY},
    OrgKind.SPONSOR: {Role.SPONSOR_VIEWER},
    OrgKind.LEADERSHIP: {Role.LEADERSHIP_VIEWER, Role.ADMIN},
}

OFFICERS = {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SS_OFFICER, Role.ADMIN}
READ_ONLY_ROLES = {Role.LEADERSHIP_VIEWER, Role.SPONSOR_VIEWER}

# Capabilities: the single place that says which role may do what. Apps add their own keys here.
CAPABILITIES: dict[str, set[str]] = {
    # personal data
    "reveal_nik": {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SS_OFFICER, Role.ADMIN},
    "see_wages": {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SS_OFFICER, Role.ADMIN},
    "see_health": {Role.SS_OFFICER, Role.ADMIN},
    "export_personal": {
        Role.AGENCY_OFFICER,
        Role.AGENCY_HEAD,
        Role.SS_OFFICER,
        Role.UNION_OFFICIAL,
        Role.ADMIN,
    },
    # data-subject duties (UU 27/2022): everything held on a person, and its correction history
    "export_subject_data": {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SS_OFFICER, Role.ADMIN},
    # administration
    "view_audit_log": {Role.ADMIN, Role.AGENCY_HEAD},
    "manage_users": {Role.ADMIN},
    "edit_minimum_wages": {Role.ADMIN},
    "operate": {Role.ADMIN},  # schedules, outbox, workers (sinergi.ops)
    # registry and unions
    "edit_registry": {
        Role.AGENCY_OFFICER,
        Role.AGENCY_HEAD,
        Role.SS_OFFICER,
        Role.UNION_OFFICIAL,
        Role.ADMIN,
    },
    "import_registry": {
        Role.AGENCY_OFFICER,
        Role.AGENCY_HEAD,
        Role.SS_OFFICER,
        Role.UNION_OFFICIAL,
        Role.ADMIN,
    },
    "record_union": {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.ADMIN},
    "merge_people": {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SS_OFFICER, Role.ADMIN},
    # coverage
    "manage_coverage": {Role.SS_OFFICER, Role.ADMIN},
    "manage_schemes": {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SS_OFFICER, Role.ADMIN},
    "approve_schemes": {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SS_OFFICER, Role.ADMIN},
    "run_billing": {Role.SS_OFFICER, Role.ADMIN},
    # claims
    "process_claims": {Role.SS_OFFICER, Role.ADMIN},
    "decide_claims": {Role.SS_OFFICER, Role.ADMIN},
    "pay_claims": {Role.SS_OFFICER, Role.ADMIN},
    # life events (death, change of employer, PHK, retirement)
    "record_life_events": {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SS_OFFICER, Role.ADMIN},
    # programs
    "manage_programs": {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.ADMIN},
    "nominate": {Role.UNION_OFFICIAL, Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.ADMIN},
    "approve_programs": {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.ADMIN},
    "hand_over_aid": {
        Role.AGENCY_OFFICER,
        Role.AGENCY_HEAD,
        Role.SS_OFFICER,
        Role.UNION_OFFICIAL,
        Role.ADMIN,
    },
    # aspirations and meetings
    "file_aspiration": {
        Role.UNION_OFFICIAL,
        Role.AGENCY_OFFICER,
        Role.AGENCY_HEAD,
        Role.SS_OFFICER,
        Role.TRIPARTITE_SECRETARY,
        Role.ADMIN,
    },
    "answer_aspiration": {
        Role.AGENCY_OFFICER,
        Role.AGENCY_HEAD,
        Role.SS_OFFICER,
        Role.TRIPARTITE_SECRETARY,
        Role.ADMIN,
    },
    "manage_meetings": {
        Role.AGENCY_OFFICER,
        Role.AGENCY_HEAD,
        Role.SS_OFFICER,
        Role.TRIPARTITE_SECRETARY,
        Role.ADMIN,
    },
    "manage_tripartite": {Role.TRIPARTITE_SECRETARY, Role.AGENCY_HEAD, Role.ADMIN},
    # planning and reporting
    "manage_plans": {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SS_OFFICER, Role.UNION_OFFICIAL, Role.ADMIN},
    "approve_plans": {Role.AGENCY_HEAD, Role.ADMIN},
    "refresh_indicators": {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.SS_OFFICER, Role.ADMIN},
    # e-order (vendors themselves act through signed links, not logins)
    "register_vendors": {Role.UNION_OFFICIAL, Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.ADMIN},
    "confirm_vendor_members": {Role.UNION_OFFICIAL, Role.ADMIN},
    "approve_vendors": {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.ADMIN},
    "order_food": {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.ADMIN},
    "pay_invoices": {Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.ADMIN},
}


def can(user, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}")
    return user.role in CAPABILITIES[capability]
