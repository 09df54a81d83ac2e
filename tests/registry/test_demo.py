"""The registry demo tells the articles' story and loading it twice changes nothing."""

import pytest

from sinergi.demo import DemoContext, _foundation
from sinergi.registry import demo
from sinergi.registry.models import Employer, FamilyMember, Person
from sinergi.unions.models import Membership, UnionBody

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_again_changes_nothing():
    ctx = DemoContext(say=lambda *a: None, password="Demo-Uji-Panjang-2024")
    _foundation(ctx)
    demo.load(ctx)
    dpw = UnionBody.objects.get(pk=ctx.union_bodies["dpw_fspmi_dki"].pk)
    assert 2000 <= dpw.member_count_rollup <= 3000
    assert Employer.objects.filter(name="PT Indofood CBP Sukses Makmur").exists()
    assert Employer.objects.filter(name="PT Kukuh Mandiri Lestari").exists()
    pekalongan = Person.objects.filter(domicile_region__code__startswith="3375", is_vulnerable=True)
    assert pekalongan.count() == 1000
    assert set(pekalongan.values_list("vulnerable_reason", flat=True)) == {
        "pekerjaan tercantum: pengayuh becak",
        "pekerjaan tercantum: sopir angkot sistem setoran",
        "pekerjaan tercantum: tukang pijat tunanetra/disabilitas",
        "pekerjaan tercantum: lebe non-PNS",
        "pekerjaan tercantum: pengatur lalu lintas tuna rungu",
        "pekerjaan tercantum: penggali kubur",
    }
    pc = UnionBody.objects.get(pk=ctx.union_bodies["pc_kerahbiru_jember"].pk)
    assert pc.children.count() == 4 and pc.member_count_rollup > 0
    deceased = Person.objects.filter(is_deceased=True)
    assert {p.employments.get().employer.name for p in deceased} == {
        "PT Indofood CBP Sukses Makmur",
        "PT Kukuh Mandiri Lestari",
    }
    assert FamilyMember.objects.filter(relation="child", school_level__in=["SD", "SMP", "SMA"]).exists()
    snapshot = (
        Person.objects.count(),
        Membership.objects.count(),
        FamilyMember.objects.count(),
        max(Person.objects.values_list("updated_at", flat=True)),
    )
    demo.load(ctx)
    assert snapshot == (
        Person.objects.count(),
        Membership.objects.count(),
        FamilyMember.objects.count(),
        max(Person.objects.values_list("updated_at", flat=True)),
    )
