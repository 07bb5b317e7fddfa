"""Load the demo projects, needs, progress reports, partnerships and offers (after the registry).

Idempotent (natural keys: slugs, titles) and all or nothing: a bad record raises DemoDataError
naming it, and `ascnhub demo load` rolls everything back. Everything here is marked as demo data.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from ascnhub.registry.demo import DemoDataError, upsert
from ascnhub.registry.models import City, Organisation, Role

from . import demo_data as D
from . import demo_funding
from .codes import FocusArea, Outcome
from .models import (
    FocusAreaTag,
    Funding,
    Need,
    Offer,
    OutcomeTag,
    Partnership,
    ProgressReport,
    Project,
    ProjectParty,
)

# Rough exchange rates for the demo's "budget in USD" figures (not for any real use).
USD_PER = {
    "USD": 1,
    "BND": 0.74,
    "KHR": 0.00024,
    "IDR": 0.000062,
    "LAK": 0.000046,
    "MYR": 0.22,
    "MMK": 0.00048,
    "PHP": 0.017,
    "SGD": 0.74,
    "THB": 0.028,
    "VND": 0.000039,
    "JPY": 0.0066,
}
TODAY = datetime.date(2025, 11, 15)  # the demo is told as of this day, so that it does not change over time
LAST_APPROVED = datetime.date(2025, 6, 30)  # the latest half-year with approved reports


def _d(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _set_codes(obj, name: str, codes: list[str], where: str) -> None:
    model = FocusAreaTag if name == "focus_areas" else OutcomeTag
    found = list(model.objects.filter(code__in=codes))
    if len(found) != len(set(codes)):
        raise DemoDataError(f"{where}: {name}: unknown code in {codes}")
    getattr(obj, name).set(found)


def _jitter(key: str, spread: float) -> float:
    """A stable pseudo-random number in [-spread, spread] (the same on every load)."""
    h = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return (h * 2 - 1) * spread


# What a city writes in its report's narrative, per project language (the demo's projects are
# written in these); other languages fall back to English.
NARRATIVES: dict[str, dict[str, str]] = {
    "en": {
        "final": "The service was handed over to the city's operations team.",
        "on_track": "The work of the period went as the plan foresaw.",
        "behind": "Procurement and permits took longer than expected.",
    },
    "id": {
        "final": "Layanan telah diserahkan kepada tim operasional kota.",
        "on_track": "Pekerjaan pada periode ini berjalan sesuai rencana.",
        "behind": "Pengadaan dan perizinan memakan waktu lebih lama dari perkiraan.",
    },
    "ja": {
        "final": "サービスは市の運用チームに引き継がれました。",
        "on_track": "この期間の作業は計画どおりに進みました。",
        "behind": "調達と許認可に想定以上の時間がかかりました。",
    },
    "vi": {
        "final": "Dịch vụ đã được bàn giao cho đội vận hành của thành phố.",
        "on_track": "Công việc trong kỳ diễn ra đúng kế hoạch.",
        "behind": "Việc mua sắm và cấp phép mất nhiều thời gian hơn dự kiến.",
    },
    "th": {
        "final": "ส่งมอบบริการให้ทีมปฏิบัติการของเมืองแล้ว",
        "on_track": "งานในช่วงนี้เป็นไปตามแผน",
        "behind": "การจัดซื้อจัดจ้างและการขออนุญาตใช้เวลานานกว่าที่คาดไว้",
    },
}


def _reports(project: Project, where: str, officer_user, reviewer_user) -> int:
    """Half-yearly approved reports from the start until today; planned follows a straight line."""
    if (
        project.status not in (Project.Status.IMPLEMENTATION, Project.Status.COMPLETION)
        or not project.start_date
    ):
        return 0
    start, end = (
        project.start_date,
        project.end_date or project.start_date.replace(year=project.start_date.year + 3),
    )
    last_day = min(end, LAST_APPROVED) if project.status == Project.Status.IMPLEMENTATION else end
    total_days = max((end - start).days, 1)
    periods = []
    cursor = start
    while cursor < last_day:
        stop = min(
            datetime.date(cursor.year + (cursor.month > 6), 1 if cursor.month > 6 else 7, 1)
            - datetime.timedelta(days=1),
            last_day,
        )
        periods.append((cursor, stop))
        cursor = stop + datetime.timedelta(days=1)
    periods = periods[-6:]  # the latest six half-years are enough for the demo
    lag = 0.75 + _jitter(project.slug + "lag", 0.2)  # how well the project keeps up with its plan
    n, prev_actual = 0, 0.0
    for i, (p_start, p_end) in enumerate(periods):
        share = min((p_end - start).days / total_days, 1.0)
        planned = round(100 * share, 1)
        final = project.status == Project.Status.COMPLETION and i == len(periods) - 1
        actual = (
            100.0
            if final
            else round(max(0.0, min(100.0, planned * lag + _jitter(f"{project.slug}{i}", 3))), 1)
        )
        fin_planned = round(min(100.0, planned * 1.05), 1)
        fin_actual = (
            100.0
            if final
            else round(max(0.0, min(100.0, actual * 0.9 + _jitter(f"{project.slug}f{i}", 4))), 1)
        )
        milestones = []
        if i == 0:
            milestones.append("Project team and steering committee set up")
        for threshold, label in (
            (30, "Procurement completed and contract signed"),
            (60, "First district live"),
            (85, "Service open city-wide"),
        ):
            if prev_actual < threshold <= actual:
                milestones.append(label)
        prev_actual = actual
        if final:
            milestones.append("Handover and completion report")
        status = Project.Status.COMPLETION if final else Project.Status.IMPLEMENTATION
        # The figures' sentence is ProgressReport.summary, shown in the reader's language; the
        # narrative is the city's own words, in the project's language.
        pace = "final" if final else "on_track" if actual >= planned - 5 else "behind"
        words = NARRATIVES.get(project.language, NARRATIVES["en"])
        narrative = words[pace]
        report = upsert(
            ProgressReport,
            f"{where} report {p_end}",
            {"project": project, "period_end": p_end},
            {
                "period_start": p_start,
                "status": status,
                "physical_planned": Decimal(str(planned)),
                "physical_actual": Decimal(str(actual)),
                "financial_planned": Decimal(str(fin_planned)),
                "financial_actual": Decimal(str(fin_actual)),
                "milestones_met": "\n".join(milestones),
                "narrative": narrative,
                "state": ProgressReport.State.APPROVED,
                "is_demo": True,
                "created_by": officer_user,
                "reviewed_by": reviewer_user,
                "submitted_at": timezone.make_aware(
                    datetime.datetime.combine(p_end + datetime.timedelta(days=10), datetime.time(9))
                ),
                "reviewed_at": timezone.make_aware(
                    datetime.datetime.combine(p_end + datetime.timedelta(days=20), datetime.time(9))
                ),
            },
        )
        n += 1 if report else 0
    return n


def _officer_user(city: City):
    role = (
        Role.objects.current().filter(kind=Role.Kind.CSCO, city=city).select_related("person__user").first()
    )
    return role.person.user if role and role.person else None


def _nr_user(city: City):
    role = (
        Role.objects.current()
        .filter(kind=Role.Kind.NATIONAL_REPRESENTATIVE, member_state=city.country_id)
        .select_related("person__user")
        .first()
    )
    return role.person.user if role and role.person else None


def _project(row: tuple, published: bool, cities: dict[str, City], orgs: dict[str, Organisation]) -> Project:
    (city_name, lang, title, desc, focus, outcomes, status, start, end, budget, currency, parties, trans) = (
        row
    )
    where = f"project {title!r} ({city_name})"
    city = cities.get(city_name)
    if city is None:
        raise DemoDataError(f"{where}: city: unknown city {city_name!r}")
    slug_source = trans.get("en", (title,))[0] if trans else title
    slug = slugify(f"{city.slug} {slug_source}")[:110]
    lat = lng = None
    if city.latitude is not None:  # a point near the city centre, stable per project
        lat = round(Decimal(city.latitude) + Decimal(str(round(_jitter(slug + "lat", 0.03), 5))), 5)
        lng = round(Decimal(city.longitude) + Decimal(str(round(_jitter(slug + "lng", 0.03), 5))), 5)
    project = upsert(
        Project,
        where,
        {"slug": slug},
        {
            "city": city,
            "title": title,
            "description": desc,
            "language": lang,
            "translations": {k: {"title": t, "description": d} for k, (t, d) in trans.items()},
            "status": status,
            "start_date": _d(start),
            "end_date": _d(end),
            "budget_amount": Decimal(budget) if budget is not None else None,
            "budget_currency": currency,
            "latitude": lat,
            "longitude": lng,
            "published": published,
            "is_demo": True,
        },
    )
    _set_codes(project, "focus_areas", focus, where)
    _set_codes(project, "outcomes", outcomes, where)
    for org_slug, role, note in parties:
        org = orgs.get(org_slug) or Organisation.objects.filter(slug=org_slug).first()
        if org is None:
            raise DemoDataError(f"{where}: parties: unknown organisation {org_slug!r}")
        upsert(
            ProjectParty,
            f"{where} party {org_slug}",
            {"project": project, "organisation": org, "role": role},
            {"note": note},
        )
    return project


def load(say: Callable[[str], None] = print) -> dict[str, int]:
    """Load or refresh the demo projects and offers; returns the number of records of each kind."""
    # The vocabularies come with a data migration, but a flushed database (a test flush, a loaddata
    # into an emptied site) has lost them: make sure they are there before anything refers to them.
    FocusAreaTag.objects.bulk_create([FocusAreaTag(code=c) for c in FocusArea.values], ignore_conflicts=True)
    OutcomeTag.objects.bulk_create([OutcomeTag(code=c) for c in Outcome.values], ignore_conflicts=True)
    cities = {c.name: c for c in City.objects.select_related("country")}
    orgs: dict[str, Organisation] = {}
    for slug, name, country, description in D.COMPANIES:
        orgs[slug] = upsert(
            Organisation,
            f"company {slug}",
            {"slug": slug},
            {
                "name": name,
                "kind": Organisation.Kind.COMPANY,
                "country": country,
                "description": description,
                "is_demo": True,
            },
        )

    projects: dict[str, Project] = {}
    n_reports = 0
    for row in D.PROJECTS + D.DRAFT_PROJECTS:
        published = row in D.PROJECTS
        project = _project(row, published, cities, orgs)
        projects[row[2]] = project
        for t, _ in row[12].values():
            projects.setdefault(t, project)
        if published:
            n_reports += _reports(
                project, f"project {row[2]!r}", _officer_user(project.city), _nr_user(project.city)
            )

    # One report waiting for the National Representative, one returned: private until approved.
    for title, state, comment in [
        ("JAKI: aplikasi super warga Jakarta", ProgressReport.State.SUBMITTED, ""),
        (
            "Urban flood monitoring",
            ProgressReport.State.RETURNED,
            "Please add the number of sensors installed and the cost so far.",
        ),
    ]:
        project = projects[title]
        last = project.reports.filter(state=ProgressReport.State.APPROVED).order_by("-period_end").first()
        start = (last.period_end + datetime.timedelta(days=1)) if last else project.start_date
        upsert(
            ProgressReport,
            f"pending report of {title!r}",
            {"project": project, "period_end": TODAY},
            {
                "period_start": start,
                "status": Project.Status.IMPLEMENTATION,
                "physical_planned": min(Decimal(100), (last.physical_planned if last else 0) + 8),
                "physical_actual": min(Decimal(100), (last.physical_actual if last else 0) + 5),
                "financial_planned": min(Decimal(100), (last.financial_planned if last else 0) + 8),
                "financial_actual": min(Decimal(100), (last.financial_actual if last else 0) + 4),
                "milestones_met": "",
                "narrative": "Draft narrative for the latest half-year.",
                "state": state,
                "review_comment": comment,
                "is_demo": True,
                "created_by": _officer_user(project.city),
                "submitted_at": timezone.now() if state == ProgressReport.State.SUBMITTED else None,
            },
        )

    n_needs = 0
    for city_name, project_title, lang, title, desc, kind, stage, focus, budget_usd, is_open in D.NEEDS:
        where = f"need {title!r} ({city_name})"
        city = cities.get(city_name)
        if city is None:
            raise DemoDataError(f"{where}: city: unknown city {city_name!r}")
        project = projects.get(project_title) if project_title else None
        if project_title and project is None:
            raise DemoDataError(f"{where}: project: unknown project {project_title!r}")
        need = upsert(
            Need,
            where,
            {"city": city, "title": title},
            {
                "description": desc,
                "language": lang,
                "project": project,
                "kind": kind,
                "stage": stage,
                "budget_usd": budget_usd,
                "is_open": is_open,
                "published": True,
                "is_demo": True,
                "budget_amount": Decimal(budget_usd) if budget_usd else None,
                "budget_currency": "USD" if budget_usd else "",
            },
        )
        _set_codes(need, "focus_areas", focus, where)
        n_needs += 1

    n_offers = 0
    for org_slug, lang, title, desc, focus, deployed, references in D.OFFERS:
        where = f"offer {title!r} ({org_slug})"
        org = orgs.get(org_slug) or Organisation.objects.filter(slug=org_slug).first()
        if org is None:
            raise DemoDataError(f"{where}: organisation: unknown organisation {org_slug!r}")
        slug = slugify(f"{org_slug} {title}")[:110] or f"{org_slug}-offer-{n_offers + 1}"
        if not slugify(title):  # a title in a non-Latin script: number the slug instead
            slug = f"{org_slug}-{hashlib.sha256(title.encode()).hexdigest()[:8]}"
        offer = upsert(
            Offer,
            where,
            {"slug": slug},
            {
                "organisation": org,
                "title": title,
                "description": desc,
                "language": lang,
                "deployed_in": deployed,
                "references": references,
                "contact_name": "Business development team",
                "contact_email": f"contact@{org_slug}.demo.ascnhub.example",
                "published": True,
                "is_demo": True,
            },
        )
        _set_codes(offer, "focus_areas", focus, where)
        n_offers += 1

    n_partnerships = 0
    for city_name, org_slug, project_title, kind, title, start, end, origin in D.PARTNERSHIPS:
        where = f"partnership {title!r} ({city_name})"
        org = orgs.get(org_slug) or Organisation.objects.filter(slug=org_slug).first()
        if org is None or city_name not in cities:
            raise DemoDataError(f"{where}: unknown city or organisation")
        project = projects.get(project_title) if project_title else None
        if project_title and project is None:
            raise DemoDataError(f"{where}: project: unknown project {project_title!r}")
        upsert(
            Partnership,
            where,
            {"city": cities[city_name], "organisation": org, "title": title},
            {
                "project": project,
                "kind": kind,
                "start_date": _d(start),
                "end_date": _d(end),
                "origin": origin,
                "published": True,
                "is_demo": True,
            },
        )
        n_partnerships += 1

    n_fundings = 0
    for title, source, amount, currency, status, description in demo_funding.FUNDINGS:
        where = f"funding of {title!r} by {source}"
        project = projects.get(title)
        if project is None:
            raise DemoDataError(f"{where}: project: unknown project {title!r}")
        slug = f"{project.city.slug}-city-government" if source == "city" else source
        org = orgs.get(slug) or Organisation.objects.filter(slug=slug).first()
        if org is None:
            raise DemoDataError(f"{where}: source: unknown organisation {slug!r}")
        upsert(
            Funding,
            where,
            {"project": project, "source": org, "status": status, "currency": currency},
            {"amount": Decimal(amount), "description": description},
        )
        n_fundings += 1
    for title, amount, currency in demo_funding.OM_COSTS:
        project = projects.get(title)
        if project is None:
            raise DemoDataError(f"operation cost of {title!r}: project: unknown project")
        upsert(
            Project,
            f"operation cost of {title!r}",
            {"pk": project.pk},
            {"om_cost_per_year": Decimal(amount), "om_cost_currency": currency},
        )

    counts = {
        "projects": Project.objects.filter(is_demo=True).count(),
        "fundings": n_fundings,
        "progress reports": ProgressReport.objects.filter(is_demo=True).count(),
        "needs": n_needs,
        "offers": n_offers,
        "partnerships": n_partnerships,
    }
    say("projects: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return counts
