"""E-order's contribution to the planning indicators: income paid to union members' businesses."""

from django.db.models import Count, F, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from sinergi.eorder.models import Payment
from sinergi.planning.indicators import CELL_REGION_LENGTH, Indicator, _cell


def income_paid(start, end):
    rows = (
        Payment.objects.filter(paid_on__range=(start, end))
        .values(
            cell_region=Substr("invoice__order__region_id", 1, CELL_REGION_LENGTH),
            cell_body=F("invoice__order__vendor__union_body_id"),
        )
        .annotate(total=Sum("amount"), n=Count("invoice__order__vendor_id", distinct=True))
    )
    return [_cell(r, value="total") for r in rows]


INDICATORS = [
    Indicator(
        "eorder.income",
        _("E-order income of union members"),
        "rupiah",
        _(
            "Invoice payments (eorder.Payment) with a payment date from 1 January to the date, in whole "
            "rupiah, by the ordering activity's region and the vendor's union body; people = vendors paid."
        ),
        income_paid,
        order=70,
    ),
]
