"""Suggestions from the real matching engine, and the matchmaking pages at scale (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ascnhub.matchmaking import scheduling, services, suggestions
from ascnhub.matchmaking.models import ScheduledMeeting, ScheduleRun, Suggestion
from ascnhub.matchmaking.templatetags.matchmaking_tags import reasons_text
from tests.factories import PersonFactory
from tests.matchmaking.factories import profile_for

pytestmark = pytest.mark.django_db


def test_cities_see_the_right_company_first_with_true_reasons(mm):
    insurer = profile_for(
        mm.setup,
        PersonFactory(),
        kind="company",
        country="JP",
        offering="Parametric flood insurance and claims analytics for property owners",
    )
    mm.company.focus_areas = ["safety_security"]
    mm.company.save()
    mm.danang.focus_areas = ["safety_security"]
    mm.danang.save()
    stored = suggestions.refresh(mm.setup)
    assert stored > 0
    # Da Nang's need is written in Vietnamese; the sensor company (English) comes before the insurer.
    ranked = list(
        Suggestion.objects.filter(profile=mm.danang).order_by("rank").values_list("other", flat=True)
    )
    assert ranked.index(mm.company.pk) < ranked.index(insurer.pk)
    top = Suggestion.objects.get(profile=mm.danang, other=mm.company)
    with translation.override("en"):
        english = reasons_text(top.reasons)
    assert any("safety & security" in r for r in english)
    # Stored structured, the same reasons read in Japanese for a Japanese viewer.
    with translation.override("ja"):
        japanese = reasons_text(top.reasons)
    assert len(japanese) == len(english) and japanese != english
    assert all(any("\u3040" <= ch <= "\u9fff" for ch in r) for r in japanese)
    # Cities are never suggested to cities here, and no one is suggested to themselves.
    assert not Suggestion.objects.filter(profile=mm.danang, other__kind="city").exists()
    assert not Suggestion.objects.filter(profile=mm.danang, other=mm.danang).exists()
    # Companies get cities.
    assert Suggestion.objects.filter(profile=mm.company, other=mm.danang).exists()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(mm, n: int) -> None:
    for i in range(n):
        other = profile_for(mm.setup, PersonFactory(), kind="company", country="JP", offering=f"Offer {i}")
        Suggestion.objects.create(
            profile=mm.makassar,
            other=other,
            rank=i + 2,
            score=0.5,
            reasons=["shared focus area: safety & security"],
        )
        services.answer_request(None, services.send_request(None, other, mm.makassar), accept=True)


@pytest.mark.parametrize("page", ["", "requests/", "agenda/"])
def test_participant_pages_do_not_grow_queries_with_data(mm, client_for, page, settings):
    mm.setup.max_open_requests = 50
    # Makassar accepts 8 requests (acceptance beyond the meeting limit is refused); with 3 slots the
    # schedule holds at most 3 of them, so the page also lists accepted requests without a slot.
    mm.setup.max_meetings = 8
    mm.setup.save()
    client = client_for(mm.makassar.owner.user)
    url = f"/meetings/{mm.meeting.slug}/matchmaking/{page}"
    _grow(mm, 2)
    scheduling.publish_run(
        None, scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    )
    few = _queries(client, url)
    _grow(mm, 6)  # late requests after publishing queue a re-scheduling run; the worker would run it
    queued = ScheduleRun.objects.get(status="queued", is_reschedule=True)
    assert scheduling.execute_run(queued.pk).status == "published"
    assert ScheduledMeeting.objects.filter(run=queued).count() > 2
    assert _queries(client, url) == few


def test_organiser_run_page_shows_progress_and_review(mm, network, client_for):
    services.answer_request(None, services.send_request(None, mm.makassar, mm.company), accept=True)
    run = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    client = client_for(network.secretariat)
    html = client.get(f"/meetings/{mm.meeting.slug}/matchmaking/organise/runs/{run.number}/").content.decode()
    assert "draft ready" in html and "Publish this schedule" in html and "Load per participant" in html
    partial = client.get(
        f"/meetings/{mm.meeting.slug}/matchmaking/organise/runs/{run.number}/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert partial.startswith('<div id="run-progress"') and "<html" not in partial
    instance = client.get(f"/meetings/{mm.meeting.slug}/matchmaking/organise/runs/{run.number}/instance.json")
    assert instance.json()["format"] == "ascnhub-schedule/1"
    # Participants may not download instances (they name every participant's availability).
    assert (
        client_for(mm.makassar.owner.user)
        .get(f"/meetings/{mm.meeting.slug}/matchmaking/organise/runs/{run.number}/instance.json")
        .status_code
        == 403
    )


def test_the_country_filter_offers_names_and_an_empty_result_says_so(mm, client_for):
    japanese = profile_for(mm.setup, PersonFactory(), kind="company", country="JP", offering="Flood sensors")
    Suggestion.objects.create(profile=mm.makassar, other=japanese, rank=1, score=0.5, reasons=["x"])
    client = client_for(mm.makassar.owner.user)
    url = f"/meetings/{mm.meeting.slug}/matchmaking/"
    html = client.get(url).content.decode()
    assert '<option value="JP">Japan</option>' in html and 'maxlength="2"' not in html
    assert '<span class="muted">Japan · ' in html  # the suggestion names the country too
    html = client.get(url + "?country=ID").content.decode()
    assert "No suggested partner matches these filters." in html
    assert "they appear a moment after profiles are saved" not in html


def test_a_running_run_never_shows_a_bound_below_its_held_weight(mm, network, client_for):
    """Issue 19 item 13: the page once read "held weight 2.0, bound 0.0" while the solver ran."""
    from ascnhub.engine.scheduling.model import Progress

    services.answer_request(None, services.send_request(None, mm.makassar, mm.company), accept=True)
    run = scheduling.start_run(None, mm.setup, enqueue=False)
    ScheduleRun.objects.filter(pk=run.pk).update(status=ScheduleRun.Status.RUNNING)
    client = client_for(network.secretariat)
    url = f"/meetings/{mm.meeting.slug}/matchmaking/organise/runs/{run.number}/"

    def shown() -> tuple[str, str]:
        html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        best = html.split('data-testid="run-best">')[1].split("<")[0]
        bound = html.split('data-testid="run-bound">')[1].split("<")[0]
        return best, bound

    writer = scheduling._ProgressWriter(run)
    # CP-SAT's first solution, before it has proven any bound: it reports 0.
    writer(Progress("weight", 2.0, 0.0, 0.4))
    assert shown() == ("2.0", "not known yet")
    writer.last = 0.0  # the writer writes at most once a second
    writer(Progress("weight", 2.0, 3.0, 1.6))
    assert shown() == ("2.0", "3.0")
    # The breaks phase counts breaks (2 breaks, bound 0): it must not pass for a held weight.
    writer.last = 0.0
    writer(Progress("breaks", 2.0, 0.0, 2.8))
    assert shown() == ("2.0", "3.0")
    run.refresh_from_db()
    assert run.elapsed == 2.8
