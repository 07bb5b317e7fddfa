"""The permission matrix: every role × every kind of private object × read and write, through the
pages and through the API (issue 9).

Each row names a private object, the action (the URL and method) and the roles allowed. Every role
is tried on every row: the allowed ones must succeed (a write must change the database), every other
one must be refused — 403, 404, 401, a redirect to sign in, or (for a write) a form error or a no-op
redirect — and a refused write must leave the database exactly as it was. Content rows check a page
that everyone may open for a piece of private text that only the allowed roles may see.

The matrix is printed at the end of the run (`-v` for every cell). Two more tests keep the matrix
complete: every page of the platform and every API operation is either in the matrix or named here
as public with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from tests.security.conftest import MATRIX, ROLES

pytestmark = pytest.mark.django_db

NOBODY: frozenset[str] = frozenset()
SEC = frozenset({"secretariat"})
CITY_EDIT = frozenset({"csco", "secretariat"})  # the owning city's officer and the secretariat
CITY_VIEW = CITY_EDIT | {"nr"}  # ... and the National Representative of its country
CONTRIBUTORS = frozenset({"csco", "other_csco", "nr", "other_nr", "secretariat"})  # NRs and CSCOs
ORGANISERS = frozenset({"organiser", "secretariat"})
DESK = ORGANISERS | {"checkin"}
COMPANY = frozenset({"company", "secretariat"})
MATCHMAKERS = frozenset({"participant", "company", "csco"})  # those with a matchmaking profile

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


@dataclass(frozen=True)
class Row:
    obj: str
    action: str
    url: Callable[[Any], str]
    allowed: frozenset[str]
    method: str = "GET"
    data: Callable[[Any], dict] | None = None
    # Fill the form as the secretariat sees it on this page, then apply `data` on top.
    form_from: Callable[[Any], str] | None = None
    # Content row: the page may open for all; these texts must show to the allowed roles only.
    markers: Callable[[Any], tuple[str, ...]] | None = None
    # A GET that records something (an online visit) is checked like a write.
    writes: bool = False
    # A redirect to this address (of the page) is success for a read (e.g. the online room).
    success_location: str = ""
    optional: bool = False  # a page being built: skipped while its address does not exist
    id: str = field(default="", compare=False)

    @property
    def is_write(self) -> bool:
        return self.method == "POST" or self.writes


def read(obj, url, allowed, **kw) -> Row:
    return Row(obj, "read", url, frozenset(allowed), **kw)


def write(obj, url, allowed, data=None, **kw) -> Row:
    return Row(obj, "write", url, frozenset(allowed), method="POST", data=data, **kw)


def shows(obj, url, markers, allowed, **kw) -> Row:
    return Row(obj, "read (content)", url, frozenset(allowed), markers=markers, **kw)


def _signed_scan(w) -> str:
    """A check-in app queue holding one scan of the in-person CSCO's badge, signed as a device would."""
    import json
    import uuid

    from ascnhub.events import scans, services

    entry = {
        "id": str(uuid.uuid4()),
        "device": "matrix-phone",
        "token": services.badge_token(w.csco_reg),
        "code": "",
        "at": "2021-10-18T09:12:00+09:00",
        "entrance": "North entrance",
        "session": "",
    }
    entry["mac"] = scans.sign_entry(w.meeting, entry)
    return json.dumps([entry])


def _badge_batch(w):
    from ascnhub.events import printing

    batch = w.meeting.badge_batches.first()
    return batch or printing.make_batch(None, w.meeting, [w.csco_reg], "matrix batch")


def _pdf(name="file.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% matrix\n", content_type="application/pdf")


def _projects_csv(city_slug: str) -> SimpleUploadedFile:
    header = "city,title,language,description,focus_areas,status,start_date,end_date,budget_amount,"
    header += "budget_currency,published\n"
    row = f"{city_slug},Imported by matrix,en,Imported.,safety_security,preparation,2025-01-01,2026-12-31,"
    row += "1000,USD,no\n"
    return SimpleUploadedFile("projects.csv", (header + row).encode(), content_type="text/csv")


M = "/meetings/hlm-test"  # the test meeting (tests/events/factories.make_meeting)
MM = f"{M}/matchmaking"


def _reg(w, reg) -> str:
    return f"{M}/registration/{reg.public_id}/"


UI_ROWS: list[Row] = [
    # --- projects: an unpublished project and everything under it ----------------------------------
    read("unpublished project", lambda w: "/projects/mks-draft/", CITY_VIEW),
    read("unpublished project: edit form", lambda w: "/projects/mks-draft/edit/", CITY_EDIT),
    write(
        "unpublished project",
        lambda w: "/projects/mks-draft/edit/",
        CITY_EDIT,
        lambda w: {"title": "Changed by the matrix"},
        form_from=lambda w: "/projects/mks-draft/edit/",
    ),
    write(
        "unpublished project: add a party",
        lambda w: "/projects/mks-draft/parties/",
        CITY_EDIT,
        lambda w: {"party-organisation": w.net.company_person.organisation.pk, "party-role": "implementer"},
    ),
    write(
        "unpublished project: remove a party",
        lambda w: f"/projects/mks-draft/parties/{w.party.pk}/remove/",
        CITY_EDIT,
    ),
    write(
        "unpublished project: add a document",
        lambda w: "/projects/mks-draft/documents/",
        CITY_EDIT,
        lambda w: {"doc-title": "Plan", "doc-kind": "other", "doc-language": "en", "doc-file": _pdf()},
    ),
    write(
        "unpublished project: remove a document",
        lambda w: f"/projects/mks-draft/documents/{w.document.public_id}/remove/",
        CITY_EDIT,
    ),
    read(
        "unpublished project: a document's file",
        lambda w: f"/projects/files/{w.document_file.public_id}/",
        CITY_VIEW,
    ),
    read(
        "draft progress report: an attachment",
        lambda w: f"/reports/files/{w.report_file.public_id}/",
        CITY_VIEW,
    ),
    read("progress report: new-report form", lambda w: "/projects/mks-public/reports/new/", CITY_EDIT),
    write(
        "progress report: file a new one",
        lambda w: "/projects/mks-public/reports/new/",
        CITY_EDIT,
        lambda w: {
            "period_start": "2025-07-01",
            "period_end": "2025-12-31",
            "narrative": "New.",
            **{f"{k}_{m}": "40" for k in ("physical", "financial") for m in ("planned", "actual")},
        },
        form_from=lambda w: "/projects/mks-public/reports/new/",
    ),
    read("draft progress report", lambda w: f"/reports/{w.draft_report.public_id}/", CITY_VIEW),
    read("submitted progress report", lambda w: f"/reports/{w.submitted_report.public_id}/", CITY_VIEW),
    read(
        "draft progress report: edit form", lambda w: f"/reports/{w.draft_report.public_id}/edit/", CITY_EDIT
    ),
    write(
        "draft progress report",
        lambda w: f"/reports/{w.draft_report.public_id}/edit/",
        CITY_EDIT,
        lambda w: {"narrative": "Changed by the matrix"},
        form_from=lambda w: f"/reports/{w.draft_report.public_id}/edit/",
    ),
    write(
        "draft progress report: submit", lambda w: f"/reports/{w.draft_report.public_id}/submit/", CITY_EDIT
    ),
    write(
        "submitted progress report: approve",
        lambda w: f"/reports/{w.submitted_report.public_id}/review/",
        {"nr", "secretariat"},
        lambda w: {"decision": "approve", "comment": ""},
    ),
    read("review queue", lambda w: "/reviews/", CONTRIBUTORS),
    shows(
        "review queue: a submitted report",
        lambda w: "/reviews/",
        lambda w: (str(w.submitted_report.public_id),),
        CITY_VIEW,
    ),
    write(
        "project import for the city",
        lambda w: "/projects/import/",
        CITY_EDIT,
        lambda w: {"file": _projects_csv("makassar")},
    ),
    write(
        "new project for the city",
        lambda w: "/projects/new/",
        CITY_EDIT,
        lambda w: {"title": "New by the matrix", "slug": "", "published": ""},
        form_from=lambda w: "/projects/mks-draft/edit/",
    ),
    read("need of an unpublished project", lambda w: f"/needs/{w.secret_need.public_id}/", CITY_VIEW),
    read("unpublished closed need", lambda w: f"/needs/{w.hidden_need.public_id}/", CITY_VIEW),
    read("unpublished need: edit form", lambda w: f"/needs/{w.hidden_need.public_id}/edit/", CITY_EDIT),
    write(
        "unpublished need",
        lambda w: f"/needs/{w.hidden_need.public_id}/edit/",
        CITY_EDIT,
        lambda w: {"title": "Changed by the matrix"},
        form_from=lambda w: f"/needs/{w.hidden_need.public_id}/edit/",
    ),
    write(
        "new need for the city",
        lambda w: "/needs/new/",
        CITY_EDIT,
        lambda w: {"title": "New need by the matrix"},
        form_from=lambda w: f"/needs/{w.hidden_need.public_id}/edit/",
    ),
    read(
        "unpublished partnership: edit form",
        lambda w: f"/partnerships/{w.draft_partnership.public_id}/edit/",
        CITY_EDIT,
    ),
    write(
        "unpublished partnership",
        lambda w: f"/partnerships/{w.draft_partnership.public_id}/edit/",
        CITY_EDIT,
        lambda w: {"title": "Changed by the matrix"},
        form_from=lambda w: f"/partnerships/{w.draft_partnership.public_id}/edit/",
    ),
    write(
        "new partnership for the city",
        lambda w: "/partnerships/new/",
        CITY_EDIT,
        lambda w: {"title": "New partnership by the matrix"},
        form_from=lambda w: f"/partnerships/{w.draft_partnership.public_id}/edit/",
    ),
    read("unpublished offer", lambda w: "/offers/unreleased/", COMPANY),
    read("unpublished offer: edit form", lambda w: "/offers/unreleased/edit/", COMPANY),
    write(
        "unpublished offer",
        lambda w: "/offers/unreleased/edit/",
        COMPANY,
        lambda w: {"title": "Changed by the matrix"},
        form_from=lambda w: "/offers/unreleased/edit/",
    ),
    write(
        "new offer for the company",
        lambda w: "/offers/new/",
        COMPANY,
        lambda w: {"title": "New offer by the matrix", "slug": "new-offer-by-the-matrix"},
        form_from=lambda w: "/offers/unreleased/edit/",
    ),
    shows(
        "company page: unpublished offer",
        lambda w: f"/companies/{w.net.company_person.organisation.slug}/",
        lambda w: ("Unreleased sensor offer",),
        COMPANY,
    ),
    shows(
        "public project page: draft report and hidden need",
        lambda w: "/projects/mks-public/",
        lambda w: ("Draft narrative words", "Unpublished closed need"),
        CITY_VIEW,
    ),
    # Lists, search and open data hold public things only, for everybody.
    *[
        shows(
            f"{where}: unpublished things",
            (lambda u: lambda w: u)(url),
            lambda w: (
                "Unpublished Pump Project",
                "Need of the draft project",
                "Unpublished closed need",
                "Unreleased sensor offer",
                "Unannounced partnership",
                "Draft narrative words",
                "mks-draft",
            ),
            NOBODY,
        )
        for where, url in [
            ("project list", "/projects/"),
            ("need list", "/needs/?open=all"),
            ("offer list", "/offers/"),
            ("partnership list", "/partnerships/"),
            ("search", "/search/?q=Unpublished+draft+Unreleased+Unannounced+Need"),
            ("dashboard", "/dashboard/"),
            ("OC4IDS download", "/open-data/projects.oc4ids.json"),
            ("projects download", "/open-data/projects.json"),
            ("needs download", "/open-data/needs.csv?open=all"),
            ("offers download", "/open-data/offers.json"),
            ("partnerships download", "/open-data/partnerships.json"),
            ("city page", "/cities/makassar/"),
            ("member state page", "/member-states/ID/"),
        ]
    ],
    # --- registry: people's contact details and the city record ------------------------------------
    shows(
        "person: e-mail and time zone",
        lambda w: w.net.makassar_officer.get_absolute_url(),
        lambda w: (w.net.makassar_officer.email,),
        {"csco", "nr", "secretariat"},
    ),
    read("person: edit form", lambda w: f"/people/{w.net.makassar_officer.public_id}/edit/", CITY_VIEW),
    write(
        "person",
        lambda w: f"/people/{w.net.makassar_officer.public_id}/edit/",
        CITY_VIEW,
        lambda w: {"title": "Changed by the matrix"},
        form_from=lambda w: f"/people/{w.net.makassar_officer.public_id}/edit/",
    ),
    read("city record: edit form", lambda w: "/cities/makassar/edit/", CITY_VIEW),
    write(
        "city record",
        lambda w: "/cities/makassar/edit/",
        CITY_VIEW,
        lambda w: {"description": "Changed by the matrix"},
        form_from=lambda w: "/cities/makassar/edit/",
    ),
    # --- meetings: a draft meeting, registrations, lists, exports, badges, check-in -----------------
    read("draft meeting", lambda w: "/meetings/draft-meeting/", ORGANISERS),
    read("draft meeting: agenda", lambda w: "/meetings/draft-meeting/agenda/", ORGANISERS),
    read("draft meeting: participants", lambda w: "/meetings/draft-meeting/participants/", ORGANISERS),
    read("draft meeting: matchmaking", lambda w: "/meetings/draft-meeting/matchmaking/", ORGANISERS),
    shows(
        "meeting list: draft meeting", lambda w: "/meetings/", lambda w: ("Unannounced Draft Summit",), SEC
    ),
    read("registration (own, city delegation)", lambda w: _reg(w, w.csco_reg), {"csco", *ORGANISERS}),
    read("registration awaiting the NR", lambda w: _reg(w, w.pending_reg), {"nr", *ORGANISERS}),
    read(
        "registration: wrong secret link",
        lambda w: _reg(w, w.pending_reg) + "?key=not-the-secret",
        {"nr", *ORGANISERS},
    ),
    read("registration: calendar", lambda w: _reg(w, w.csco_reg) + "calendar.ics", {"csco", *ORGANISERS}),
    read("registration: badge", lambda w: _reg(w, w.csco_reg) + "badge.pdf", {"csco", *ORGANISERS}),
    write(
        "registration: forum sign-up",
        lambda w: _reg(w, w.csco_reg) + f"sessions/{w.hlm.forum2.public_id}/",
        {"csco", *ORGANISERS},
        lambda w: {"action": "signup"},
    ),
    write("registration: cancel", lambda w: _reg(w, w.csco_reg) + "cancel/", {"csco", *ORGANISERS}),
    write(
        "registration: NR's decision",
        lambda w: _reg(w, w.pending_reg) + "decide/",
        {"nr", *ORGANISERS},
        lambda w: {"decision": "approve"},
    ),
    write(
        "registration: change mode",
        lambda w: _reg(w, w.csco_reg) + "mode/",
        ORGANISERS,
        lambda w: {"mode": "online"},
    ),
    read(
        "online room of a session (own registration)",
        lambda w: f"{M}/sessions/{w.hlm.opening.public_id}/join/",
        {"participant"},
        writes=True,
        success_location="https://meet.test.example/",
    ),
    shows(
        "public participant list: no consent, no e-mail",
        lambda w: f"{M}/participants/",
        lambda w: ("Makassar Officer Unlisted", "participant.listed@test.example", "Pending Delegate"),
        NOBODY,
    ),
    shows(
        "agenda: online-room addresses",
        lambda w: f"{M}/agenda/",
        lambda w: ("meet.test.example",),
        NOBODY,
    ),
    read("approvals list", lambda w: f"{M}/approvals/", {"nr", "other_nr", *ORGANISERS}),
    shows(
        "approvals list: a delegate awaiting the NR",
        lambda w: f"{M}/approvals/",
        lambda w: ("Pending Delegate Indonesia",),
        {"nr", *ORGANISERS},
    ),
    read("organiser dashboard", lambda w: f"{M}/manage/", ORGANISERS),
    read("e-mail templates", lambda w: f"{M}/manage/emails/", ORGANISERS),
    read("e-mail template editor", lambda w: f"{M}/manage/emails/received/ja/", ORGANISERS),
    write(
        "e-mail template: save the meeting's own text",
        lambda w: f"{M}/manage/emails/received/ja/",
        ORGANISERS,
        lambda w: {"action": "save", "subject": "{meeting}", "body": "{name} 様"},
    ),
    write("agenda: publish a version", lambda w: f"{M}/agenda/publish/", ORGANISERS, lambda w: {"note": "x"}),
    read("participant list with e-mails", lambda w: f"{M}/manage/participants/", ORGANISERS),
    read("participant export (CSV)", lambda w: f"{M}/manage/participants.csv", ORGANISERS),
    read("participant export (XLSX)", lambda w: f"{M}/manage/participants.xlsx", ORGANISERS),
    read("badges (PDF)", lambda w: f"{M}/manage/badges.pdf", ORGANISERS),
    # --- the programme editor (organisers only; changes show after the agenda is published) ----------
    read("programme editor", lambda w: f"{M}/manage/programme/", ORGANISERS),
    read("programme: new session form", lambda w: f"{M}/manage/programme/sessions/new/", ORGANISERS),
    write(
        "programme: add a session",
        lambda w: f"{M}/manage/programme/sessions/new/",
        ORGANISERS,
        lambda w: {
            "title": "Matrix panel",
            "kind": "panel",
            "starts_at": "2021-10-18T16:00",
            "ends_at": "2021-10-18T17:00",
            "room": w.spare_room.pk,
        },
    ),
    read(
        "programme: session form",
        lambda w: f"{M}/manage/programme/sessions/{w.hlm.forum.public_id}/",
        ORGANISERS,
    ),
    write(
        "programme: edit a session",
        lambda w: f"{M}/manage/programme/sessions/{w.hlm.forum.public_id}/",
        ORGANISERS,
        lambda w: {"title": "Forum renamed by the matrix"},
        form_from=lambda w: f"{M}/manage/programme/sessions/{w.hlm.forum.public_id}/",
    ),
    write(
        "programme: delete a session",
        lambda w: f"{M}/manage/programme/sessions/{w.hlm.forum2.public_id}/delete/",
        ORGANISERS,
    ),
    read("programme: new room form", lambda w: f"{M}/manage/programme/rooms/new/", ORGANISERS),
    write(
        "programme: add a room",
        lambda w: f"{M}/manage/programme/rooms/new/",
        ORGANISERS,
        lambda w: {"name": "Matrix room", "capacity": "12"},
    ),
    write(
        "programme: edit a room",
        lambda w: f"{M}/manage/programme/rooms/{w.spare_room.pk}/",
        ORGANISERS,
        lambda w: {"name": "Spare room (renamed)", "capacity": "25"},
    ),
    write(
        "programme: delete a room",
        lambda w: f"{M}/manage/programme/rooms/{w.spare_room.pk}/delete/",
        ORGANISERS,
    ),
    read("clone the meeting: form", lambda w: f"{M}/manage/clone/", SEC),
    write(
        "clone the meeting",
        lambda w: f"{M}/manage/clone/",
        SEC,
        lambda w: {"title": "Copy", "slug": "hlm-copy", "start_date": "2022-10-18", "parts": ["rooms"]},
    ),
    read("check-in desk", lambda w: f"{M}/check-in/", DESK),
    read("check-in desk: search by e-mail", lambda w: f"{M}/check-in/?q=participant.listed", DESK),
    write(
        "check-in",
        lambda w: f"{M}/check-in/",
        DESK,
        lambda w: {"registration": str(w.csco_reg.public_id)},
    ),
    read("attendance counts", lambda w: f"{M}/check-in/counts/?format=json", DESK),
    # --- the check-in web app (issue 24) -------------------------------------------------------------
    read("check-in app", lambda w: f"{M}/check-in/app/", DESK),
    read("check-in app: roster and statuses", lambda w: f"{M}/check-in/app/state.json", DESK),
    read("check-in app: counts", lambda w: f"{M}/check-in/app/counts.json", DESK),
    read("check-in app: device key", lambda w: f"{M}/check-in/app/device-key/?device=matrix-phone", DESK),
    write(
        "check-in app: sync a scan",
        lambda w: f"{M}/check-in/app/sync/",
        DESK,
        lambda w: {"entries": _signed_scan(w)},
    ),
    read("badge print queue", lambda w: f"{M}/manage/badges/", ORGANISERS),
    write(
        "badge print queue: print a list",
        lambda w: f"{M}/manage/badges/",
        ORGANISERS,
        lambda w: {"people": w.csco_reg.email},
    ),
    read(
        "badge print batch (PDF)", lambda w: f"{M}/manage/badges/{_badge_batch(w).public_id}.pdf", ORGANISERS
    ),
    read(
        "watch page of a session (own registration)",
        lambda w: f"{M}/sessions/{w.hlm.opening.public_id}/watch/",
        {"participant"},
    ),
    write(
        "online presence heartbeat (own registration)",
        lambda w: f"{M}/sessions/{w.hlm.opening.public_id}/presence/",
        {"participant"},
        lambda w: {"event": "join"},
    ),
    read("attendance per session", lambda w: f"{M}/manage/attendance/", ORGANISERS),
    read(
        "stream links: form",
        lambda w: f"{M}/manage/programme/sessions/{w.hlm.opening.public_id}/streams/",
        ORGANISERS,
    ),
    write(
        "stream links",
        lambda w: f"{M}/manage/programme/sessions/{w.hlm.opening.public_id}/streams/",
        ORGANISERS,
        lambda w: {"links": "ja = https://stream.test.example/ja"},
    ),
    # --- matchmaking: profiles, requests, agenda, feedback, leads, schedule runs ---------------------
    read("matchmaking profile: own edit form", lambda w: f"{MM}/profile/", MATCHMAKERS),
    read("hidden matchmaking profile", lambda w: f"{MM}/p/{w.hidden_profile.public_id}/", ORGANISERS),
    read(
        "visible matchmaking profile",
        lambda w: f"{MM}/p/{w.mm.company.public_id}/",
        MATCHMAKERS | ORGANISERS,
    ),
    write(
        "meeting request: send",
        lambda w: f"{MM}/p/{w.mm.makassar.public_id}/request/",
        {"participant"},  # the company already meets Makassar; Makassar cannot ask itself
        lambda w: {"message": "Shall we meet?", "priority": "would_like"},
    ),
    read("meeting requests: own list", lambda w: f"{MM}/requests/", MATCHMAKERS),
    shows(
        "meeting requests: a request's message",
        lambda w: f"{MM}/requests/",
        lambda w: ("Private pending request message",),
        {"participant", "company"},
    ),
    read(
        "meeting request: its own page",
        lambda w: f"{MM}/requests/{w.pending_request.public_id}/",
        {"participant", "company"} | ORGANISERS,
    ),
    shows(
        "meeting request: its message on its own page",
        lambda w: f"{MM}/requests/{w.pending_request.public_id}/",
        lambda w: ("Private pending request message",),
        {"participant", "company"} | ORGANISERS,
    ),
    write(
        "meeting request: accept",
        lambda w: f"{MM}/requests/{w.pending_request.public_id}/accept/",
        {"company"},
    ),
    write(
        "meeting request: decline",
        lambda w: f"{MM}/requests/{w.pending_request.public_id}/decline/",
        {"company"},
    ),
    write(
        "meeting request: cancel",
        lambda w: f"{MM}/requests/{w.pending_request.public_id}/cancel/",
        {"participant", "company"},
    ),
    read("matchmaking agenda", lambda w: f"{MM}/agenda/", MATCHMAKERS),
    read("matchmaking directory of participants", lambda w: f"{MM}/participants/", MATCHMAKERS | ORGANISERS),
    shows(
        "matchmaking agenda: a scheduled 1:1",
        lambda w: f"{MM}/agenda/",
        lambda w: (str(w.scheduled.public_id),),
        {"company", "csco"},
    ),
    read("matchmaking agenda (.ics)", lambda w: f"{MM}/agenda.ics", MATCHMAKERS),
    read("personal calendar page", lambda w: f"{MM}/calendar/", MATCHMAKERS),
    write("personal calendar: new feed address", lambda w: f"{MM}/calendar/regenerate/", MATCHMAKERS),
    shows(
        "matchmaking profile: the other side's shared contact details",
        lambda w: f"{MM}/p/{w.mm.company.public_id}/",
        lambda w: ("+81 3 0000 1111",),
        {"csco"},  # Makassar's request was accepted; the pending participant sees nothing yet
    ),
    read("my leads export (CSV)", lambda w: f"{MM}/my-leads.csv", MATCHMAKERS),
    read("organiser leads export (CSV)", lambda w: f"{MM}/organise/leads.csv", ORGANISERS),
    write(
        "suggestion: not interested",
        lambda w: f"{MM}/p/{w.mm.danang.public_id}/not-interested/",
        MATCHMAKERS,
    ),
    write(
        "scheduled 1:1: assign a colleague",
        lambda w: f"{MM}/r/{w.scheduled.request.public_id}/attendee/",
        {"csco"},  # the owner of Makassar's side; the company cannot name Makassar's people
        lambda w: {"attendee": str(w.csco_reg.public_id)},
    ),
    write(
        "scheduled 1:1: confirm attendance",
        lambda w: f"{MM}/m/{w.scheduled.public_id}/confirm/",
        {"company", "csco"},
    ),
    write(
        "scheduled 1:1: feedback",
        lambda w: f"{MM}/m/{w.scheduled.public_id}/feedback/",
        {"company", "csco"},  # Makassar may change the feedback it gave
        lambda w: {"rating": "5", "follow_up": "on", "comment": "Good"},
    ),
    write(
        "scheduled 1:1: no-show",
        lambda w: f"{MM}/m/{w.scheduled.public_id}/no-show/",
        {"company", "csco"},
    ),
    read("matchmaking organiser page", lambda w: f"{MM}/organise/", ORGANISERS),
    write(
        "matchmaking: tables and video rooms",
        lambda w: f"{MM}/organise/",
        ORGANISERS,
        lambda w: {"action": "locations", "loc-tables": "3", "loc-video_rooms": "2"},
    ),
    write(
        "matchmaking: start a schedule run",
        lambda w: f"{MM}/organise/",
        ORGANISERS,
        lambda w: {"action": "run"},
    ),
    write(
        "matchmaking: set a meeting",
        lambda w: f"{MM}/organise/",
        ORGANISERS,
        lambda w: {
            "action": "set_meeting",
            "a": str(w.mm.danang.public_id),
            "b": str(w.mm.company.public_id),
        },
    ),
    read("schedule run draft", lambda w: f"{MM}/organise/runs/{w.draft_run.number}/", ORGANISERS),
    write(
        "schedule run draft: publish",
        lambda w: f"{MM}/organise/runs/{w.draft_run.number}/",
        ORGANISERS,
        lambda w: {"action": "publish"},
    ),
    read(
        "schedule run: instance download",
        lambda w: f"{MM}/organise/runs/{w.draft_run.number}/instance.json",
        ORGANISERS,
    ),
    read(
        "schedule run: result download",
        lambda w: f"{MM}/organise/runs/{w.draft_run.number}/result.json",
        ORGANISERS,
    ),
    read("schedule grid (published)", lambda w: f"{MM}/organise/grid/", ORGANISERS),
    read("schedule grid of a run", lambda w: f"{MM}/organise/runs/{w.draft_run.number}/grid/", ORGANISERS),
    read(
        "scheduled 1:1: organiser's page",
        lambda w: f"{MM}/organise/meetings/{w.scheduled.public_id}/",
        ORGANISERS,
    ),
    write(
        "scheduled 1:1: pin",
        lambda w: f"{MM}/organise/meetings/{w.scheduled.public_id}/",
        ORGANISERS,
        lambda w: {"action": "pin"},
    ),
    read("published schedule: per-table CSV", lambda w: f"{MM}/organise/export/tables.csv", ORGANISERS),
    read("leads", lambda w: f"{MM}/organise/leads/", ORGANISERS),
    write(
        "lead",
        lambda w: f"{MM}/organise/leads/",
        ORGANISERS,
        lambda w: {"lead": str(w.lead.public_id), "status": "dropped", "note": "Called"},
    ),
    read(
        "delegation of a profile",
        lambda w: f"{MM}/p/{w.mm.makassar.public_id}/members/",
        {"csco", *ORGANISERS},
    ),
    read("lead of a 1:1", lambda w: f"/leads/{w.lead.public_id}/", {"csco", "nr", *ORGANISERS}),
    read(
        "leads list",
        lambda w: "/leads/",
        CONTRIBUTORS,  # cities and their NRs; organisers follow leads on the matchmaking page
    ),
    shows(
        "matchmaking home: feedback and request texts",
        lambda w: f"{MM}/",
        lambda w: ("Confidential feedback words", "Private pending request message", "Hidden Delegation"),
        NOBODY,
    ),
    # --- outcome documents authored on the site: drafts, review, history ------------------------------
    read("outcome drafts desk", lambda w: "/outcomes/drafts/", SEC),
    read("new outcome document: form", lambda w: "/outcomes/drafts/new/", SEC),
    write(
        "new outcome document",
        lambda w: "/outcomes/drafts/new/",
        SEC,
        lambda w: {
            "meeting": w.blank_meeting.pk,
            "title": "Matrix statement",
            "adopted_on": "2024-10-19",
            "rec-TOTAL_FORMS": "1",
            "rec-INITIAL_FORMS": "0",
            "rec-0-number": "1",
            "rec-0-title": "One",
            "rec-0-text": "Matrix recommendation text",
        },
    ),
    read("outcome revision in review", lambda w: f"/outcomes/revisions/{w.review_revision.public_id}/", SEC),
    write(
        "outcome revision in review: approve",
        lambda w: f"/outcomes/revisions/{w.review_revision.public_id}/review/",
        SEC,
        lambda w: {"decision": "approve"},
    ),
    write(
        "draft outcome revision: submit for review",
        lambda w: f"/outcomes/revisions/{w.draft_revision.public_id}/submit/",
        SEC,
    ),
    read(
        "draft outcome document: edit form", lambda w: "/outcomes/meetings/matrix-authored-outcome/edit/", SEC
    ),
    read("outcome document history", lambda w: "/outcomes/meetings/matrix-authored-outcome/history/", SEC),
    read("unpublished project: funding form", lambda w: "/projects/mks-draft/funding/", CITY_EDIT),
    write(
        "unpublished project: funding per source",
        lambda w: "/projects/mks-draft/funding/",
        CITY_EDIT,
        lambda w: {
            "funding-TOTAL_FORMS": "1",
            "funding-INITIAL_FORMS": "0",
            "funding-0-source": w.net.company_person.organisation.slug,
            "funding-0-amount": "1000",
            "funding-0-currency": "USD",
            "funding-0-status": "pledged",
        },
    ),
    # --- outcomes: a draft outcome document, commitments being reported on ----------------------------
    read("draft outcome document", lambda w: f"/outcomes/meetings/{w.draft_document.meeting.slug}/", SEC),
    read(
        "recommendation of a draft document",
        lambda w: f"/outcomes/recommendations/{w.draft_rec.public_id}/",
        SEC,
    ),
    read(
        "commitment of a draft document",
        lambda w: f"/outcomes/commitments/{w.draft_commitment.public_id}/",
        SEC,
    ),
    read(
        "evidence file of a draft document", lambda w: f"/outcomes/evidence/{w.draft_update.public_id}/", SEC
    ),
    read(
        "recommendation of a draft document: commitment form",
        lambda w: f"/outcomes/recommendations/{w.draft_rec.public_id}/commit/",
        SEC,
    ),
    write(
        "recommendation of a draft document: add a commitment",
        lambda w: f"/outcomes/recommendations/{w.draft_rec.public_id}/commit/",
        SEC,
        lambda w: {"party": f"city:{w.net.makassar.pk}", "description": "New", "due_date": "2030-12-31"},
    ),
    read(
        "commitment of a draft document: update form",
        lambda w: f"/outcomes/commitments/{w.draft_commitment.public_id}/update/",
        SEC,
    ),
    write(
        "commitment of a draft document: status update",
        lambda w: f"/outcomes/commitments/{w.draft_commitment.public_id}/update/",
        SEC,
        lambda w: {"status": "in_progress", "progress": "30", "note": "Moving on."},
    ),
    write(
        "commitment of a draft document: add an action",
        lambda w: f"/outcomes/commitments/{w.draft_commitment.public_id}/actions/",
        SEC,
        lambda w: {"title": "Train teams", "due_date": "2030-01-01"},
    ),
    shows(
        "my commitments: a draft document's commitment",
        lambda w: "/outcomes/mine/",
        lambda w: ("Undisclosed commitment words",),
        SEC,
    ),
    shows(
        "outcome tracker and downloads: draft document",
        lambda w: "/outcomes/",
        lambda w: ("Undisclosed recommendation", "Undisclosed commitment words"),
        NOBODY,
    ),
    shows(
        "commitments download: draft document",
        lambda w: "/outcomes/commitments.csv",
        lambda w: ("Undisclosed commitment words",),
        NOBODY,
    ),
    read(
        "city commitment: update form",
        lambda w: f"/outcomes/commitments/{w.city_commitment.public_id}/update/",
        CITY_VIEW,
    ),
    write(
        "city commitment: status update",
        lambda w: f"/outcomes/commitments/{w.city_commitment.public_id}/update/",
        CITY_VIEW,
        lambda w: {"status": "in_progress", "progress": "30", "note": "Moving on."},
    ),
    write(
        "partner commitment: status update",
        lambda w: f"/outcomes/commitments/{w.partner_commitment.public_id}/update/",
        {"partner", "secretariat"},
        lambda w: {"status": "in_progress", "progress": "30", "note": "Moving on."},
    ),
    write(
        "city commitment: add an action",
        lambda w: f"/outcomes/commitments/{w.city_commitment.public_id}/actions/",
        CITY_VIEW,
        lambda w: {"title": "Train teams", "due_date": "2030-01-01"},
    ),
    write(
        "city commitment: tick an action",
        lambda w: f"/outcomes/actions/{w.action.public_id}/done/",
        CITY_VIEW,
        lambda w: {"done": "1"},
    ),
    write(
        "new commitment for the city",
        lambda w: f"/outcomes/recommendations/{w.rec.public_id}/commit/",
        CITY_VIEW,
        lambda w: {"party": f"city:{w.net.makassar.pk}", "description": "New", "due_date": "2030-12-31"},
    ),
    # --- knowledge: guidebook drafts under review, comments, unpublished cases -----------------------
    read("guidebook chapter under review", lambda w: "/knowledge/guidebook/in-review/", CONTRIBUTORS),
    shows(
        "published chapter: unpublished rewrite and comments",
        lambda w: "/knowledge/guidebook/published/",
        lambda w: ("Unpublished rewrite",),
        CONTRIBUTORS,
    ),
    shows(
        "chapter under review: comments",
        lambda w: "/knowledge/guidebook/in-review/",
        lambda w: ("Reviewer comment words",),
        CONTRIBUTORS,
    ),
    shows(
        "guidebook contents: draft chapters and titles",
        lambda w: "/knowledge/guidebook/",
        lambda w: ("Chapter under review", "Chapter being drafted", "Renamed in draft"),
        CONTRIBUTORS,
    ),
    shows(
        "knowledge home: draft chapter titles",
        lambda w: "/knowledge/",
        lambda w: ("Chapter under review", "Chapter being drafted", "Renamed in draft", "Unpublished case"),
        NOBODY,
    ),
    shows(
        "guidebook export (HTML): drafts",
        lambda w: "/knowledge/guidebook/export.html",
        lambda w: ("Review body words", "Unpublished rewrite", "Drafting body"),
        NOBODY,
    ),
    read(
        "guidebook export with drafts (HTML)",
        lambda w: "/knowledge/guidebook/export.html?drafts=1",
        CONTRIBUTORS,
    ),
    read(
        "guidebook export with drafts (PDF)",
        lambda w: "/knowledge/guidebook/export.pdf?drafts=1",
        CONTRIBUTORS,
    ),
    read("chapter: history", lambda w: "/knowledge/guidebook/in-review/history/", CONTRIBUTORS),
    read("chapter: a revision", lambda w: "/knowledge/guidebook/in-review/history/1/", CONTRIBUTORS),
    read("chapter: diff", lambda w: "/knowledge/guidebook/published/diff/", CONTRIBUTORS),
    read("chapter: edit form", lambda w: "/knowledge/guidebook/in-review/edit/", CONTRIBUTORS),
    write(
        "chapter",
        lambda w: "/knowledge/guidebook/in-review/edit/",
        CONTRIBUTORS,
        lambda w: {"body": "Changed by the matrix", "summary": "matrix"},
        form_from=lambda w: "/knowledge/guidebook/in-review/edit/",
    ),
    write(
        "chapter: comment",
        lambda w: "/knowledge/guidebook/in-review/comments/",
        CONTRIBUTORS,
        lambda w: {"body": "A comment"},
    ),
    write(
        "chapter: submit for review",
        lambda w: "/knowledge/guidebook/drafting/review/",
        CONTRIBUTORS,
        lambda w: {"action": "submit"},
    ),
    write(
        "chapter under review: approve",
        lambda w: "/knowledge/guidebook/in-review/review/",
        {"other_nr", "secretariat"},  # not the NR who wrote the latest revision
        lambda w: {"action": "approve"},
    ),
    write(
        "chapter under review: request changes",
        lambda w: "/knowledge/guidebook/in-review/review/",
        {"nr", "other_nr", "secretariat"},
        lambda w: {"action": "changes", "note": "Please add a table."},
    ),
    read("unpublished case", lambda w: "/knowledge/cases/draft-case/", CITY_VIEW),
    read("unpublished case: edit form", lambda w: "/knowledge/cases/draft-case/edit/", CITY_VIEW),
    write(
        "unpublished case",
        lambda w: "/knowledge/cases/draft-case/edit/",
        CITY_VIEW,
        lambda w: {"title": "Changed by the matrix"},
        form_from=lambda w: "/knowledge/cases/draft-case/edit/",
    ),
    write(
        "unpublished case: attach a file",
        lambda w: "/knowledge/cases/draft-case/attachments/",
        CITY_VIEW,
        lambda w: {"title": "More slides", "file": _pdf("more.pdf")},
    ),
    read(
        "unpublished case: attachment",
        lambda w: f"/knowledge/attachments/{w.attachment.public_id}/",
        CITY_VIEW,
    ),
    write(
        "new case for the city",
        lambda w: "/knowledge/cases/new/",
        CITY_VIEW,
        lambda w: {"title": "New case by the matrix"},
        form_from=lambda w: "/knowledge/cases/draft-case/edit/",
    ),
    # --- roles: assigned and ended by the secretariat only ------------------------------------------
    read("roles page", lambda w: "/roles/", SEC),
    write(
        "role: assign",
        lambda w: "/roles/",
        SEC,
        lambda w: {"kind": "focal_point", "person": w.net.makassar_officer.pk, "start_date": "2024-07-01"},
    ),
    write(
        "role: end",
        lambda w: f"/roles/{w.net.makassar_officer.roles.get(kind='csco').pk}/end/",
        SEC,
        lambda w: {"end_date": "2030-01-01"},
    ),
    # --- programmes: draft studies and agreements, status updates of items, imports -------------------
    read("unpublished study", lambda w: "/programmes/studies/unpublished-study-secret-2024/", SEC),
    read("unpublished agreement", lambda w: w.draft_agreement.get_absolute_url(), SEC),
    write(
        "cooperation item: status update",
        lambda w: f"{w.agreement.get_absolute_url()}update/",
        CITY_EDIT,
        lambda w: {
            "item": w.agreement.items.get().pk,
            "date": "2024-06-01",
            "status": "in_progress",
            "note": "Matrix update",
        },
    ),
    read("import studies", lambda w: "/programmes/import/studies/", SEC),
    read("import agreements", lambda w: "/programmes/import/agreements/", SEC),
    read("import item updates", lambda w: "/programmes/import/item-updates/", SEC),
    read(
        "import action plan",
        lambda w: "/programmes/import/action-plan/",
        {"csco", "other_csco", "secretariat"},
    ),
    read("import fundings", lambda w: "/programmes/import/fundings/", {"csco", "other_csco", "secretariat"}),
    # --- the secretariat's tools: activity log, admin (API tokens, registrations, users) -------------
    read("activity log", lambda w: "/activity/", SEC),
    read("admin", lambda w: "/admin/", SEC),
    # The secretariat's group holds the registry's and the audit log's model permissions (as in the
    # demo) and manages every meeting; API tokens in the admin are for superusers only.
    read("admin: API tokens", lambda w: "/admin/api/apitoken/", NOBODY),
    read("admin: registrations", lambda w: "/admin/events/registration/", SEC),
    read("admin: users", lambda w: "/admin/common/user/", SEC),
    read("admin: activity log", lambda w: "/admin/common/activitylog/", SEC),
    read("uploaded evidence file, directly", lambda w: "/media/" + w.draft_update.evidence_file.name, NOBODY),
    read("uploaded case attachment, directly", lambda w: "/media/" + w.attachment.file.name, NOBODY),
]


# --- running a row -------------------------------------------------------------------------------------


class _Forms(HTMLParser):
    """The POST forms of a page: their action and the values a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, Any]]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._multiple = False
        self._textarea: str | None = None

    def _put(self, name, value, multiple=False):
        if multiple:
            self._form.setdefault(name, []).append(value)
        else:
            self._form[name] = value

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "").lower() == "post":
                self._form = {}
                self.forms.append((a.get("action") or "", self._form))
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select and "selected" in a:
                self._put(self._select, a.get("value", ""), self._multiple)
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._put(name, a.get("value", "on"), kind == "checkbox")
            elif kind not in ("file", "submit", "button"):
                self._form[name] = a.get("value", "")
        elif tag == "select":
            self._select, self._multiple = name, "multiple" in a
            if self._multiple:
                self._form.setdefault(name, [])
        elif tag == "textarea":
            self._textarea = name
            self._form[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[self._textarea] += data.lstrip("\n") if not self._form[self._textarea] else data


def _form_values(html: str, url: str) -> dict[str, Any]:
    parser = _Forms()
    parser.feed(html)
    own = [fields for action, fields in parser.forms if action in ("", url)]
    assert own, f"no form posting to {url}"
    return dict(max(own, key=len))


def _writes_so_far() -> int:
    """Rows inserted, updated or deleted on this connection so far (any table, sessions included)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
        else:  # PostgreSQL: this transaction's row operations, rolled-back savepoints included
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables"
            )
        return int(cursor.fetchone()[0])


def _verdict(response, success_location: str = "") -> str:
    code = response.status_code
    if code in (200, 201, 204):
        return "ok"
    if code in (301, 302, 303):
        location = response["Location"]
        if success_location and location.startswith(success_location):
            return "ok"
        path = urlsplit(location).path
        return "login" if path.startswith(LOGIN_PATHS) else "redirect"
    if code in (401, 403, 404, 405):
        return str(code)
    if code in (400, 409, 422):
        return "invalid"
    return f"status-{code}"


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _send(client, method: str, url: str, data: dict | None, headers: dict | None = None, json_body=None):
    headers = headers or {}
    if method == "GET":
        return client.get(url, headers=headers)
    if method == "DELETE":
        return client.delete(url, headers=headers)
    if json_body is not None:
        return client.post(url, json_body, content_type="application/json", headers=headers)
    return client.post(url, data or {}, headers=headers)


def _attempt(send: Callable[[], Any]) -> tuple[Any, bool]:
    """Make one request inside a savepoint that is rolled back; report whether it wrote anything."""
    sid = transaction.savepoint()
    try:
        before = _writes_so_far()
        response = send()
        body = _body(response)
        changed = _writes_so_far() != before
    finally:
        transaction.savepoint_rollback(sid)
    response.matrix_text = body
    return response, changed


def _judge(row_allowed: bool, verdict: str, changed: bool, is_write: bool, markers_seen: bool | None) -> str:
    """A cell of the matrix: what happened, prefixed with ALLOW! or REFUSED! when it was not expected."""
    if markers_seen is not None:  # content row
        got = "shown" if markers_seen else f"hidden({verdict})"
        if markers_seen and not row_allowed:
            return "ALLOW! " + got
        if row_allowed and not (markers_seen and verdict == "ok"):
            return "REFUSED! " + got
        return got
    if is_write:
        allowed_now = changed or verdict == "ok"
        got = f"{verdict}{'+changed' if changed else ''}"
        if allowed_now and not row_allowed:
            return "ALLOW! " + got
        if row_allowed and not changed:
            return "REFUSED! " + got
        return got
    if changed and not row_allowed:
        return f"ALLOW! {verdict}+changed"
    if verdict == "ok" and not row_allowed:
        return "ALLOW! ok"
    if row_allowed and verdict != "ok":
        return "REFUSED! " + verdict
    return verdict


def _check(results: dict[str, str], row_name: str) -> None:
    unexpected_allows = {r: v for r, v in results.items() if v.startswith("ALLOW!")}
    unexpected_refusals = {r: v for r, v in results.items() if v.startswith("REFUSED!")}
    assert not unexpected_allows, f"{row_name}: unexpected allows {unexpected_allows} (all: {results})"
    assert not unexpected_refusals, (
        f"{row_name}: allowed roles refused {unexpected_refusals} (all: {results})"
    )


def _row_id(row: Row) -> str:
    return f"{row.action}:{row.obj}".replace(" ", "_")


@pytest.mark.parametrize("row", UI_ROWS, ids=[_row_id(r) for r in UI_ROWS])
def test_pages(sec, row: Row):
    url = row.url(sec)
    try:
        if not url.startswith("/media/"):
            resolve(urlsplit(url).path)
    except Resolver404:
        if row.optional:
            pytest.skip(f"{url} does not exist (yet)")
        raise
    data: dict[str, Any] = {}
    if row.form_from is not None:
        page = row.form_from(sec)
        response, _ = _attempt(lambda: sec.clients["secretariat"].get(page))
        assert response.status_code == 200, f"the secretariat cannot open {page}"
        data = _form_values(response.matrix_text, urlsplit(page).path)
    results: dict[str, str] = {}
    for role in ROLES:
        extra = row.data(sec) if row.data else {}  # fresh uploads for every request
        payload = {**data, **extra}
        response, changed = _attempt(lambda c=sec.clients[role], p=payload: _send(c, row.method, url, p))
        verdict = _verdict(response, row.success_location)
        seen = None
        if row.markers is not None:
            text = response.matrix_text
            found = [m in text for m in row.markers(sec)]
            seen = all(found) if role in row.allowed else any(found)
        results[role] = _judge(role in row.allowed, verdict, changed, row.is_write, seen)
    MATRIX.append((f"UI {row.obj}", f"{row.method} {url}", results))
    _check(results, f"{row.method} {url} ({row.obj})")


# --- the API ------------------------------------------------------------------------------------------

API = "/api/v1"


@dataclass(frozen=True)
class ApiRow:
    obj: str
    route: str  # the operation in the OpenAPI document: "GET /api/v1/…"
    url: Callable[[Any], str]
    allowed: frozenset[str]  # principals: "<role>" (token with every scope), "<role>/read-only", …
    body: Callable[[Any], dict] | None = None
    markers: Callable[[Any], tuple[str, ...]] | None = None

    @property
    def method(self) -> str:
        return self.route.split()[0]


def _both(roles) -> frozenset[str]:
    """A read allowed to these roles' tokens, with every scope or with `read:private` only."""
    return frozenset(roles) | {f"{r}/read-only" for r in roles}


def _principals() -> list[str]:
    named = [r for r in ROLES if r != "anon"]
    return (
        ["anon"]
        + named
        + [f"{r}/read-only" for r in named]
        + [f"{r}/session" for r in ("csco", "company", "secretariat")]
        + ["company/revoked", "company/expired", "bogus-token"]
    )


API_ROWS: list[ApiRow] = [
    ApiRow(
        "unpublished project", f"GET {API}/projects/{{slug}}", lambda w: f"{API}/projects/mks-draft", NOBODY
    ),
    ApiRow(
        "project list: unpublished project",
        f"GET {API}/projects",
        lambda w: f"{API}/projects?page_size=100",
        NOBODY,
        markers=lambda w: ("mks-draft", "Unpublished Pump Project"),
    ),
    ApiRow(
        "offer list: unpublished offer",
        f"GET {API}/offers",
        lambda w: f"{API}/offers?page_size=100",
        NOBODY,
        markers=lambda w: ("unreleased", "Unreleased sensor offer"),
    ),
    ApiRow(
        "draft meeting", f"GET {API}/meetings/{{slug}}", lambda w: f"{API}/meetings/draft-meeting", NOBODY
    ),
    ApiRow(
        "meeting list: draft meeting",
        f"GET {API}/meetings",
        lambda w: f"{API}/meetings?page_size=100",
        NOBODY,
        markers=lambda w: ("draft-meeting", "Unannounced Draft Summit"),
    ),
    ApiRow(
        "meeting agenda: online-room addresses",
        f"GET {API}/meetings/{{slug}}",
        lambda w: f"{API}/meetings/hlm-test",
        NOBODY,
        markers=lambda w: ("meet.test.example",),
    ),
    ApiRow(
        "outcomes: draft document",
        f"GET {API}/outcomes",
        lambda w: f"{API}/outcomes?page_size=100",
        NOBODY,
        markers=lambda w: ("Undisclosed recommendation", "Undisclosed commitment words"),
    ),
    ApiRow(
        "registrations: own list (empty for most)",
        f"GET {API}/meetings/{{slug}}/registrations",
        lambda w: f"{API}/meetings/hlm-test/registrations",
        _both(set(ROLES) - {"anon"}),
    ),
    ApiRow(
        "registrations: own list holds only one's own",
        f"GET {API}/meetings/{{slug}}/registrations",
        lambda w: f"{API}/meetings/hlm-test/registrations",
        _both({"csco"}),
        markers=lambda w: ("makassar.officer.private@test.example",),
    ),
    ApiRow(
        "registration (own, city delegation)",
        f"GET {API}/meetings/{{slug}}/registrations/{{registration_id}}",
        lambda w: f"{API}/meetings/hlm-test/registrations/{w.csco_reg.public_id}",
        _both({"csco", *ORGANISERS}),
    ),
    ApiRow(
        "registration awaiting the NR",
        f"GET {API}/meetings/{{slug}}/registrations/{{registration_id}}",
        lambda w: f"{API}/meetings/hlm-test/registrations/{w.pending_reg.public_id}",
        _both({"nr", *ORGANISERS}),
    ),
    ApiRow(
        "registration: cancel",
        f"POST {API}/meetings/{{slug}}/registrations/{{registration_id}}/cancel",
        lambda w: f"{API}/meetings/hlm-test/registrations/{w.csco_reg.public_id}/cancel",
        frozenset({"csco"}),
        body=lambda w: {},
    ),
    ApiRow(
        "draft progress report",
        f"GET {API}/reports/{{report_id}}",
        lambda w: f"{API}/reports/{w.draft_report.public_id}",
        _both(CITY_VIEW),
    ),
    ApiRow(
        "progress report: file a new one",
        f"POST {API}/projects/{{slug}}/reports",
        lambda w: f"{API}/projects/mks-public/reports",
        CITY_EDIT,
        body=lambda w: {
            "period_start": "2025-07-01",
            "period_end": "2025-12-31",
            "status": "implementation",
            "physical_planned": 50,
            "physical_actual": 40,
            "financial_planned": 50,
            "financial_actual": 40,
            "narrative": "Filed through the API.",
        },
    ),
    ApiRow(
        "progress report on an unpublished project",
        f"POST {API}/projects/{{slug}}/reports",
        lambda w: f"{API}/projects/mks-draft/reports",
        CITY_EDIT,
        body=lambda w: {
            "period_start": "2025-07-01",
            "period_end": "2025-12-31",
            "status": "implementation",
            "physical_planned": 50,
            "physical_actual": 40,
            "financial_planned": 50,
            "financial_actual": 40,
            "narrative": "Filed through the API.",
            "submit": False,
        },
    ),
    ApiRow(
        "draft progress report: submit",
        f"POST {API}/reports/{{report_id}}/submit",
        lambda w: f"{API}/reports/{w.draft_report.public_id}/submit",
        CITY_EDIT,
        body=lambda w: {},
    ),
    ApiRow(
        "webhook endpoints: own list",
        f"GET {API}/webhooks",
        lambda w: f"{API}/webhooks",
        frozenset(ROLES) - {"anon"},
    ),
    ApiRow(
        "webhook endpoints: another's endpoint in the list",
        f"GET {API}/webhooks",
        lambda w: f"{API}/webhooks",
        frozenset({"company"}),
        markers=lambda w: ("hooks.test.example/company",),
    ),
    ApiRow(
        "webhook endpoint",
        f"GET {API}/webhooks/{{endpoint_id}}",
        lambda w: f"{API}/webhooks/{w.endpoints['company'].public_id}",
        frozenset({"company"}),
    ),
    ApiRow(
        "webhook endpoint: deliveries",
        f"GET {API}/webhooks/{{endpoint_id}}/deliveries",
        lambda w: f"{API}/webhooks/{w.endpoints['company'].public_id}/deliveries",
        frozenset({"company"}),
    ),
    ApiRow(
        "webhook endpoint: ping",
        f"POST {API}/webhooks/{{endpoint_id}}/ping",
        lambda w: f"{API}/webhooks/{w.endpoints['company'].public_id}/ping",
        frozenset({"company"}),
        body=lambda w: {},
    ),
    ApiRow(
        "webhook endpoint: delete",
        f"DELETE {API}/webhooks/{{endpoint_id}}",
        lambda w: f"{API}/webhooks/{w.endpoints['company'].public_id}",
        frozenset({"company"}),
    ),
    ApiRow(
        "meeting requests: own list",
        f"GET {API}/meetings/{{slug}}/matchmaking/requests",
        lambda w: f"{API}/meetings/hlm-test/matchmaking/requests",
        MATCHMAKERS,
    ),
    ApiRow(
        "meeting requests: a request's message",
        f"GET {API}/meetings/{{slug}}/matchmaking/requests",
        lambda w: f"{API}/meetings/hlm-test/matchmaking/requests",
        frozenset({"participant", "company"}),
        markers=lambda w: ("Private pending request message",),
    ),
    ApiRow(
        "meeting request: send",
        f"POST {API}/meetings/{{slug}}/matchmaking/requests",
        lambda w: f"{API}/meetings/hlm-test/matchmaking/requests",
        frozenset({"participant"}),
        body=lambda w: {"recipient": str(w.mm.makassar.public_id), "message": "Shall we meet?"},
    ),
    ApiRow(
        "meeting request: answer",
        f"POST {API}/meetings/{{slug}}/matchmaking/requests/{{request_id}}/answer",
        lambda w: f"{API}/meetings/hlm-test/matchmaking/requests/{w.pending_request.public_id}/answer",
        frozenset({"company"}),
        body=lambda w: {"accept": True},
    ),
]


def _api_client(w, principal: str):
    """The client and headers for a principal."""
    from django.test import Client

    if principal == "anon":
        return Client(), {}
    if principal == "bogus-token":
        return Client(), {"Authorization": "Bearer ascn_not-a-real-token"}
    role, _, kind = principal.partition("/")
    if kind == "session":
        return w.clients[role], {}
    return Client(), {"Authorization": f"Bearer {w.tokens[principal]}"}


@pytest.mark.parametrize("row", API_ROWS, ids=[f"{r.route}:{r.obj}".replace(" ", "_") for r in API_ROWS])
def test_api(sec, row: ApiRow):
    url = row.url(sec)
    is_write = row.method in ("POST", "DELETE")
    results: dict[str, str] = {}
    for principal in _principals():
        client, headers = _api_client(sec, principal)
        body = row.body(sec) if row.body else None
        response, changed = _attempt(
            lambda c=client, h=headers, b=body: _send(c, row.method, url, None, h, json_body=b)
        )
        verdict = _verdict(response)
        seen = None
        if row.markers is not None:
            found = [m in response.matrix_text for m in row.markers(sec)]
            seen = all(found) if principal in row.allowed else any(found)
        results[principal] = _judge(principal in row.allowed, verdict, changed, is_write, seen)
    MATRIX.append((f"API {row.obj}", f"{row.method} {url}", results))
    _check(results, f"{row.method} {url} ({row.obj})")


# --- completeness: every page and every API operation is in the matrix or public on purpose ------------

# Pages that show only public data or act on the visitor's own session (the content rows above check
# the lists and downloads for private things).
PUBLIC_PAGES = {
    "home": "public overview",
    "api_tokens": "the signed-in user's own tokens only; tests/api/test_token_pages.py",
    "api_token_revoke": "the user's own token only (another's is 404); tests/api/test_token_pages.py",
    "notices:list": "the signed-in user's own notices only; tests/notices",
    "notices:read": "the user's own notice only (another's is refused); tests/notices",
    "notices:read_all": "the user's own notices only; tests/notices",
    "notices:preferences": "the user's own preferences; tests/notices",
    "privacy:notice": "the public privacy notice",
    "translations": "the signed-in user's own requests (the secretariat sees all); "
    "tests/common/test_translations.py",
    "translation": "a request its content's readers may see; acting on it is checked per step "
    "(translator, editor, not the translator as reviewer); tests/common/test_translations.py",
    "translation_request": "a request for content the user may see; tests/common/test_translations.py",
    "mailings:list": "the meeting's organisers only (events.manage_meeting); tests/mailings",
    "mailings:detail": "the meeting's organisers only (events.manage_meeting); tests/mailings",
    "mailings:action": "the meeting's organisers only (events.manage_meeting); tests/mailings",
    "events:message_template_reset": "the meeting's organisers only (events.manage_meeting); "
    "tests/events/test_message_templates.py",
    "privacy:my_data": "the signed-in user's own data only; tests/privacy",
    "privacy:download": "the signed-in user's own data only; tests/privacy",
    "privacy:delete": "the user's own account only; tests/privacy",
    "privacy:withdraw": "the user's own consent only; tests/privacy",
    "activity": "in the matrix (activity log)",
    "set_timezone": "the visitor's own preference (a cookie)",
    "set_language": "the visitor's own preference (a cookie)",
    "health": "load-balancer check, no data",
    "registry:cities": "public registry",
    "registry:city": "public registry (checked for drafts above)",
    "registry:member_states": "public registry",
    "registry:member_state": "public registry (checked for drafts above)",
    "registry:organisations": "public registry",
    "registry:organisation": "public registry",
    "registry:person": "public name and roles; contact details are a content row",
    "projects:project": "published projects public; drafts are rows",
    "projects:offer": "published offers public; drafts are rows",
    "projects:need": "published needs public; drafts are rows",
    "projects:company": "public company page; draft offers are a content row",
    "projects:import_template": "an empty CSV template",
    "projects:offer_import": "imports only the user's own company's offers (like the offer form)",
    "events:list": "public meetings; drafts are a content row",
    "events:detail": "public meeting page; drafts are rows",
    "events:agenda": "published agenda; online rooms are a content row",
    "events:agenda_changes": "published agenda versions",
    "events:agenda_ics": "published agenda",
    "events:agenda_pdf": "published agenda",
    "events:participants": "consenting participants only (content row)",
    "events:badge_key": "the public key that verifies badges",
    "events:checkin_manifest": "the check-in app's manifest: the meeting's title and icons (drafts: 404)",
    "events:checkin_sw": "the check-in app's service worker: file addresses only (drafts: 404)",
    "events:register": "anyone may register",
    "matchmaking:home": "own suggestions; aggregates for others (content row)",
    "matchmaking:calendar_feed": "the secret token is the permission; forged or revoked: a bare 404 "
    "(tests/matchmaking/test_calendar_feed.py)",
    "matchmaking:survey": "the secret token from the e-mail is the permission "
    "(tests/matchmaking/test_outcomes.py)",
    "followup:tracker": "published outcomes (content row)",
    "followup:by_country": "published outcomes",
    "followup:commitments_csv": "published outcomes (content row)",
    "followup:document": "published documents; drafts are rows",
    "followup:recommendation": "published documents; drafts are rows",
    "followup:commitment": "published documents; drafts are rows",
    "knowledge:index": "published cases (content row)",
    "knowledge:case": "published cases; drafts are rows",
    "knowledge:guidebook": "published chapters (content row)",
    "knowledge:export_html": "published chapters (content row); drafts are rows",
    "knowledge:export_pdf": "published chapters; drafts are rows",
    "knowledge:chapter": "published chapters; drafts are rows",
    "portal:dashboard": "public figures (content row)",
    "portal:search": "public things (content row)",
    "portal:open_data": "public downloads (content rows)",
    "portal:oc4ids": "public download (content row)",
    "portal:dataset": "public downloads (content rows)",
    "portal:project_oc4ids": "a published project's package (drafts: tests/portal/test_oc4ids_validator.py)",
    "portal:city_oc4ids": "a city's published projects (drafts: tests/portal/test_oc4ids_validator.py)",
    "portal:changes_feed": "published changes only (tests/portal/test_changes_feed.py)",
    "portal:publication_policy": "public policy page, no data",
    "programmes:list": "published programmes, agreements and councils",
    "programmes:programme": "published studies only",
    "programmes:study": "published studies; drafts are rows",
    "programmes:agreement": "published agreements; drafts are rows",
    "programmes:council": "published councils",
    "programmes:funding": "funding of published projects (tests/programmes/test_funding_dashboard.py)",
}
OUR_NAMESPACES = {
    "registry",
    "projects",
    "events",
    "matchmaking",
    "followup",
    "knowledge",
    "programmes",
    "portal",
    "notices",
    "privacy",
    "mailings",
    None,
}

PUBLIC_API = {
    f"GET {API}/member-states": "public registry",
    f"GET {API}/member-states/{{code}}": "public registry",
    f"GET {API}/cities": "public registry",
    f"GET {API}/cities/{{slug}}": "public registry (names of current and past officers are public)",
    f"GET {API}/organisations": "public registry",
    f"GET {API}/organisations/{{slug}}": "public registry",
    f"GET {API}/projects/{{slug}}": "in the matrix",
    **{
        f"GET {API}/{path}": "published records and linked projects only; tests/api/test_programmes_api.py"
        for path in (
            "programmes",
            "programmes/{slug}",
            "studies",
            "studies/{slug}",
            "agreements",
            "agreements/{slug}",
            "councils",
            "councils/{slug}",
        )
    },
    f"GET {API}/offers": "in the matrix",
    f"POST {API}/meetings/{{slug}}/registrations": "anyone may register (like the public form); tests/api",
    f"POST {API}/webhooks": "creates the caller's own endpoint; tests/api",
}


def _url_names(patterns, namespace=None):
    """(namespace, name) of every named page in our apps' URL files and at the top level."""
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace in OUR_NAMESPACES - {None}:
                yield from _url_names(p.url_patterns, p.namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield namespace, p.name


def test_every_page_is_in_the_matrix_or_public(sec):
    covered = set()
    for row in UI_ROWS:
        path = urlsplit(row.url(sec)).path
        if not path.startswith("/media/"):
            try:
                covered.add(resolve(path).view_name)
            except Resolver404:
                assert row.optional, path
    ours = {f"{ns}:{name}" if ns else name for ns, name in _url_names(get_resolver().url_patterns)}
    missing = sorted(ours - covered - set(PUBLIC_PAGES))
    assert not missing, f"pages neither in the permission matrix nor listed as public: {missing}"


def test_every_api_operation_is_in_the_matrix_or_public(sec):
    from ascnhub.api.api import api

    schema = api.get_openapi_schema()
    operations = {
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    covered = {row.route for row in API_ROWS}
    missing = sorted(operations - covered - set(PUBLIC_API))
    assert not missing, f"API operations neither in the permission matrix nor listed as public: {missing}"


def test_webhook_events_reach_only_who_may_see_the_registration(sec):
    """Approving a registration notifies the endpoints of those who may see it, and no one else's."""
    from ascnhub.api.models import WebhookDelivery

    def approve():
        return sec.clients["secretariat"].post(
            _reg(sec, sec.pending_reg) + "decide/", {"decision": "approve"}
        )

    sid = transaction.savepoint()
    try:
        assert approve().status_code == 302
        reached = {
            role
            for role, endpoint in sec.endpoints.items()
            if WebhookDelivery.objects.filter(endpoint=endpoint, event="registration.approved").exists()
        }
    finally:
        transaction.savepoint_rollback(sid)
    expected = {"nr", *ORGANISERS}
    MATRIX.append(
        (
            "webhook registration.approved",
            "deliveries",
            {
                r: ("ALLOW! " if r in reached - expected else "") + ("sent" if r in reached else "-")
                for r in ROLES
            },
        )
    )
    assert reached == expected
