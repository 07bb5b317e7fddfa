"""What business matchmaking led to, in public aggregate figures (no names)."""

from __future__ import annotations

from .models import Lead, Profile, ScheduledMeeting, Setup


def matchmaking_outcomes(setup: Setup | None = None) -> dict[str, int]:
    """Participants, meetings scheduled and held, follow-ups asked for, partnerships that came of them.

    For one meeting's matchmaking, or (`setup=None`) across every meeting with a published schedule.
    """
    setups = Setup.objects.all() if setup is None else Setup.objects.filter(pk=setup.pk)
    runs = list(setups.exclude(published_run=None).values_list("published_run", flat=True))
    meetings = ScheduledMeeting.objects.filter(run_id__in=runs)
    leads = Lead.objects.filter(meeting__run_id__in=runs)
    return {
        "participants": Profile.objects.filter(setup__in=setups).count(),
        "scheduled": meetings.exclude(status=ScheduledMeeting.Status.CANCELLED).count(),
        "held": meetings.filter(status=ScheduledMeeting.Status.HELD).count(),
        "follow_ups": leads.count(),
        "partnerships": leads.filter(status=Lead.Status.PARTNERSHIP).count(),
    }
