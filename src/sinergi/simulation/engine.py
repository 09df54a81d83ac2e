"""`sinergi simulate`: run Sinergi forward month by month through its real services and jobs.

Time moves only through the one clock (`clock.set_now`). Every change goes through the services an
officer's click would call (registry, coverage billing job and payment import, claims from opening
to payment by a second officer, aspirations and their escalation job, meetings, scheme renewals);
nothing here writes a row of a domain table itself. A fixed seed makes two runs on the same data
identical. After every month `invariants.check_all` runs; the first broken invariant stops the run.
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

from sinergi.core import clock
from sinergi.core.errors import SinergiError
from sinergi.simulation import invariants

# The smallest valid PDF: the claims service checks the file's signature, not its beauty.
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

COLUMNS = [
    ("bills", "bills"),
    ("billed", "billed Rp"),
    ("payments", "payments"),
    ("lapses", "lapses"),
    ("reactivated", "reactivated"),
    ("hires", "hires"),
    ("job_changes", "job changes"),
    ("deaths", "deaths"),
    ("claims_paid", "claims paid"),
    ("aspirations", "aspirations"),
    ("escalated", "escalated"),
    ("meetings", "meetings"),
    ("renewals", "renewals"),
]


class InvariantBroken(Exception):
    def __init__(self, month: dt.date, broken: invariants.Broken):
        super().__init__(f"{month:%Y-%m}: {broken.name}")
        self.month = month
        self.broken = broken


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
    from sinergi.coverage.models import BillingRun

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
        from sinergi.accounts.models import Organisation, User
        from sinergi.accounts.roles import OrgKind, Role

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
        if month.month == 1:
            self._at(month, 2)
            c["renewals"] = self.renew_schemes(month.year, result)
        self._at(month, 5)
        c["payments"] = self.pay_bills(month, result)
        self._at(month, 10)
        c["hires"] = self.hire(month, result)
        self._at(month, 12)
        c["job_changes"] = self.change_jobs(month, result)
        self._at(month, 15)
        c["aspirations"] = self.file_aspirations(month, result)
        self._at(month, 18)
        c["deaths"], c["claims_paid"] = self.deaths(month, result)
        self._at(month, 20)
        c["meetings"] = self.meet(month, result)
        self._at(month, last.day)
        bills, billed = self.bill(month, result)
        c["bills"], c["billed"] = bills, billed
        c["lapses"], c["reactivated"] = self.refresh_statuses(month, result)
        c["escalated"] = self.escalate(month, result)
        broken = invariants.check_all(self.ctx)
        if broken:
            raise InvariantBroken(month, broken)
        return result

    def _at(self, month: dt.date, day: int):
        day = min(day, month_last(month).day)
        clock.set_now(dt.datetime.combine(month.replace(day=day), dt.time(9, 0)))

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
        from sinergi.core.jobs import job_execute
        from sinergi.core.models import Job
        from sinergi.coverage.models import Bill
        from sinergi.coverage.tasks import billing_start

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
        from sinergi.coverage.models import Participation

        return dict(Participation.objects.values_list("pk", "status"))

    def refresh_statuses(self, month: dt.date, result: MonthResult) -> tuple[int, int]:
        from sinergi.coverage.services import statuses_refresh

        statuses_refresh(actor=self.branches[0].officer if self.branches else None)
        before, after = self._statuses_before, self._participation_statuses()
        lapses = sum(1 for pk, s in after.items() if s == "lapsed" and before.get(pk) != "lapsed")
        back = sum(1 for pk, s in after.items() if s == "active" and before.get(pk) in ("lapsed", "arrears"))
        return lapses, back

    def pay_bills(self, month: dt.date, result: MonthResult) -> int:
        """Payers pay last month's bills: most in full and on time, some partly, some late (an older
        bill paid now), some not at all. Each branch imports one bank statement (CSV)."""
        from sinergi.coverage.selectors import bill_list
        from sinergi.coverage.services import payments_import

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
        from sinergi.coverage.models import Participation

        wages = list(
            Participation.objects.filter(employer=employer, segment="PU", status__in=["active", "arrears"])
            .order_by("pk")
            .values_list("wage", flat=True)[:50]
        )
        return self.rng.choice(wages) if wages else None

    def _employers(self, branch: Branch) -> list:
        from sinergi.registry.models import Employer

        return [
            e
            for e in Employer.objects.order_by("pk")
            if branch.covers(e.region_id or "") and self._pu_wage(e)
        ]

    def hire(self, month: dt.date, result: MonthResult) -> int:
        """People in the registry without cover take a job at an employer of the branch's area: the
        registry records the employment, the branch enrols them as wage earners (PU)."""
        from sinergi.coverage.facts import in_force_q
        from sinergi.coverage.models import Participation
        from sinergi.coverage.services import participation_enrol
        from sinergi.registry.models import Person
        from sinergi.registry.services import employment_add

        hired = 0
        today = clock.today()
        for branch in self.branches:
            employers = self._employers(branch)
            if not employers:
                continue
            n = self._count(2.0)
            if not n:
                continue
            covered = Participation.objects.filter(in_force_q(today) | models_q_pending()).values("person_id")
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

    def change_jobs(self, month: dt.date, result: MonthResult) -> int:
        """A wage earner moves to another employer: the old participation ends the day before, the
        new employer enrols them from the day they start."""
        from sinergi.coverage.models import Participation
        from sinergi.coverage.services import participation_end, participation_enrol
        from sinergi.registry.services import employment_add

        moved = 0
        today = clock.today()
        for branch in self.branches:
            employers = self._employers(branch)
            if len(employers) < 2:
                continue
            n = self._count(1.5)
            if not n:
                continue
            candidates = [
                p
                for p in Participation.objects.filter(segment="PU", status="active", end_date__isnull=True)
                .filter(start_date__lt=today.replace(day=1))
                .exclude(person__claim_cases__event_type="death")
                .select_related("person", "employer")
                .order_by("pk")[:3000]
                if branch.covers(p.region_id or "")
                and branch.covers(p.person.domicile_region_id or "")
                and not p.person.is_deceased
            ]
            for part in self.rng.sample(candidates, min(n, len(candidates))):
                new_employer = self.rng.choice([e for e in employers if e.pk != part.employer_id])
                wage = self._pu_wage(new_employer)
                with transaction.atomic():
                    participation_end(
                        actor=branch.officer,
                        participation=part,
                        end_date=today - dt.timedelta(days=1),
                        reason="change of employer",
                    )
                    employment_add(
                        actor=branch.officer,
                        person=part.person,
                        employer=new_employer,
                        start_date=today,
                        wage=wage,
                    )
                    participation_enrol(
                        actor=branch.officer,
                        person=part.person,
                        segment="PU",
                        start_date=today,
                        wage=wage,
                        employer=new_employer,
                        programmes=tuple(sorted(part.programmes)),
                        participant_number=self._next_number(month),
                    )
                moved += 1
        return moved

    # ------------------------------------------------------------------ claims: deaths
    def deaths(self, month: dt.date, result: MonthResult) -> tuple[int, int]:
        """A covered participant dies: the family is on record (the officer adds the spouse from the
        KK if missing), the branch opens a JKM claim, uploads the papers, quotes and verifies it, a
        second officer decides, the first records the heir's bank account and the second pays."""
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
        from sinergi.coverage.models import Participation
        from sinergi.registry.services import family_member_add

        died = paid = 0
        today = clock.today()
        event_date = today - dt.timedelta(days=3)
        for branch in self.branches:
            if branch.second is None:
                continue  # maker-checker needs two officers
            n = self._count(0.8)
            if not n:
                continue
            candidates = [
                p
                for p in Participation.objects.filter(status="active", jkm=True, start_date__lt=event_date)
                .exclude(person__is_deceased=True)
                .exclude(person__claim_cases__event_type="death")
                .select_related("person")
                .order_by("pk")[:3000]
                if branch.covers(p.person.domicile_region_id or "") and branch.covers(p.region_id or "")
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
                    for doc in missing_documents(claim):
                        claim_document_add(
                            actor=branch.officer,
                            claim=claim,
                            doc_type=doc,
                            upload=SimpleUploadedFile(f"{doc}.pdf", PDF, content_type="application/pdf"),
                        )
                    claim = claim_quote(actor=branch.officer, claim=claim)
                    claim = claim_verify(actor=branch.officer, claim=claim)
                    claim = claim_decide(actor=branch.second, claim=claim, approve=True)
                    claim = claim_payment_instruction_set(
                        actor=branch.officer,
                        claim=claim,
                        bank_name="Bank Rakyat Indonesia",
                        bank_account=f"{self.rng.randrange(10**9, 10**10)}",
                        account_holder=claim.claimant_name,
                    )
                    claim_pay(actor=branch.second, claim=claim, reference=f"SP2D-{case.reference}")
                    paid += Claim.objects.filter(pk=claim.pk, status="paid").count()
                    self._death_life_event(branch, person, event_date, result)
        return died, paid

    def _death_life_event(self, branch: Branch, person, died_on: dt.date, result: MonthResult):
        """The death as a life event. Without a registry death service (recording the person as
        deceased and ending everything at once) the officers do what exists today, each through its
        own service: the branch ends the participations at the date of death, the union ends the
        memberships, the agency revokes worker cards. Nothing is written directly."""
        from sinergi.coverage.models import Participation
        from sinergi.coverage.services import participation_end
        from sinergi.programs.models import Card
        from sinergi.programs.services import card_revoke
        from sinergi.unions.models import Membership
        from sinergi.unions.services import membership_update

        note = "death: no registry death service yet; person not marked deceased (participations, memberships and cards ended through their own services)"
        if note not in result.skipped:
            result.skipped.append(note)
        for part in Participation.objects.filter(person=person).exclude(status="ended").order_by("pk"):
            participation_end(
                actor=branch.officer,
                participation=part,
                end_date=max(died_on, part.start_date),
                reason="death",
            )
        for membership in Membership.objects.filter(person=person, status="active").order_by("pk"):
            membership_update(
                actor=self.union_official or branch.officer,
                membership=membership,
                status=Membership.Status.LEFT,
                left_on=died_on,
            )
        for card in Card.objects.filter(person=person, status=Card.Status.ACTIVE).order_by("pk"):
            officers = self.agency_officers.get(card.program.owner_id) or self.answerers
            card_revoke(actor=officers[0], card=card, reason="meninggal dunia")

    # ------------------------------------------------------------------ scheme renewals
    def renew_schemes(self, year: int, result: MonthResult) -> int:
        """In January the managing agency renews every open scheme of an earlier budget year."""
        from sinergi.coverage.models import Scheme
        from sinergi.coverage.services import scheme_renew

        renewed = 0
        for scheme in Scheme.objects.filter(status=Scheme.Status.OPEN, year__lt=year).order_by("year", "pk"):
            officers = self.agency_officers.get(scheme.agency_id) or []
            if not officers:
                result.skipped.append(f"renewal of {scheme}: no officer at the managing agency")
                continue
            new = scheme_renew(actor=officers[0], scheme=scheme)
            renewed += 1
            while new.year < year:  # a scheme left behind for years catches up one year at a time
                new = scheme_renew(actor=officers[0], scheme=new)
                renewed += 1
        return renewed

    # ------------------------------------------------------------------ aspirations and meetings
    def file_aspirations(self, month: dt.date, result: MonthResult) -> int:
        """A union files aspirations; agency officers answer about half of the open ones in time."""
        from sinergi.aspirations.models import Aspiration, Category
        from sinergi.aspirations.selectors import aspiration_list
        from sinergi.aspirations.services import aspiration_answer, aspiration_file

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
        from sinergi.aspirations.tasks import escalation_start
        from sinergi.core.jobs import job_execute

        job = escalation_start(today=clock.today())
        job.refresh_from_db()
        if not job.is_finished:
            job = job_execute(job)
        return int((job.result or {}).get("escalation", {}).get("escalated", 0))

    def meet(self, month: dt.date, result: MonthResult) -> int:
        """The tripartite body holds its monthly coordination meeting and records the minutes."""
        from sinergi.meetings.models import Meeting
        from sinergi.meetings.services import meeting_create, meeting_record

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


def models_q_pending():
    from django.db.models import Q

    return Q(status="pending")


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
    from sinergi.simulation.projection import projected_rules

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
