"""Coverage writes, one module per sub-domain: participations and wage reports (`participations`),
billing runs (`billing_runs`), payments (`payments`), sponsored schemes (`schemes`) and enrolment into
them (`enrolment`). Every write is atomic and audited; bulk work is set-based.

The names below are the public surface: `from sinergi.coverage.services import X` and
`services.X` keep working whichever module X lives in. Reads that used to sit here (scheme counts,
the enrolment file rows, `get_or_404`, a branch's billing area) are selectors; the rule adapters
(`quote`, `rule_error`, `scheme_package`) live in `coverage.pricing`; both are re-exported here."""

from sinergi.coverage.pricing import first_of_month, quote, rule_error, scheme_package
from sinergi.coverage.selectors import (
    ENROLMENT_HEADERS,
    billing_branch_area,
    enrolment_rows,
    get_or_404,
    scheme_counts,
)
from sinergi.coverage.services.billing_runs import billing_run, statuses_refresh
from sinergi.coverage.services.common import ImportErrors, map_columns, read_table, scope_check_region
from sinergi.coverage.services.enrolment import (
    PARTICIPANT_COLUMNS,
    batch_decide,
    candidates_select,
    gap_propose,
    participant_numbers_import,
)
from sinergi.coverage.services.participations import (
    LIVE_STATUSES,
    participation_end,
    participation_enrol,
    participation_transfer,
    participations_end_for_person,
    wage_report,
)
from sinergi.coverage.services.payments import (
    BILL_STATUS_SQL,
    PAYMENT_COLUMNS,
    bill_totals_refresh,
    overpayment_message,
    payment_record,
    payments_import,
)
from sinergi.coverage.services.schemes import (
    SCHEME_FIELDS,
    closed_year_error,
    scheme_close_if_over,
    scheme_create,
    scheme_renew,
    schemes_year_close,
)

_first_of = first_of_month  # the name the API and older callers use

__all__ = [
    "BILL_STATUS_SQL",
    "ENROLMENT_HEADERS",
    "LIVE_STATUSES",
    "PARTICIPANT_COLUMNS",
    "PAYMENT_COLUMNS",
    "SCHEME_FIELDS",
    "ImportErrors",
    "batch_decide",
    "bill_totals_refresh",
    "billing_branch_area",
    "billing_run",
    "candidates_select",
    "closed_year_error",
    "enrolment_rows",
    "first_of_month",
    "gap_propose",
    "get_or_404",
    "map_columns",
    "overpayment_message",
    "participant_numbers_import",
    "participation_end",
    "participation_enrol",
    "participation_transfer",
    "participations_end_for_person",
    "payment_record",
    "payments_import",
    "quote",
    "read_table",
    "rule_error",
    "scheme_close_if_over",
    "scheme_counts",
    "scheme_create",
    "scheme_package",
    "scheme_renew",
    "schemes_year_close",
    "scope_check_region",
    "statuses_refresh",
    "wage_report",
]
