"""`sinergi simulate`: run Sinergi forward month by month through its real services and jobs.

Time moves only through the one clock (`clock.set_now`). Every change goes through the services and
jobs an officer's click would start: registry hires, life events (change of employer, PHK,
retirement, death), the billing job per branch and the bank-statement payment import, claims from
opening to payment by a second officer (JKM on death, JKK after a work accident), the year-end job
and scheme renewals, the May Day aid distribution, aspirations and their escalation job, meetings.
Nothing here writes a row of a domain table itself. A fixed seed makes two runs on the same data
identical. After every month `invariants.check_all` runs; the first broken invariant stops the run.
Not simulated yet: worker-card rounds (each year's round needs that year's UMP decree recorded first).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from sinergi.accounts.models import Organisation, User
from sinergi.accounts.roles import OrgKind, Role
from sinergi.aspirations.models import Aspiration, Category
from sinergi.aspirations.selectors import aspiration_list
from sinergi.aspirations.services import aspiration_answer, aspiration_file
from sinergi.aspirations.tasks import escalation_start
from sinergi.claims.models import Claim, EventType
from sinergi.claims.selectors import missing_documents
from sinergi.claims.services import (
    case_open,
    claim_decide,
    claim_document_add,
    claim_heir_set,
    claim_pay,
    claim_payment_instruction_set,
    claim_quote,
    claim_verify,
    heir_proposal,
)
from sinergi.core import clock
from sinergi.core.errors import Conflict, SinergiError
from sinergi.core.jobs import job_execute, job_start
from sinergi.core.models import Job
from sinergi.coverage.facts import in_force_q
from sinergi.coverage.models import Bill, BillingRun, Participation, Scheme
from sinergi.coverage.selectors import bill_list
from sinergi.coverage.services import participation_enrol, payments_import, scheme_renew, statuses_refresh
from sinergi.coverage.tasks import billing_start
from sinergi.lifeevents.services import (
    death_record,
    dismissal_record,
    employer_change_record,
    retirement_record,
)
from sinergi.meetings.models import Meeting
from sinergi.meetings.services import meeting_create, meeting_record
from sinergi.programs import eligibility
from sinergi.programs.models import Program
from sinergi.programs.services import (
    allocate_by_members,
    application_approve,
    application_verify,
    cards_issue,
    distribution_create,
    document_upload,
    handover_record,
    nominate,
    program_create,
)
from sinergi.programs.services import missing_documents as program_missing_documents
from sinergi.regions.models import MinimumWage
from sinergi.regions.services import minimum_wage_set
from sinergi.registry.models import Employer, Person
from sinergi.registry.services import employment_add, family_member_add
from sinergi.rules.benefits import JHT_AGE
from sinergi.rules.money import to_rupiah
from sinergi.simulation import invariants
from sinergi.simulation.projection import projected_rules
from sinergi.unions.models import Membership

# The smallest valid PDF: the claims service checks the file's signature, not its beauty.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

COLUMNS = [
    ("bills", "bills"),
    ("billed", "billed Rp"),
    ("payments", "payments"),
    ("arrears", "into arrears"),
    ("lapses", "lapses"),
    ("reactivated", "reactivated"),
    ("hires", "hires"),
    ("job_changes", "job changes"),
    ("phk", "PHK"),
    ("retirements", "retired"),
    ("deaths", "deaths"),
    ("accidents", "accidents"),
    ("claims_paid", "claims paid"),
    ("aspirations", "aspirations"),
    ("escalated", "escalated"),
    ("meetings", "meetings"),
    ("aid", "aid packages"),
    ("cards", "worker cards"),
    ("renewals", "renewals"),
]


class InvariantBroken(Exception):
    def __init__(self, month: dt.date, broken: invariants.Broken, notes: list[str] | None = None):
        super().__init__(f"{month:%Y-%m}: {broken.name}")
        self.month = month
        self.broken = broken
        self.notes = notes or []  # what went wrong earlier that month (a failed job's message …)


@dataclass
class Branch:
    organisation: object
    officer: object
    second: object | None
    area: list[str]

    def covers(self, code: str) -> bool:
        return any(code.startswith(a) for a in self.area)


@dataclass
class MonthResult:
    month: dt.date
    counts: dict = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_last(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def parse_month(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip()[:7] + "-01")
    except ValueError as exc:
        raise SinergiError(f"Enter the month as YYYY-MM, not {text!r}.", code="invalid_month") from exc


def default_start() -> dt.date:
    """The month after the last billed month, or the current month when nothing was billed yet."""
    last = BillingRun.objects.order_by("-month").values_list("month", flat=True).first()
    return add_months(last, 1) if last else clock.today().replace(day=1)


class Simulation:
    def __init__(self, *, seed: int = 2026, rate: float = 1.0, say: Callable = print):
        self.rng = random.Random(seed)
        self.seed = seed
        self.rate = rate
        self.say = say
        self.participant_counter = 0
        self._find_actors()
        self.ctx = invariants.Context(watermarks=invariants.watermarks())

    # ------------------------------------------------------------------ who acts
    def _find_actors(self):

        def users(**kw):
            return list(User.objects.filter(is_active=True, **kw).order_by("username"))

        self.branches: list[Branch] = []
        for org in Organisation.objects.filter(kind=OrgKind.SS_BRANCH).order_by("pk"):
            officers = users(organisation=org, role=Role.SS_OFFICER)
            area = list(org.service_area.values_list("code", flat=True))
            if officers and area:
                self.branches.append(
                    Branch(org, officers[0], officers[1] if len(officers) > 1 else None, area)
                )
        self.agency_officers: dict[int, list] = {}
        for user in users(role=Role.AGENCY_OFFICER):
            self.agency_officers.setdefault(user.organisation_id, []).append(user)
        self.union_official = next(
            (u for u in users(role=Role.UNION_OFFICIAL) if u.organisation and u.organisation.union_body_id),
            None,
        )
        self.secretary = next(iter(users(role=Role.TRIPARTITE_SECRETARY)), None)
        # The administrator bills, after the branches, the payers no branch serves (as the demo does).
        self.admin = next(iter(users(role=Role.ADMIN)), None)
        self.answerers = users(role=Role.AGENCY_OFFICER)

    # ------------------------------------------------------------------ the month
    def run_month(self, month: dt.date) -> MonthResult:
        result = MonthResult(month=month)
        c = result.counts = dict.fromkeys(k for k, _label in COLUMNS)
        for key in c:
            c[key] = 0
        last = month_last(month)
        self.ctx.month = month
        self._statuses_before = self._participation_statuses()
        # the month's event rates follow the size of each branch's workforce
        self._at(month, 1)
        self.workforce = {b.organisation.pk: len(self._wage_earners(b, clock.today())) for b in self.branches}
        if month.month == 1:
            self._at(month, 2)
            c["renewals"] = self.close_and_renew(month.year, result)
            self._at(month, 6)
            c["cards"] = self.card_round(month.year, result)
        if month.month == 5:
            self._at(month, 1)
            c["aid"] = self.distribute_aid(month, result)
        self._at(month, 5)
        c["payments"] = self.pay_bills(month, result)
        self._at(month, 10)
        c["hires"] = self.hire(month, result)
        self._at(month, 12)
        c["job_changes"] = self.change_jobs(month, result)
        c["phk"] = self.dismissals(month, result)
        c["retirements"] = self.retirements(month, result)
        self._at(month, 15)
        c["aspirations"] = self.file_aspirations(month, result)
        self._at(month, 18)
        c["deaths"], c["claims_paid"] = self.deaths(month, result)
        c["deaths"] += self.deaths_recorded_directly(month, result)
        c["accidents"] = self.accidents(month, result)
        c["claims_paid"] += c["accidents"]
        self._at(month, 20)
        c["meetings"] = self.meet(month, result)
        self._at(month, last.day)
        bills, billed = self.bill(month, result)
        c["bills"], c["billed"] = bills, billed
        c["arrears"], c["lapses"], c["reactivated"] = self.refresh_statuses(month, result)
        c["escalated"] = self.escalate(month, result)
        broken = invariants.check_all(self.ctx)
        if broken:
            raise InvariantBroken(month, broken, result.skipped)
        return result

    def _at(self, month: dt.date, day: int):
        day = min(day, month_last(month).day)
        clock.set_now(dt.datetime.combine(month.replace(day=day), dt.time(9, 0)))

    def _rate(self, branch: Branch, per_worker: float, floor: float) -> float:
        """Expected events a month for a branch: `per_worker` times its wage earners, at least `floor`."""
        return max(floor, per_worker * self.workforce.get(branch.organisation.pk, 0))

    def _count(self, mean: float) -> int:
        """A small random count with the given mean (Poisson by inversion, seeded)."""
        mean *= self.rate
        n, p, limit = 0, 1.0, pow(2.718281828459045, -mean)
        while True:
            p *= self.rng.random()
            if p <= limit:
                return n
            n += 1

    # ------------------------------------------------------------------ coverage: billing
    def bill(self, month: dt.date, result: MonthResult) -> tuple[int, int]:
        """Each branch's officer starts the month's billing job (the job runs as a worker would)."""
        officers = [(str(b.organisation), b.officer) for b in self.branches]
        if self.admin is not None:
            officers.append((str(self.admin), self.admin))
        for who, officer in officers:
            job = billing_start(user=officer, month=month)
            job.refresh_from_db()
            if not job.is_finished:
                job = job_execute(job)
            if job.status == Job.Status.FAILED:
                result.skipped.append(f"billing by {who}: {job.error}")
        bills = Bill.objects.filter(month=month)
        return bills.count(), int(sum(bills.values_list("total", flat=True)))

    def _participation_statuses(self) -> dict[int, str]:

        return dict(Participation.objects.values_list("pk", "status"))

    def refresh_statuses(self, month: dt.date, result: MonthResult) -> tuple[int, int, int]:
        """Month end: arrears and lapses from unpaid bills; counted against the month's start, so the
        changes made by the payment import and the billing job count too. Reactivated: a lapsed
        participation whose arrears were paid."""
        statuses_refresh(actor=self.branches[0].officer if self.branches else None)
        before, after = self._statuses_before, self._participation_statuses()
        arrears = sum(1 for pk, s in after.items() if s == "arrears" and before.get(pk) == "active")
        lapses = sum(1 for pk, s in after.items() if s == "lapsed" and before.get(pk) != "lapsed")
        back = sum(1 for pk, s in after.items() if s in ("active", "arrears") and before.get(pk) == "lapsed")
        return arrears, lapses, back

    def pay_bills(self, month: dt.date, result: MonthResult) -> int:
        """Payers pay last month's bills: most in full and on time, some partly, some late (an older
        bill paid now), some not at all. Each branch imports one bank statement (CSV)."""
        rows_total = 0
        today = clock.today()
        importers = [(b.officer, b.organisation.pk, None) for b in self.branches]
        if self.admin is not None:  # the payers no branch serves pay into the administrator's account
            importers.append((self.admin, "pusat", self.branches))
        for officer, account, others in importers:
            lines = ["no tagihan,jumlah,tanggal,referensi"]
            bills = bill_list(user=officer).filter(status__in=["open", "partial"], month__lt=month)
            for bill in bills.order_by("month", "number"):
                if others and any(b.covers(bill.region_id) for b in others):
                    continue
                outstanding = int(bill.total - bill.paid)
                if outstanding <= 0:
                    continue
                latest = bill.month == add_months(month, -1)
                roll = self.rng.random()
                if latest and roll < 0.78:
                    amount = outstanding  # on time, in full
                elif latest and roll < 0.86:
                    amount = max(1, outstanding // 2)  # partly
                elif not latest and roll < 0.45:
                    amount = outstanding  # late, in full
                else:
                    continue  # missing this month
                ref = f"TRF{today:%Y%m%d}{bill.pk:07d}{self.rng.randrange(1000):03d}"
                lines.append(f"{bill.number},{amount},{today.isoformat()},{ref}")
            if len(lines) > 1:
                out = payments_import(
                    actor=officer,
                    data=("\n".join(lines) + "\n").encode(),
                    filename=f"rekening-{account}-{today:%Y%m}.csv",
                )
                rows_total += out["rows"]
        return rows_total

    # ------------------------------------------------------------------ registry: hires, job changes
    def _next_number(self, month: dt.date) -> str:
        self.participant_counter += 1
        return f"9{self.seed % 100:02d}{month:%y%m}{self.participant_counter:06d}"

    def _pu_wage(self, employer) -> Decimal | None:

        wages = list(
            Participation.objects.filter(employer=employer, segment="PU", status__in=["active", "arrears"])
            .order_by("pk")
            .values_list("wage", flat=True)[:50]
        )
        return self.rng.choice(wages) if wages else None

    def _employers(self, branch: Branch) -> list:

        return [
            e
            for e in Employer.objects.order_by("pk")
            if branch.covers(e.region_id or "") and self._pu_wage(e)
        ]

    def hire(self, month: dt.date, result: MonthResult) -> int:
        """People in the registry without cover take a job at an employer of the branch's area: the
        registry records the employment, the branch enrols them as wage earners (PU)."""
        hired = 0
        today = clock.today()
        for branch in self.branches:
            employers = self._employers(branch)
            if not employers:
                continue
            n = self._count(self._rate(branch, 0.004, 0.5))
            if not n:
                continue
            covered = Participation.objects.filter(in_force_q(today) | Q(status="pending")).values(
                "person_id"
            )
            pool = list(
                Person.objects.filter(is_deceased=False, merged_into__isnull=True)
                .exclude(claim_cases__event_type="death")
                .filter(birth_date__lte=today.replace(year=today.year - 19))
                .filter(birth_date__gte=today.replace(year=today.year - 50))
                .exclude(pk__in=covered)
                .order_by("pk")
                .values_list("pk", "domicile_region_id")[:3000]
            )
            pool = [pk for pk, region in pool if branch.covers(region or "")]
            for pk in self.rng.sample(pool, min(n, len(pool))):
                person = Person.objects.get(pk=pk)
                employer = self.rng.choice(employers)
                wage = self._pu_wage(employer)
                with transaction.atomic():
                    employment_add(
                        actor=branch.officer, person=person, employer=employer, start_date=today, wage=wage
                    )
                    participation_enrol(
                        actor=branch.officer,
                        person=person,
                        segment="PU",
                        start_date=today,
                        wage=wage,
                        employer=employer,
                        programmes=("JKK", "JKM", "JHT", "JP"),
                        participant_number=self._next_number(month),
                    )
                hired += 1
        return hired

    def _wage_earners(self, branch: Branch, today: dt.date, *, since: dt.date | None = None) -> list:
        """Living wage earners with an open-ended employer-paid participation in the branch's area."""
        qs = (
            Participation.objects.filter(
                segment="PU", status="active", end_date__isnull=True, payer_kind="employer"
            )
            .exclude(person__is_deceased=True)
            .exclude(person__claim_cases__event_type="death")
            .select_related("person", "employer")
            .order_by("pk")
        )
        if since is not None:
            qs = qs.filter(start_date__lt=since)
        # a branch serves whoever works for an employer in its area, wherever they live
        return [p for p in qs[:5000] if branch.covers(p.employer.region_id or "")]

    def change_jobs(self, month: dt.date, result: MonthResult) -> int:
        """A wage earner moves to another employer (life event: the old employment, participation and
        company union membership end the day before; the new ones start, same participant number)."""
        moved = 0
        today = clock.today()
        for branch in self.branches:
            employers = self._employers(branch)
            if len(employers) < 2:
                continue
            n = self._count(self._rate(branch, 0.003, 0.3))
            if not n:
                continue
            candidates = self._wage_earners(branch, today, since=today.replace(day=1))
            for part in self.rng.sample(candidates, min(n, len(candidates))):
                new_employer = self.rng.choice([e for e in employers if e.pk != part.employer_id])
                employer_change_record(
                    actor=branch.officer,
                    person=part.person,
                    old_employer=part.employer,
                    new_employer=new_employer,
                    on=today,
                    wage=self._pu_wage(new_employer),
                )
                moved += 1
        return moved

    def dismissals(self, month: dt.date, result: MonthResult) -> int:
        """PHK: the employer lets a worker go (employment, participation and company union
        membership end); the worker joins the pool new hires come from."""
        dismissed = 0
        today = clock.today()
        for branch in self.branches:
            n = self._count(self._rate(branch, 0.002, 0.3))
            candidates = self._wage_earners(branch, today, since=today.replace(day=1)) if n else []
            for part in self.rng.sample(candidates, min(n, len(candidates))):
                dismissal_record(actor=branch.officer, person=part.person, employer=part.employer, on=today)
                dismissed += 1
        return dismissed

    def retirements(self, month: dt.date, result: MonthResult) -> int:
        """Wage earners who have reached the JHT payout age retire (now and then, not all at once)."""
        retired = 0
        today = clock.today()
        age = int(JHT_AGE.value_at(today))
        born_before = today.replace(year=today.year - age)
        for branch in self.branches:
            candidates = [p for p in self._wage_earners(branch, today) if p.person.birth_date <= born_before]
            n = self._count(0.03 * len(candidates))
            for part in self.rng.sample(candidates, min(n, len(candidates))):
                retirement_record(actor=branch.officer, person=part.person, on=today)
                retired += 1
        return retired

    # ------------------------------------------------------------------ claims: deaths
    def deaths(self, month: dt.date, result: MonthResult) -> tuple[int, int]:
        """A covered participant dies: the family is on record (the officer adds the spouse from the
        KK if missing), the branch opens a JKM claim, uploads the papers, quotes and verifies it, a
        second officer decides (which records the death as a life event: cover, memberships, cards,
        cooperative share and pending aid end), the first records the heir's bank account and the
        second pays."""
        died = paid = 0
        today = clock.today()
        event_date = today - dt.timedelta(days=3)
        for branch in self.branches:
            if branch.second is None:
                continue  # maker-checker needs two officers
            n = self._count(self._rate(branch, 0.0006, 0.15))
            if not n:
                continue
            candidates = [
                p
                for p in Participation.objects.filter(status="active", jkm=True, start_date__lt=event_date)
                .exclude(person__is_deceased=True)
                .exclude(person__claim_cases__event_type="death")
                .select_related("person")
                .order_by("pk")[:3000]
                if branch.covers(p.region_id or "")
            ]
            for part in self.rng.sample(candidates, min(n, len(candidates))):
                person = part.person
                with transaction.atomic():
                    if not heir_proposal(person).heirs:
                        family_member_add(
                            actor=branch.officer,
                            person=person,
                            relation="spouse",
                            name=f"Pasangan {person.name}"[:200],
                            birth_date=person.birth_date,
                            sex="F" if person.sex == "M" else "M",
                        )
                    case = case_open(
                        actor=branch.officer,
                        person=person,
                        event_type=EventType.DEATH,
                        event_date=event_date,
                        benefits=["JKM"],
                        employer=part.employer,
                    )
                    died += 1
                    claim = case.claims.get()
                    if claim.heir_id is None:
                        proposal = heir_proposal(person)
                        heir = person.family.get(pk=int(proposal.heirs[0].key))
                        claim = claim_heir_set(actor=branch.officer, claim=claim, family_member=heir)
                    self._claim_to_payment(branch, claim)
                    paid += Claim.objects.filter(pk=claim.pk, status="paid").count()
                # the decision carried the death through registry, coverage, unions and programs
        return died, paid

    def _claim_to_payment(self, branch: Branch, claim, inputs: dict | None = None):
        """The papers (and any the amount calls for, such as the NPWP), the quote, verification by
        the first officer, the decision by the second, the payee's bank account, and the payment."""

        def papers(claim):
            for doc in missing_documents(claim):
                claim_document_add(
                    actor=branch.officer,
                    claim=claim,
                    doc_type=doc,
                    upload=SimpleUploadedFile(f"{doc}.pdf", PDF, content_type="application/pdf"),
                )

        papers(claim)
        claim = claim_quote(actor=branch.officer, claim=claim, inputs=inputs)
        papers(claim)
        claim = claim_verify(actor=branch.officer, claim=claim)
        claim = claim_decide(actor=branch.second, claim=claim, approve=True)
        claim = claim_payment_instruction_set(
            actor=branch.officer,
            claim=claim,
            bank_name="Bank Rakyat Indonesia",
            bank_account=f"{self.rng.randrange(10**9, 10**10)}",
            account_holder=claim.claimant_name,
        )
        return claim_pay(
            actor=branch.second, claim=claim, reference=f"SP2D-{claim.case.reference}-{claim.benefit}"
        )

    def accidents(self, month: dt.date, result: MonthResult) -> int:
        """A work accident: the branch opens a JKK case for the hospital bill (medical care as
        needed), verifies it, a second officer decides and pays."""
        paid = 0
        today = clock.today()
        for branch in self.branches:
            if branch.second is None:
                continue
            n = self._count(self._rate(branch, 0.001, 0.1))
            candidates = self._wage_earners(branch, today, since=today.replace(day=1)) if n else []
            for part in self.rng.sample(candidates, min(n, len(candidates))):
                with transaction.atomic():
                    case = case_open(
                        actor=branch.officer,
                        person=part.person,
                        event_type=EventType.ACCIDENT,
                        event_date=today - dt.timedelta(days=5),
                        benefits=["JKK"],
                        employer=part.employer,
                        description="Kecelakaan kerja di lini produksi.",
                    )
                    cost = self.rng.randrange(1_000, 25_000) * 1_000  # the hospital's bill
                    # the officer enters the claim date: without it the quote takes the case row's
                    # created_at, which is the real time, not the one clock (reported)
                    self._claim_to_payment(
                        branch,
                        case.claims.get(),
                        inputs={"kind": "medical", "medical_cost": cost, "claim_date": today},
                    )
                paid += 1
        return paid

    def deaths_recorded_directly(self, month: dt.date, result: MonthResult) -> int:
        """Someone without a claim dies (no cover, or the family never claims): the agency records
        the death from the certificate; the life-event service carries it everywhere."""
        recorded = 0
        today = clock.today()
        for branch in self.branches:
            pool = [
                pk
                for pk, region in Person.objects.filter(is_deceased=False, merged_into__isnull=True)
                .exclude(claim_cases__event_type="death")
                .order_by("pk")
                .values_list("pk", "domicile_region_id")[:5000]
                if branch.covers(region or "")
            ]
            n = self._count(max(0.05, 0.0002 * len(pool)))
            for pk in self.rng.sample(pool, min(n, len(pool))):
                death_record(
                    actor=branch.officer,
                    person=Person.objects.get(pk=pk),
                    death_date=today - dt.timedelta(days=2),
                    certificate_number=f"3172-KM-{today:%Y%m%d}-{pk:06d}",
                )
                recorded += 1
        return recorded

    # ------------------------------------------------------------------ scheme renewals
    def close_and_renew(self, year: int, result: MonthResult) -> int:
        """1 January: the year-end job closes the schemes of the past budget year; then each managing
        agency renews its schemes into the new year (eligible participants carried over)."""
        job = job_start(
            kind="coverage.year_end",
            user=self.admin,
            title=_("Close sponsored schemes whose budget year has ended"),
            lock_key="year_end",
        )
        job.refresh_from_db()
        if not job.is_finished:
            job_execute(job)
        renewed = 0
        for scheme in Scheme.objects.filter(year__lt=year, renewed_as__isnull=True).order_by("year", "pk"):
            officers = self.agency_officers.get(scheme.agency_id) or []
            if not officers:
                result.skipped.append(f"renewal of {scheme}: no officer at the managing agency")
                continue
            scheme_renew(actor=officers[0], scheme=scheme)
            renewed += 1
        return renewed

    # ------------------------------------------------------------------ programs: the year's card round
    def _ump(self, year: int):
        """The UMP decree of `year` for DKI. A simulated year has none yet: the administrator records
        the decree the governor publishes each November, assumed to raise the UMP as much as the last
        recorded one did (decree name and note say it is a simulation's assumption)."""
        current = MinimumWage.objects.filter(region_id="31", kind="UMP", is_current=True)
        wage = current.filter(year=year).first()
        if wage is not None or self.admin is None:
            return wage
        last = current.filter(year__lt=year).order_by("-year").first()
        before = current.filter(year__lt=last.year).order_by("-year").first() if last else None
        if last is None or before is None:
            return None
        growth = last.amount / before.amount
        amount = last.amount
        for _year in range(last.year, year):
            amount = to_rupiah(amount * growth)
        return minimum_wage_set(
            actor=self.admin,
            region_code="31",
            kind="UMP",
            year=year,
            amount=amount,
            decree=f"Simulasi: UMP DKI {year} (proyeksi sinergi simulate)",
            valid_from=dt.date(year, 1, 1),
            note="assumed: the last recorded yearly rise repeated",
        )

    def card_round(self, year: int, result: MonthResult) -> int:
        """January: the agency opens the year's Kartu Pekerja Jakarta round (wage ceiling from that
        year's UMP); the union nominates eligible members with their papers; one officer verifies,
        another approves; cards are issued."""
        officers = [
            u for users in self.agency_officers.values() for u in users if u.organisation.region_id == "31"
        ]
        official = self.union_official
        if len(officers) < 2 or official is None:
            result.skipped.append("card round: needs two DKI agency officers and a union official")
            return 0
        if self._ump(year) is None:
            result.skipped.append(f"card round {year}: no UMP {year} for DKI and none to project from")
            return 0
        code = f"KPJ-SIM-{year}"
        program = Program.objects.filter(code=code).first() or program_create(
            actor=officers[0],
            code=code,
            name=f"Kartu Pekerja Jakarta {year}",
            kind=Program.Kind.WORKER_CARD,
            legal_basis="Program Kartu Pekerja Jakarta, Pemprov DKI Jakarta; upah ≤ UMP + 15%",
            region_id="31",
            year=year,
            start_date=dt.date(year, 1, 1),
            end_date=dt.date(year, 12, 31),
            rules=[
                {"rule": "ktp_province", "value": "31"},
                {"rule": "works_in_region", "value": "31"},
                {"rule": "kpj_wage_ceiling"},
            ],
        )
        body = official.organisation.union_body
        members = Membership.objects.filter(
            status="active", body__path__startswith=body.path, person__is_deceased=False
        ).values("person_id")
        eligible = list(
            eligibility.eligible_people(program)
            .filter(pk__in=members)
            .exclude(program_cards__status="active")
            .order_by("pk")
            .values_list("pk", flat=True)[:2000]
        )
        chosen = self.rng.sample(eligible, min(len(eligible), self._count(20)))
        if not chosen:
            return 0
        batch = nominate(actor=official, program=program, person_ids=chosen)["batch"]
        if batch is None:
            return 0
        approved, refused = [], 0
        for app in batch.applications.order_by("pk"):
            for kind in program_missing_documents(app):
                document_upload(
                    actor=official,
                    application=app,
                    kind=kind,
                    upload=SimpleUploadedFile(f"{kind}.pdf", PDF, content_type="application/pdf"),
                )
            try:
                app = application_verify(actor=officers[0], application=app)
            except SinergiError:  # e.g. the wage reported to BPJS is above the ceiling: stays open
                refused += 1
                continue
            approved.append(application_approve(actor=officers[1], application=app).pk)
        if refused:
            result.skipped.append(
                f"card round {year}: {refused} application(s) not verified (checks refused them)"
            )
        return cards_issue(actor=officers[0], program=program, application_ids=approved) if approved else 0

    # ------------------------------------------------------------------ programs: aid on May Day
    def distribute_aid(self, month: dt.date, result: MonthResult) -> int:
        """May Day: the agency receives sembako packages for North Jakarta, splits them across the
        union units by verified members, and volunteers hand them over by NIK; someone who comes back
        for a second package is refused."""
        officer = next(
            (u for users in self.agency_officers.values() for u in users if u.organisation.region_id == "31"),
            None,
        )
        units = sorted(
            set(
                Membership.objects.filter(
                    body__region__code__startswith="3172", status="active", verified=True
                ).values_list("body_id", flat=True)
            )
        )
        if officer is None or not units:
            result.skipped.append("aid distribution: no agency officer for North Jakarta or no union units")
            return 0
        stock = self.rng.randrange(50, 150)
        dist = distribution_create(
            actor=officer,
            name=f"Sembako May Day {month.year}",
            region_id="3172",
            event_date=clock.today(),
            place="GOR Cilincing",
            package="sembako",
            stock_received=stock,
        )
        allocate_by_members(actor=officer, distribution=dist, body_ids=units)
        members = list(  # each person once, in membership order (people may hold two memberships)
            dict.fromkeys(
                Membership.objects.filter(
                    body_id__in=units, status="active", verified=True, person__is_deceased=False
                )
                .order_by("pk")
                .values_list("person__nik", flat=True)[:4000]
            )
        )
        chosen = self.rng.sample(members, min(stock, len(members)))
        for nik in chosen:
            handover_record(actor=officer, distribution=dist, nik=nik)
        if chosen:
            try:  # someone comes back for a second package: refused (the invariant would see a second)
                handover_record(actor=officer, distribution=dist, nik=chosen[0])
            except Conflict:
                pass
        return len(chosen)

    # ------------------------------------------------------------------ aspirations and meetings
    def file_aspirations(self, month: dt.date, result: MonthResult) -> int:
        """A union files aspirations; agency officers answer about half of the open ones in time."""
        if self.union_official is None:
            return 0
        filed = 0
        for i in range(self._count(2.0)):
            aspiration_file(
                actor=self.union_official,
                title=f"Aspirasi {month:%Y-%m} #{i + 1}",
                description="Anggota meminta kejelasan pembayaran iuran dan upah lembur.",
                category=self.rng.choice(list(Category.values)),
            )
            filed += 1
        for officer in self.answerers:
            open_ones = list(
                aspiration_list(user=officer)
                .filter(status__in=[Aspiration.Status.RECEIVED, Aspiration.Status.ASSIGNED])
                .order_by("pk")[:20]
            )
            for asp in open_ones:
                if self.rng.random() < 0.5:
                    try:
                        aspiration_answer(
                            actor=officer, aspiration=asp, answer="Sudah ditindaklanjuti dengan perusahaan."
                        )
                    except SinergiError:
                        continue  # not this officer's to answer
        return filed

    def escalate(self, month: dt.date, result: MonthResult) -> int:
        """The daily escalation job, run for the month's last day."""
        job = escalation_start(today=clock.today())
        job.refresh_from_db()
        if not job.is_finished:
            job = job_execute(job)
        return int((job.result or {}).get("escalation", {}).get("escalated", 0))

    def meet(self, month: dt.date, result: MonthResult) -> int:
        """The tripartite body holds its monthly coordination meeting and records the minutes."""
        if self.secretary is None:
            return 0
        starts = clock.now().replace(hour=9, minute=0, second=0, microsecond=0)
        meeting = meeting_create(
            actor=self.secretary,
            kind=Meeting.Kind.COORDINATION,
            title=f"Rapat koordinasi {month:%m/%Y}",
            starts_at=starts,
            place="Kantor Walikota",
        )
        meeting_record(
            actor=self.secretary,
            meeting=meeting,
            minutes="Pembahasan pengaduan anggota dan kepesertaan jaminan sosial.",
            attendance=[{"name": "Sekretariat LKS Tripartit"}],
        )
        return 1


def simulate(
    *,
    months: int,
    start: dt.date | None = None,
    seed: int = 2026,
    rate: float = 1.0,
    say: Callable = print,
    on_month: Callable[[MonthResult], None] | None = None,
) -> list[MonthResult]:
    """Run `months` months from `start`; raises InvariantBroken at the first broken invariant.
    The clock is released at the end; rules projected for the run are removed again."""
    start = (start or default_start()).replace(day=1)
    end = month_last(add_months(start, months - 1))
    sim = Simulation(seed=seed, rate=rate, say=say)
    results = []
    with projected_rules(end) as projected:
        for name, since in projected:
            say(f"Assumed (no published value yet): {name} from {since:%Y-%m-%d} = the last published value.")
        try:
            for i in range(months):
                month = add_months(start, i)
                res = sim.run_month(month)
                results.append(res)
                if on_month:
                    on_month(res)
        finally:
            clock.reset()
    return results


def format_table(results: list[MonthResult]) -> str:
    head = ["month"] + [label for _k, label in COLUMNS]
    rows = [[f"{r.month:%Y-%m}"] + [f"{r.counts.get(k, 0):,}" for k, _l in COLUMNS] for r in results]
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(head)]
    out = io.StringIO()
    out.write("  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True)) + "\n")
    for row in rows:
        out.write("  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) + "\n")
    return out.getvalue()
