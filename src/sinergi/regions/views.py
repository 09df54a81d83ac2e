"""Region pages: search the Kemendagri tree; a region with its sub-regions and minimum wages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sinergi.core.errors import SinergiError
from sinergi.core.roles import can
from sinergi.regions import selectors, services
from sinergi.regions.forms import MinimumWageFilterForm, MinimumWageForm, RegionSearchForm
from sinergi.regions.models import Region


@login_required
def region_list(request):
    form = RegionSearchForm(request.GET)
    form.is_valid()  # a field with an error is shown on its input and does not filter
    data = form.cleaned_data
    regions = selectors.region_search(
        query=(data.get("q") or "").strip(),
        level=data.get("level") or None,
        parent=data.get("parent") or None,
        limit=100,
    )
    return render(
        request,
        "regions/region_list.html",
        {"regions": regions, "form": form, "levels": Region.Level.choices},
    )


@login_required
def region_detail(request, code: str):
    region = selectors.region_get(code=code)
    can_edit = can(request.user, "edit_minimum_wages") and region.level != Region.Level.DISTRICT
    form = MinimumWageForm(
        request.POST or None,
        initial={"kind": "UMP" if region.level == Region.Level.PROVINCE else "UMK"},
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                wage = services.minimum_wage_set(
                    actor=request.user, region_code=region.code, **form.cleaned_data
                )
            except SinergiError as exc:
                exc.add_to_form(form)
            else:
                messages.success(
                    request,
                    _("Saved: %(kind)s %(year)s for %(region)s.")
                    % {"kind": wage.kind, "year": wage.year, "region": region.name},
                )
                return redirect("regions:region_detail", code=region.code)
    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "children": region.children.all()[:200],
            "wages": selectors.minimum_wage_list(region_code=region.code),
            "form": form if can_edit else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def minimum_wage_list(request):
    form = MinimumWageFilterForm(request.GET)
    year = form.cleaned_data.get("year") if form.is_valid() else None
    wages = selectors.minimum_wage_list(year=year)
    return render(request, "regions/minimum_wage_list.html", {"wages": wages, "form": form})
