"""Demo knowledge: a dozen best-practice cases and a draft of the planning guidebook whose
chapters stand at different steps of the review (published, changed after publication, in
review, draft), with revisions by different contributors and a few comments.

Idempotent: cases are upserted by slug; the guidebook is rebuilt only where it is missing.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model

from ascnhub.projects.models import Partnership, Project
from ascnhub.registry.demo import upsert
from ascnhub.registry.models import City, Organisation

from . import services
from .demo_cases import CASES
from .models import Case, Chapter, ChapterComment

DOMAIN = "demo.ascnhub.example"

CHAPTERS = [
    (
        "introduction",
        "introduction",
        1,
        "Introduction",
        [
            (
                "nr.bn",
                "First outline",
                """Why this guidebook

At the 3rd ASEAN–Japan Smart Cities Network High Level Meeting (18–19 October 2021), the member states
agreed to formulate an ASEAN smart-city planning guidebook together.

This guidebook is for city officers who plan a smart-city project for the first time.
""",
            ),
            (
                "nr.id",
                "Say who it is for and how to read it",
                """# Why this guidebook

At the 3rd ASEAN–Japan Smart Cities Network High Level Meeting (18–19 October 2021), the ASEAN member
states and Japan agreed to formulate an ASEAN smart-city planning guidebook together.

# Who it is for

City officers and National Representatives who plan a smart-city project, often for the first time,
and the partners who work with them.

# How to read it

1. Start with the *basic understanding* of smart cities.
2. Choose your *priority areas*, with examples from cities like yours.
3. Follow the *process*, and check the *enablers* you will need.
""",
            ),
        ],
        "published",
    ),
    (
        "basics",
        "basic-understanding",
        2,
        "Basic understanding of smart cities",
        [
            (
                "nr.th",
                "First draft",
                """# What a smart city is

The ASEAN Smart Cities Framework describes a smart city as one that uses technological and digital
solutions, as well as innovative non-technological means, to address urban issues.

# Three strategic outcomes

- a competitive economy
- a sustainable environment
- a high quality of life
""",
            ),
            (
                "sato.kenji",
                "Add the three principles of the 3rd HLM",
                """# What a smart city is

The ASEAN Smart Cities Framework describes a smart city as one that uses technological and digital
solutions, as well as innovative non-technological means, to address urban issues.

# Three strategic outcomes

- a competitive economy
- a sustainable environment
- a high quality of life

# Three principles for successful projects

1. Diverse smart cities that meet each city's needs and actual conditions.
2. Smart cities built on diverse participants.
3. Open and highly transparent smart cities.
""",
            ),
        ],
        "published_then_changed",
    ),
    (
        "priority_areas",
        "priority-areas",
        3,
        "Priority areas, with examples",
        [
            (
                "csco.makassar",
                "Examples from Indonesian cities",
                """# Six focus areas

Civic and social; health and well-being; safety and security; quality environment; built
infrastructure; industry and innovation.

# Examples

- **Civic and social** — Makassar's War Room brings residents' reports and city data onto one screen.
- **Civic and social** — Banyuwangi's Smart Kampung brings public services to the villages.
""",
            ),
            (
                "nr.vn",
                "Add Da Nang and Japanese examples",
                """# Six focus areas

Civic and social; health and well-being; safety and security; quality environment; built
infrastructure; industry and innovation.

# Examples

- **Civic and social** — Makassar's War Room brings residents' reports and city data onto one screen.
- **Civic and social** — Banyuwangi's Smart Kampung brings public services to the villages.
- **Safety and security** — Da Nang's intelligent operations centre coordinates traffic and incidents.
- **Built infrastructure** — Toyama's light rail is the spine of a compact city.
""",
            ),
        ],
        "review",
    ),
    (
        "process",
        "process-and-enablers",
        4,
        "Process and enablers",
        [
            (
                "nr.id",
                "Outline",
                """# The process

1. Understand the city's problems with data and with residents.
2. Agree on a vision and on priority areas.
3. Find partners: national agencies, companies, universities, other cities.
4. Pilot, measure, then scale.

# Enablers

- Governance: one person who answers for the smart-city programme (the Chief Smart City Officer).
- Finance: public budget, partner funds, public–private partnership.
- Data: rules for sharing and protecting data.
- People: skills in the city government.
""",
            )
        ],
        "draft",
    ),
]

COMMENTS = [
    (
        "basic-understanding",
        "nr.my",
        "comment",
        "Could we add one sentence on how the framework relates to national smart-city strategies?",
    ),
    (
        "priority-areas",
        "nr.id",
        "submitted",
        "Ready for review: examples from three member states and Japan.",
    ),
    (
        "priority-areas",
        "sato.kenji",
        "comment",
        "Kashiwa-no-ha could serve as an example for quality environment.",
    ),
    ("introduction", "nr.th", "approved", "Approved for publication."),
]


def _user(handle: str):
    return get_user_model().objects.filter(email=f"{handle}@{DOMAIN}").first()


def _load_cases(say) -> int:
    cities = {c.slug: c for c in City.objects.all()}
    mlit = Organisation.objects.filter(slug="mlit-japan").first()
    for (
        slug,
        title,
        city_slug,
        place,
        country,
        focus,
        lang,
        year,
        problem,
        solution,
        results,
        partners,
    ) in CASES:
        city = cities.get(city_slug) if city_slug else None
        if city_slug and city is None:
            place = city_slug.replace("-", " ").title()
        case = upsert(
            Case,
            f"case {slug}",
            {"slug": slug},
            {
                "title": title,
                "city": city,
                "place": place,
                "country": country,
                "focus_area": focus,
                "language": lang,
                "year": year,
                "problem": problem,
                "solution": solution,
                "results": results,
                "partners_text": partners,
                "published": True,
                "is_demo": True,
            },
        )
        if country == "JP" and mlit is not None and slug == "kashiwanoha-aems":
            case.partners.set([mlit])
        if city is not None:
            # Link the city's published projects and partnerships in the same focus area, if any.
            case.projects.set(
                Project.objects.public().filter(city=city, focus_areas__code=focus).order_by("slug")[:2]
            )
            case.partnerships.set(
                Partnership.objects.public().filter(city=city).order_by("start_date", "id")[:1]
            )
    return len(CASES)


def _load_guidebook(say) -> int:
    made = 0
    for part, slug, position, title, revisions, state in CHAPTERS:
        chapter, _created = Chapter.objects.get_or_create(
            slug=slug, defaults={"part": part, "position": position, "title": title}
        )
        if chapter.revision_number:
            continue
        made += 1
        for n, (handle, summary, body) in enumerate(revisions, start=1):
            services.save_chapter(
                _user(handle), chapter, title=title, body=body, base_revision=n - 1, summary=summary
            )
            if state == "published_then_changed" and n == len(revisions) - 1:
                services.submit_for_review(_user(handle), chapter)
                services.approve(_user("nr.id"), chapter)
        if state in ("published", "review"):
            services.submit_for_review(_user(revisions[-1][0]), chapter, "")
        if state == "published":
            services.approve(_user("nr.th"), chapter, "")
    for slug, handle, kind, body in COMMENTS:
        chapter = Chapter.objects.get(slug=slug)
        if kind == "comment" and not chapter.comments.filter(body=body).exists():
            ChapterComment.objects.create(
                chapter=chapter,
                kind=kind,
                body=body,
                author=_user(handle),
                revision_number=chapter.revision_number,
            )
        elif kind != "comment":
            chapter.comments.filter(kind=kind, body="").update(body=body)
    return made


def load(say: Callable[[str], None] = print) -> dict[str, int]:
    n_cases = _load_cases(say)
    n_chapters = _load_guidebook(say)
    say(
        f"Knowledge: {n_cases} best-practice cases, guidebook with {Chapter.objects.count()} chapters "
        f"({n_chapters} written now)."
    )
    return {"cases": n_cases, "chapters": Chapter.objects.count()}
