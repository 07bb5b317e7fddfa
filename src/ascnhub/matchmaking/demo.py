"""The business-matchmaking day of the demo meeting (3rd ASEAN–Japan HLM, 19 Oct 2021).

Every city's officer and every demo company gets a registration and a profile linked to its real
demo needs and offers; a few hundred invented registrants join them. Suggestions come from the
matching engine (demo embeddings are shipped pre-computed in data/demo_embeddings.npz, so the load
is quick; texts not in it are embedded live), requests follow the suggestions, and a schedule is
solved by the real solver and published.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from importlib import resources

import numpy as np
from django.db.models import Q

from ascnhub.common.embeddings import DatabaseEmbeddingStore, database_embedder
from ascnhub.events.models import Meeting, Mode, Registration, RegistrationCategory
from ascnhub.projects.models import Need, Offer
from ascnhub.registry.models import Organisation, Person, Role

from . import scheduling, suggestions
from . import setup as setup_services
from .models import MeetingRequest, Profile, Setup, Suggestion

SLUG = "asean-japan-hlm-2021"
NS = uuid.UUID("7d1c3f1e-2a54-4c1b-9a55-6c2b1d2e0b21")
EXTRA_CITY_PROFILES = 150
EXTRA_COMPANY_PROFILES = 120
SOLVER_SECONDS = 8
EMBEDDINGS_FILE = "demo_embeddings.npz"


def _registration(
    meeting: Meeting, category: RegistrationCategory, person: Person, key: str, mode: str
) -> Registration:
    reg, _ = Registration.objects.update_or_create(
        meeting=meeting,
        email=person.email,
        defaults={
            "public_id": uuid.uuid5(NS, key),
            "category": category,
            "user": person.user,
            "person": person,
            "name": person.name,
            "organisation_name": person.organisation.name if person.organisation else "",
            "job_title": person.title,
            "country": (person.organisation.country if person.organisation else "ID"),
            "language": person.preferred_language
            if person.preferred_language in ("en", "id", "ja")
            else "en",
            "timezone": person.timezone,
            "mode": mode,
            "status": "approved",
            "consent_list": True,
        },
    )
    return reg


def load_demo_embeddings() -> int:
    """Put the shipped, pre-computed demo vectors into the database cache (skips those present)."""
    path = resources.files("ascnhub.matchmaking").joinpath("data", EMBEDDINGS_FILE)
    if not path.is_file():
        return 0
    with path.open("rb") as fh:
        data = np.load(fh, allow_pickle=False)
        keys, vectors, model = list(data["keys"]), data["vectors"], str(data["model"])
    store = DatabaseEmbeddingStore(model)
    present = store.get_many(keys)
    store.put_many({k: vectors[i] for i, k in enumerate(keys) if k not in present})
    return len(keys)


def load(say: Callable[[str], None] = print) -> dict[str, int]:
    meeting = Meeting.objects.filter(slug=SLUG).first()
    if meeting is None:
        return {}
    rng = random.Random(19)
    setup = setup_services.setup_for(meeting)
    Setup.objects.filter(pk=setup.pk).update(
        published_run=None,
        max_open_requests=10,
        max_meetings=6,
        solver_time_limit=SOLVER_SECONDS,
        auto_accept=False,
        is_open=True,
        request_deadline=None,
    )
    setup.refresh_from_db()
    # Rebuilt from scratch each time (runs first: their meetings hold on to slots and requests).
    setup.runs.all().delete()
    setup.profiles.all().delete()
    setup_services.slots_from_agenda(None, setup)
    setup_services.set_locations(None, setup, tables=40, video_rooms=25)
    categories = {c.code: c for c in meeting.categories.all()}

    profiles: list[Profile] = []
    # Every city's current officer, with the city's open needs.
    officers = (
        Role.objects.current()
        .filter(kind=Role.Kind.CSCO)
        .select_related("person__organisation", "city__country")
    )
    needs_by_city: dict[int, list[Need]] = {}
    needs = Need.objects.filter(is_open=True, published=True).select_related("city__country")
    for need in needs.prefetch_related("focus_areas"):
        needs_by_city.setdefault(need.city_id, []).append(need)
    for i, role in enumerate(officers):
        person, city = role.person, role.city
        mode = Mode.ONLINE if i % 3 == 0 else Mode.IN_PERSON
        reg = _registration(meeting, categories["city"], person, f"csco-{city.slug}", mode)
        needs = needs_by_city.get(city.pk, [])
        profile = Profile.objects.create(
            setup=setup,
            owner=reg,
            name=f"{city.name} city delegation",
            kind="city",
            city=city,
            organisation=person.organisation,
            country=city.country.code,
            mode=mode,
            timezone=city.timezone,
            language=needs[0].language if needs else "en",
            looking_for=" ".join(n.title for n in needs)
            or f"Partners for {city.name}'s smart-city action plan",
            focus_areas=sorted({f.code for n in needs for f in n.focus_areas.all()}),
        )
        profile.needs.set(needs)
        profiles.append(profile)

    # Every demo company with offers, represented by its staff member or an invented registrant.
    offers_by_org: dict[int, list[Offer]] = {}
    offers = Offer.objects.filter(published=True).select_related("organisation")
    for offer in offers.prefetch_related("focus_areas"):
        offers_by_org.setdefault(offer.organisation_id, []).append(offer)
    private = list(
        Registration.objects.filter(
            meeting=meeting, category__code="private", status="approved", user__isnull=True
        ).order_by("pk")
    )
    companies = Organisation.objects.filter(pk__in=list(offers_by_org)).order_by("name")
    for org in companies:
        staff = Person.objects.filter(organisation=org, user__isnull=False).first()
        if staff:
            reg = _registration(meeting, categories["private"], staff, f"staff-{org.slug}", Mode.IN_PERSON)
        else:
            reg = private.pop()
            Registration.objects.filter(pk=reg.pk).update(organisation_name=org.name, country=org.country)
        offers = offers_by_org[org.pk]
        profile = Profile.objects.create(
            setup=setup,
            owner=reg,
            name=org.name,
            kind="company",
            organisation=org,
            country=org.country,
            mode=reg.mode,
            timezone=reg.timezone,
            language=offers[0].language,
            offering=" ".join(o.title for o in offers),
            focus_areas=sorted({f.code for o in offers for f in o.focus_areas.all()}),
        )
        profile.offers.set(offers)
        profiles.append(profile)

    # Invented registrants fill the room to real scale, each with a real demo need or offer as its interest.
    city_regs = list(
        Registration.objects.filter(
            meeting=meeting, category__code__in=["city", "government"], status="approved", user__isnull=True
        ).order_by("pk")
    )
    all_needs = [n for ns in needs_by_city.values() for n in ns]
    all_offers = [o for os_ in offers_by_org.values() for o in os_]
    for reg in city_regs[:EXTRA_CITY_PROFILES]:
        need = rng.choice(all_needs)
        # An invented official of the city whose real demo need this delegation brings.
        p = Profile.objects.create(
            setup=setup,
            owner=reg,
            name=f"{need.city.name} — {reg.name}",
            kind="government" if reg.category.code == "government" else "city",
            city=need.city,
            country=need.city.country.code,
            mode=reg.mode,
            timezone=reg.timezone,
            language=need.language,
            looking_for=need.title,
            focus_areas=[f.code for f in need.focus_areas.all()],
        )
        p.needs.set([need])
        profiles.append(p)
    for reg in private[:EXTRA_COMPANY_PROFILES]:
        offer = rng.choice(all_offers)
        # Another member of the staff of the company whose real demo offer this profile presents.
        p = Profile.objects.create(
            setup=setup,
            owner=reg,
            name=f"{offer.organisation.name} — {reg.name}",
            kind="company",
            organisation=offer.organisation,
            country=offer.organisation.country,
            mode=reg.mode,
            timezone=reg.timezone,
            language=offer.language,
            offering=offer.title,
            focus_areas=[f.code for f in offer.focus_areas.all()],
        )
        p.offers.set([offer])
        profiles.append(p)

    load_demo_embeddings()
    n_suggestions = suggestions.refresh(setup, embedder=database_embedder())

    # Requests follow the suggestions: each city side asks two to four of its top partners as its
    # page lists them, one per company (or city), best first. Which member of that company's
    # delegation it asks rotates, so no single profile gets every request for its company.
    groups: dict[int, dict[tuple[str, int], list[int]]] = {}
    rows = (
        Suggestion.objects.filter(profile__setup=setup, profile__kind__in=suggestions.SEEKERS)
        .select_related("other")
        .order_by("profile_id", "rank")
    )
    for row in rows:
        groups.setdefault(row.profile_id, {}).setdefault(suggestions.group_key(row.other), []).append(
            row.other_id
        )
    by_profile = {
        pid: [members[pid % len(members)] for members in by_group.values()]
        for pid, by_group in groups.items()
    }
    pairs: set[tuple[int, int]] = set()
    requests = []
    for pid, others in sorted(by_profile.items()):
        for other in others[: rng.randint(2, 4)]:
            key = tuple(sorted((pid, other)))
            if key in pairs:
                continue
            pairs.add(key)
            r = rng.random()
            status = "accepted" if r < 0.82 else "pending" if r < 0.92 else "declined"
            requests.append(
                MeetingRequest(
                    setup=setup,
                    requester_id=pid,
                    recipient_id=other,
                    status=status,
                    priority="must" if rng.random() < 0.2 else "would_like",
                    message="We would like to learn how your solution could work in our city.",
                )
            )
    for req in requests:
        req.pair_low, req.pair_high = sorted((req.requester_id, req.recipient_id))
    MeetingRequest.objects.bulk_create(requests)
    # A meeting the organiser set between two government delegations' cities.
    first, second = [p for p in profiles if p.kind == "city"][:2]
    if (
        not MeetingRequest.objects.filter(
            setup=setup, pair_low=min(first.pk, second.pk), pair_high=max(first.pk, second.pk)
        )
        .filter(Q(status="pending") | Q(status="accepted"))
        .exists()
    ):
        MeetingRequest.objects.create(
            setup=setup,
            requester=first,
            recipient=second,
            status="accepted",
            locked=True,
            priority="must",
            message="Peer exchange on smart-city action plans.",
        )

    run = scheduling.start_run(None, setup, enqueue=False)
    run = scheduling.execute_run(run.pk, report_progress=False)
    published = scheduling.publish_run(None, run, notify=False) if run.status == "done" else {"meetings": 0}
    counts = {
        "profiles": len(profiles),
        "suggestions": n_suggestions,
        "requests": len(requests) + 1,
        "scheduled meetings": published["meetings"],
    }
    say(
        "matchmaking: "
        + ", ".join(f"{v} {k}" for k, v in counts.items())
        + f" (run {run.number}: {run.status})"
    )
    return counts


def export_demo_embeddings() -> int:
    """Write every cached vector to data/demo_embeddings.npz (run after changing the demo texts)."""
    from ascnhub.common.models import TextEmbedding

    rows = list(TextEmbedding.objects.order_by("key").values_list("key", "vector", "model"))
    if not rows:
        return 0
    keys = np.array([r[0] for r in rows])
    vectors = np.stack([np.frombuffer(bytes(r[1]), dtype=np.float32) for r in rows])
    target = resources.files("ascnhub.matchmaking").joinpath("data", EMBEDDINGS_FILE)
    with open(str(target), "wb") as fh:
        np.savez_compressed(fh, keys=keys, vectors=vectors, model=np.array(rows[0][2]))
    return len(rows)
