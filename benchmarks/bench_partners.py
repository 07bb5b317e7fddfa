"""Finding partners on the demo meeting: the directory at 1,200 participants and the suggestions.

On a fresh SQLite database holding the demo network (`ascnhub demo load`), prints ONE JSON object:

* suggestions: the time of a full refresh (item by item, folded), beside the baseline measured in
  the same run (the previous whole-profile ranking, top 10, engine only); for the demo company (Aoba
  Smart Infrastructure): how many of its first page come from its most frequent city or
  organisation, and where Makassar's flood need ranks, both ways;
* the directory: queries and milliseconds for its first and a later page, at the demo's size and
  after growing the meeting to 1,200 profiles (copies of the demo's).

    python benchmarks/bench_partners.py
"""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
import uuid
from collections import Counter


def main() -> int:
    data_dir = tempfile.mkdtemp(prefix="ascnhub-bench-partners-")
    os.environ.update(
        ASCNHUB_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="ascnhub.settings",
        ASCNHUB_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ASCNHUB_DEMO_PASSWORD="bench-partners-1",
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ascnhub.common.embeddings import database_embedder
    from ascnhub.common.models import User
    from ascnhub.engine.matching import Need, Offer, rank_needs_for_offers, rank_offers
    from ascnhub.events.models import Registration
    from ascnhub.matchmaking import suggestions
    from ascnhub.matchmaking.models import Profile, Setup, Suggestion

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("demo", "load", stdout=quiet)
    setup = Setup.objects.get(meeting__slug="asean-japan-hlm-2021")
    aoba = Profile.objects.get(setup=setup, name="Aoba Smart Infrastructure K.K.")
    makassar = Profile.objects.get(setup=setup, name="Makassar city delegation")
    embedder = database_embedder()

    # Baseline: the previous refresh, one engine need or offer per profile, its top 10 (engine only).
    profiles = list(
        suggestions.eligible_profiles(setup)
        .select_related("city", "organisation")
        .prefetch_related("needs__focus_areas", "offers__focus_areas")
    )
    seekers = [p for p in profiles if p.kind in suggestions.SEEKERS]
    providers = [p for p in profiles if p.kind not in suggestions.SEEKERS]

    def whole_need(p):
        linked = " ".join(f"{n.title}. {n.description}" for n in p.needs.all())
        return Need(
            id=str(p.pk),
            city=p.city.name if p.city else p.name,
            country=p.country,
            language=p.language,
            title=p.looking_for[:200] or p.name,
            description=" ".join(filter(None, [p.looking_for, linked])) or p.name,
            focus_areas=tuple(sorted(set(p.focus_areas))),
            organisation=p.organisation.name if p.organisation else None,
        )

    def whole_offer(p):
        linked = " ".join(f"{o.title}. {o.description}" for o in p.offers.all())
        return Offer(
            id=str(p.pk),
            organisation=p.organisation.name if p.organisation else p.name,
            country=p.country,
            language=p.language,
            title=p.offering[:200] or p.name,
            description=" ".join(filter(None, [p.offering, linked])) or p.name,
            focus_areas=tuple(sorted(set(p.focus_areas))),
        )

    needs, offers = [whole_need(p) for p in seekers], [whole_offer(p) for p in providers]
    embedder.embed_queries([n.text for n in needs])  # warm the cache: both sides time ranking, not embedding
    t = time.monotonic()
    rank_offers(needs, offers, embedder=embedder, top_k=10)
    by_offer = rank_needs_for_offers(offers, needs, embedder=embedder, top_k=10)
    baseline_s = time.monotonic() - t
    by_id = {str(p.pk): p for p in profiles}
    aoba_before = [by_id[s.id] for r in by_offer if r.subject == str(aoba.pk) for s in r.suggestions]

    suggestions.refresh(setup, embedder=embedder)  # warm (embeds the item texts once)
    t = time.monotonic()
    stored = suggestions.refresh(setup, embedder=embedder)
    refresh_s = time.monotonic() - t
    aoba_rows = list(Suggestion.objects.filter(profile=aoba).select_related("other").order_by("rank"))
    listed = suggestions.fold(aoba_rows)

    def makassar_rank(rows):
        return next((i + 1 for i, p in enumerate(rows) if p.pk == makassar.pk), None)

    report = {
        "bench": "partners",
        "suggestions": {
            "profiles": len(profiles),
            "rows_stored": stored,
            "refresh_s": round(refresh_s, 2),
            "baseline_whole_profile_top10_engine_s": round(baseline_s, 2),
            "aoba_first_page_max_from_one_group": {
                "baseline": max(Counter(suggestions.group_key(p) for p in aoba_before).values()),
                "now": max(Counter(suggestions.group_key(s.other) for s in listed).values()),
            },
            "aoba_first_page_entries": {"baseline": len(aoba_before), "now": len(listed)},
            "makassar_city_delegation_position_for_aoba": {
                "baseline": makassar_rank(aoba_before),
                "now": makassar_rank([s.other for s in listed]),
            },
        },
        "directory": {},
        "environment": {
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
        },
    }

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(email="takahashi.ryo@demo.ascnhub.example"))
    url = "/meetings/asean-japan-hlm-2021/matchmaking/participants/"

    def measure(label: str) -> None:
        out = {"profiles": Profile.objects.filter(setup=setup).count()}
        client.get(url)  # warm
        for name, query in [
            ("first_page", ""),
            ("page_3_of_flood", "?q=flood&page=3"),
            ("filtered", "?kind=city&focus=safety_security"),
        ]:
            with CaptureQueriesContext(connection) as ctx:
                t = time.monotonic()
                response = client.get(url + query)
                ms = (time.monotonic() - t) * 1000
            assert response.status_code == 200
            out[name] = {"queries": len(ctx.captured_queries), "ms": round(ms, 1)}
        report["directory"][label] = out

    measure("demo")
    # Grow to 1,200 profiles: copies of the demo's, each with its own approved registration.
    template = list(Profile.objects.filter(setup=setup).select_related("owner"))
    i = 0
    while Profile.objects.filter(setup=setup).count() < 1200:
        src = template[i % len(template)]
        reg = Registration.objects.get(pk=src.owner_id)
        reg.pk, reg.id, reg.user = None, None, None
        reg.public_id = uuid.uuid4()
        reg.badge_code = reg.submission_key = None
        reg.email = f"copy{i}@bench.example"
        reg.save()
        copy = Profile.objects.get(pk=src.pk)
        copy.pk = copy.id = None
        copy.public_id = uuid.uuid4()
        copy.owner = reg
        copy.name = f"{src.name} ({i})"
        copy.save()
        i += 1
    measure("1200")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
