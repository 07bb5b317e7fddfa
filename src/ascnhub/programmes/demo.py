"""Demo programme data: Japan's Smart JAMP with two support studies, the MoU that one of them led
to, Siem Reap's public–private council and some action-plan items.

Facts from the programmes' public record, as issue 23 states them: Smart JAMP funds support studies
in ASEAN cities; Phnom Penh had a smart bus shelters study in 2021; Battambang's master plan study
led to an MoU in 2022 with four numbered cooperation items; Siem Reap set up its public–private
council in 2024. Everything else — consortia, dates within the year, item texts, updates, members,
meetings, document links — is invented for the demo, and every record is marked is_demo. People are
the registry demo's invented people.

Idempotent (natural keys: slugs, numbers, dates) and all or nothing, like every app's demo.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from ascnhub.projects.models import Project
from ascnhub.registry.demo import DemoDataError, upsert
from ascnhub.registry.models import City, Organisation, Role

from .models import (
    ActionPlanItem,
    Agreement,
    CooperationItem,
    Council,
    CouncilMeeting,
    CouncilMember,
    ItemUpdate,
    MeetingDocument,
    Programme,
    Study,
    StudyDocument,
)

D = datetime.date.fromisoformat
DOCS = "https://docs.demo.ascnhub.example"

STUDIES = [
    {
        "slug": "phnom-penh-smart-bus-shelters-2021",
        "title": "Smart bus shelters for Phnom Penh",
        "theme": "Public transport",
        "focus_area": "built_infrastructure",
        "fiscal_year": 2021,
        "cities": ["Phnom Penh"],
        "consortium": ["kizuna-mobility", "aoba-smart-infrastructure"],
        "kickoff_date": "2021-09-14",
        "summary": (
            "Bus shelters with real-time arrival displays, solar lighting and CCTV on the city bus "
            "network's busiest lines: sites, design, costs and an operating model."
        ),
        "deliverables": "Site survey of 40 stops\nShelter design and cost estimate\nOperation and maintenance plan",
        "projects": ["Real-time public bus information"],
        "documents": [
            ("minutes", "Kick-off meeting minutes", "2021-09-14"),
            ("signed_minutes", "Signed minutes of the final meeting", "2022-02-25"),
            ("report", "Final report", "2022-03-15"),
        ],
    },
    {
        "slug": "battambang-smart-city-master-plan-2021",
        "title": "Battambang smart city master plan",
        "theme": "Smart city master plan",
        "focus_area": "quality_environment",
        "fiscal_year": 2021,
        "cities": ["Battambang"],
        "consortium": ["aoba-smart-infrastructure", "asean-urban-research-institute"],
        "kickoff_date": "2021-10-05",
        "summary": (
            "A master plan for Battambang's smart city development: waste, flood risk on the Sangkae "
            "river, city services and the skills of city staff."
        ),
        "deliverables": "Current state analysis\nSmart city master plan\nPriority project sheets",
        "projects": ["Solid waste collection route optimisation"],
        "documents": [
            ("minutes", "Kick-off meeting minutes", "2021-10-05"),
            ("signed_minutes", "Signed minutes of the steering meeting", "2022-01-20"),
            ("report", "Master plan report", "2022-03-28"),
        ],
    },
]

MOU = {
    "slug": "battambang-smart-city-mou-2022",
    "title": "Memorandum of understanding on smart city cooperation in Battambang",
    "kind": "mou",
    "signed_on": "2022-06-22",
    "summary": "Signed after the master plan study, with four numbered cooperation items.",
    "cities": ["Battambang"],
    "organisations": ["aoba-smart-infrastructure", "asean-urban-research-institute"],
    "study": "battambang-smart-city-master-plan-2021",
    "items": [
        (1, "Smart waste collection", "in_progress", ["Solid waste collection route optimisation"]),
        (2, "Flood early warning on the Sangkae river", "planned", ["Sangkae river flood early warning"]),
        (3, "Digital city services for residents", "planned", []),
        (4, "Training of city staff in data-driven planning", "done", []),
    ],
    "updates": [
        (1, "2023-03-01", "in_progress", "GPS units fitted on the first collection trucks."),
        (4, "2022-11-30", "in_progress", "First training week held in Battambang."),
        (4, "2023-06-30", "done", "Second and last training week held; 24 staff trained."),
    ],
}

COUNCIL = {
    "slug": "siem-reap-smart-city-council",
    "city": "Siem Reap",
    "name": "Siem Reap smart city public–private council",
    "established_on": "2024-03-15",
    "purpose": "Brings the city, businesses and academia together to choose and follow smart city projects.",
    "members": [
        ("siem-reap-city-government", None, "Chair"),
        ("hanbit-urban-solutions", None, "Member (private sector)"),
        ("asean-urban-research-institute", None, "Member (academia)"),
        (None, "csco", "Secretary"),
    ],
    "meetings": [
        (
            "2024-03-15",
            "Founding meeting",
            "Terms of reference adopted; members named.",
            ["Terms of reference"],
        ),
        ("2024-09-10", "Second meeting", "Traffic CCTV monitoring centre reviewed.", ["Minutes"]),
    ],
}

ACTION_PLAN = [
    (
        "Phnom Penh",
        "T-1",
        "Real-time bus information",
        "built_infrastructure",
        ["Real-time public bus information"],
    ),
    (
        "Phnom Penh",
        "E-2",
        "Flood sensors in the drainage network",
        "quality_environment",
        ["Drainage and flood sensor network"],
    ),
    (
        "Battambang",
        "E-1",
        "Smart waste collection",
        "quality_environment",
        ["Solid waste collection route optimisation"],
    ),
    (
        "Siem Reap",
        "S-1",
        "Traffic monitoring at the Angkor gateway",
        "safety_security",
        ["Traffic CCTV monitoring centre"],
    ),
]


def _project(title: str, where: str) -> Project:
    project = Project.objects.filter(title=title).first()
    if project is not None:
        return project
    # A project written in another language is found by its English translation's title.
    for p in Project.objects.exclude(translations={}):
        if any(t.get("title") == title for t in (p.translations or {}).values()):
            return p
    raise DemoDataError(f"{where}: project: unknown project {title!r}")


def _org(slug: str, where: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise DemoDataError(f"{where}: organisation: unknown organisation {slug!r}")
    return org


def _city(name: str, where: str) -> City:
    city = City.objects.filter(name=name).first()
    if city is None:
        raise DemoDataError(f"{where}: city: unknown city {name!r}")
    return city


def load(say: Callable[[str], None] = print) -> dict[str, int]:
    """Load or refresh the demo programmes; returns the number of records of each kind."""
    jamp = upsert(
        Programme,
        "programme smart-jamp",
        {"slug": "smart-jamp"},
        {
            "name": "Smart JAMP",
            "description": (
                "Japan's support programme for smart cities in ASEAN: support studies in the cities, "
                "each carried out by a consultant consortium, leading to projects and agreements."
            ),
            "funder": _org("mlit-japan", "programme smart-jamp"),
            "published": True,
            "is_demo": True,
        },
    )
    studies = {}
    for s in STUDIES:
        where = f"study {s['slug']}"
        study = upsert(
            Study,
            where,
            {"slug": s["slug"]},
            {
                "programme": jamp,
                "title": s["title"],
                "theme": s["theme"],
                "focus_area": s["focus_area"],
                "fiscal_year": s["fiscal_year"],
                "kickoff_date": D(s["kickoff_date"]),
                "summary": s["summary"],
                "deliverables": s["deliverables"],
                "published": True,
                "is_demo": True,
            },
        )
        study.cities.set([_city(c, where) for c in s["cities"]])
        study.consortium.set([_org(o, where) for o in s["consortium"]])
        study.projects.set([_project(t, where) for t in s["projects"]])
        for kind, title, date in s["documents"]:
            upsert(
                StudyDocument,
                f"{where}: document {title!r}",
                {"study": study, "title": title},
                {"kind": kind, "url": f"{DOCS}/{s['slug']}/{kind}.pdf", "date": D(date)},
            )
        studies[s["slug"]] = study

    where = f"agreement {MOU['slug']}"
    mou = upsert(
        Agreement,
        where,
        {"slug": MOU["slug"]},
        {
            "title": MOU["title"],
            "kind": MOU["kind"],
            "signed_on": D(MOU["signed_on"]),
            "summary": MOU["summary"],
            "study": studies[MOU["study"]],
            "published": True,
            "is_demo": True,
        },
    )
    mou.cities.set([_city(c, where) for c in MOU["cities"]])
    mou.organisations.set([_org(o, where) for o in MOU["organisations"]])
    items = {}
    for number, title, status, projects in MOU["items"]:
        item = upsert(
            CooperationItem,
            f"{where}: item {number}",
            {"agreement": mou, "number": number},
            {"title": title, "status": status},
        )
        item.projects.set([_project(t, f"{where}: item {number}") for t in projects])
        items[number] = item
    for number, date, status, note in MOU["updates"]:
        upsert(
            ItemUpdate,
            f"{where}: item {number}: update of {date}",
            {"item": items[number], "date": D(date)},
            {"status": status, "note": note},
        )

    where = f"council {COUNCIL['slug']}"
    city = _city(COUNCIL["city"], where)
    council = upsert(
        Council,
        where,
        {"slug": COUNCIL["slug"]},
        {
            "city": city,
            "name": COUNCIL["name"],
            "established_on": D(COUNCIL["established_on"]),
            "purpose": COUNCIL["purpose"],
            "published": True,
            "is_demo": True,
        },
    )
    for org_slug, _who, role in COUNCIL["members"]:
        values: dict = {"role": role}
        if org_slug:
            lookup = {"council": council, "organisation": _org(org_slug, where)}
        else:
            officer = Role.objects.current().filter(kind=Role.Kind.CSCO, city=city).first()
            if officer is None or officer.person_id is None:
                raise DemoDataError(f"{where}: member: no Chief Smart City Officer of {city.name}")
            lookup = {"council": council, "person": officer.person}
        upsert(CouncilMember, f"{where}: member {role}", lookup, values)
    for date, title, summary, documents in COUNCIL["meetings"]:
        meeting = upsert(
            CouncilMeeting,
            f"{where}: meeting {date}",
            {"council": council, "date": D(date)},
            {"title": title, "summary": summary},
        )
        for doc in documents:
            upsert(
                MeetingDocument,
                f"{where}: meeting {date}: {doc}",
                {"meeting": meeting, "title": doc},
                {"url": f"{DOCS}/{council.slug}/{date}/{doc.lower().replace(' ', '-')}.pdf"},
            )

    for city_name, code, title, focus, projects in ACTION_PLAN:
        where = f"action plan item {city_name} {code}"
        item = upsert(
            ActionPlanItem,
            where,
            {"city": _city(city_name, where), "code": code},
            {"title": title, "focus_area": focus, "is_demo": True},
        )
        item.projects.set([_project(t, where) for t in projects])

    counts = {
        "programmes": Programme.objects.filter(is_demo=True).count(),
        "studies": Study.objects.filter(is_demo=True).count(),
        "agreements": Agreement.objects.filter(is_demo=True).count(),
        "cooperation items": CooperationItem.objects.filter(agreement__is_demo=True).count(),
        "councils": Council.objects.filter(is_demo=True).count(),
        "action plan items": ActionPlanItem.objects.filter(is_demo=True).count(),
    }
    say("programmes: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return counts
