"""Factories for outcomes: a meeting's outcome document, recommendations, commitments."""

from __future__ import annotations

import datetime

import factory

from ascnhub.followup.models import Commitment, OutcomeDocument, Recommendation


def make_meeting(slug: str = "hlm-test", year: int = 2021, title: str | None = None):
    from ascnhub.events.models import Meeting

    return Meeting.objects.create(
        slug=slug,
        title=title or f"Test HLM {year}",
        start_date=datetime.date(year, 10, 18),
        end_date=datetime.date(year, 10, 19),
    )


class OutcomeDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeDocument

    meeting = factory.Sequence(lambda n: make_meeting(f"hlm-test-{n}", 2021))
    title = factory.LazyAttribute(lambda o: f"Outcome of {o.meeting.title}")
    adopted_on = factory.LazyAttribute(lambda o: o.meeting.end_date)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    document = factory.SubFactory(OutcomeDocumentFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Recommendation {n}")
    text = "Continue cooperation towards smart cities in every member state."


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    recommendation = factory.SubFactory(RecommendationFactory)
    party_kind = "member_state"
    description = factory.Sequence(lambda n: f"Commitment number {n}")
    due_date = datetime.date(2030, 12, 31)
