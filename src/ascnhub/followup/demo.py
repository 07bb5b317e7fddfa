"""Demo outcomes: the 3rd ASEAN–Japan Smart Cities Network HLM's outcome document with its four
recommendations (from the public record), sample commitments by member states, cities and
partners, action items and status updates with evidence; plus short documents for the 2nd and
4th meetings, written for the demo, so carry-overs can be followed across the years.

Idempotent: documents by meeting, recommendations by number, commitments by a fixed UUID; status
updates and action items are written once.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils import timezone

from ascnhub.registry.demo import upsert
from ascnhub.registry.models import City, MemberState, Organisation

from .models import ActionItem, Commitment, OutcomeDocument, Recommendation, StatusUpdate

DOMAIN = "demo.ascnhub.example"
NS = uuid.UUID("a3f1c0de-1d0c-4f7b-9f43-6c1e2b7d9a10")
D = datetime.date.fromisoformat

HLM3 = "asean-japan-hlm-2021"

# The four recommendations of the 3rd HLM (public record, in short).
HLM3_RECOMMENDATIONS = [
    (
        1,
        "Smart cities in every member state; a joint planning guidebook",
        "Continue cooperation towards the realisation of smart cities in every ASEAN member state, and "
        "formulate an ASEAN smart-city planning guidebook jointly by the end of the year.",
    ),
    (
        2,
        "Smart JAMP progress and continued mutual cooperation",
        "Take note of Japan's progress report on Smart JAMP, and continue mutual cooperation with each member "
        "state and ASCN city on the support measures agreed earlier.",
    ),
    (
        3,
        "Three principles for successful smart-city projects",
        "Share three principles for successful smart-city projects — diverse smart cities that meet each city's "
        "needs and actual conditions; smart cities built on diverse participants; open and highly transparent "
        "smart cities — together with Japanese domestic cases that follow them.",
    ),
    (
        4,
        "Holding the High Level Meeting continuously",
        "Hold the ASEAN–Japan Smart Cities Network High Level Meeting continuously.",
    ),
]

# Written for the demo (not quoted): the neighbouring meetings, to show carry-overs.
HLM2_RECOMMENDATIONS = [
    (
        1,
        "Launch Smart JAMP and cooperate with ASCN cities",
        "Demo text: Japan launches the Smart JAMP support programme and works with member states and ASCN "
        "cities on concrete projects.",
        None,
    ),
    (
        2,
        "Hold the High Level Meeting every year",
        "Demo text: hold the ASEAN–Japan Smart Cities Network High Level Meeting every year.",
        None,
    ),
]
HLM4_RECOMMENDATIONS = [
    (
        1,
        "Use the ASEAN smart-city planning guidebook",
        "Demo text: share the guidebook with every ASCN city and keep it up to date with new cases.",
        1,
    ),
    (
        2,
        "Smart JAMP: from studies to projects",
        "Demo text: take the Smart JAMP feasibility studies to pilots and investment.",
        2,
    ),
    (3, "Continue the High Level Meeting", "Demo text: continue the High Level Meeting.", 4),
]
CARRY_2_TO_3 = {2: 1, 4: 2}  # 3rd HLM recommendation -> 2nd HLM recommendation it carries over

# (key, recommendation, party kind, party, what, due,
#  [(date, handle, status, progress, note, evidence)], actions)
COMMITMENTS = [
    (
        "bn-guidebook",
        1,
        "member_state",
        "BN",
        "As ASCN chair, coordinate the member states' drafting of the ASEAN smart-city planning guidebook.",
        "2021-12-31",
        [
            (
                "2021-11-20",
                "nr.bn",
                "in_progress",
                60,
                "Outline agreed with all National Representatives; chapters assigned.",
                "https://asean.org/",
            ),
            (
                "2021-12-20",
                "nr.bn",
                "completed",
                100,
                "Draft guidebook circulated to the member states.",
                "https://asean.org/",
            ),
        ],
        [("Circulate the chapter outline", "ASCN chair", "2021-11-15", "2021-11-12")],
    ),
    (
        "id-process-chapter",
        1,
        "member_state",
        "ID",
        "Write the chapter on process and enablers, with examples from Indonesian cities.",
        "2022-03-31",
        [
            (
                "2022-02-10",
                "nr.id",
                "in_progress",
                50,
                "Outline written; examples from Makassar and Banyuwangi collected.",
                "",
            )
        ],
        [
            (
                "Collect examples from Makassar and Banyuwangi",
                "Directorate General of Regional Administration",
                "2022-01-31",
                "2022-01-28",
            ),
            ("Send the chapter for review", "", "2022-03-31", None),
        ],
    ),
    (
        "th-priority-review",
        1,
        "member_state",
        "TH",
        "Review the chapter on priority areas and add Thai examples.",
        "2027-02-28",
        [("2026-10-05", "nr.th", "in_progress", 30, "Bangkok's Traffy Fondue proposed as an example.", "")],
        [("Propose two Thai examples", "", "2026-12-08", None)],
    ),
    (
        "mlit-guidebook",
        1,
        "organisation",
        "mlit-japan",
        "Support the drafting with Japanese domestic cases and editing.",
        "2021-12-31",
        [
            (
                "2021-12-15",
                "sato.kenji",
                "completed",
                100,
                "Japanese cases (Kashiwa-no-ha, Aizuwakamatsu, Toyama, "
                "Takamatsu) delivered to the drafting team.",
                "https://www.mlit.go.jp/",
            )
        ],
        [],
    ),
    (
        "mlit-smart-jamp",
        2,
        "organisation",
        "mlit-japan",
        "Report on Smart JAMP every year: feasibility studies and projects in ASCN cities.",
        "2022-12-05",
        [
            (
                "2022-12-05",
                "sato.kenji",
                "completed",
                100,
                "Progress report presented at the 4th High Level Meeting.",
                "https://www.mlit.go.jp/",
            )
        ],
        [],
    ),
    (
        "da-nang-its",
        2,
        "city",
        "da-nang",
        "Take the Smart JAMP study on intelligent transport to a pilot on two corridors.",
        "2023-06-30",
        [
            ("2022-09-01", "csco.da-nang", "in_progress", 40, "Corridors chosen; traffic counts done.", ""),
            (
                "2023-05-15",
                "csco.da-nang",
                "delayed",
                55,
                "Procurement of the signal controllers takes longer than planned.",
                "",
            ),
        ],
        [("Publish the tender for signal controllers", "Department of Transport", "2023-03-31", None)],
    ),
    (
        "makassar-flood",
        2,
        "city",
        "makassar",
        "Pilot a flood early-warning system with river-level sensors in two districts.",
        "2026-12-10",
        [
            (
                "2025-08-01",
                "csco.makassar",
                "in_progress",
                45,
                "Twelve sensors installed on the Tallo river.",
                "https://makassarkota.go.id/",
            )
        ],
        [("Train the district disaster teams", "BPBD Makassar", "2026-12-05", None)],
    ),
    (
        "jasca-casebook",
        3,
        "organisation",
        "jasca",
        "Publish Japanese domestic cases that follow the three principles, in English.",
        "2022-03-31",
        [
            (
                "2022-03-25",
                "yamamoto.aiko",
                "completed",
                100,
                "Casebook published and shared with ASCN cities.",
                "https://www.mlit.go.jp/",
            )
        ],
        [],
    ),
    (
        "phuket-open-data",
        3,
        "city",
        "phuket",
        "Open the city data platform: publish open data sets with a licence anyone may reuse.",
        "2026-12-31",
        [
            (
                "2026-06-30",
                "csco.phuket",
                "in_progress",
                70,
                "Twenty data sets published; licence adopted.",
                "",
            )
        ],
        [],
    ),
    (
        "kl-participation",
        3,
        "city",
        "kuala-lumpur",
        "Set up a residents' and businesses' panel to co-design smart-city projects.",
        "2026-09-30",
        [],
        [],
    ),
    (
        "mlit-hlm",
        4,
        "organisation",
        "mlit-japan",
        "Host the 4th ASEAN–Japan Smart Cities Network High Level Meeting.",
        "2022-12-31",
        [
            (
                "2022-12-05",
                "sato.kenji",
                "completed",
                100,
                "Held in Aizuwakamatsu and J-Village, Fukushima, 4–5 December 2022.",
                "https://www.mlit.go.jp/",
            )
        ],
        [],
    ),
    # Under the 2nd and 4th meetings' (demo) recommendations: (meeting year, number).
    (
        "mlit-launch-jamp",
        (2020, 1),
        "organisation",
        "mlit-japan",
        "Launch Smart JAMP and call for city projects.",
        "2021-03-31",
        [
            (
                "2021-03-30",
                "sato.kenji",
                "completed",
                100,
                "First Smart JAMP projects selected.",
                "https://www.mlit.go.jp/",
            )
        ],
        [],
    ),
    (
        "mlit-hlm3",
        (2020, 2),
        "organisation",
        "mlit-japan",
        "Host the 3rd High Level Meeting.",
        "2021-12-31",
        [
            (
                "2021-10-19",
                "sato.kenji",
                "completed",
                100,
                "Held in Tokoname, Aichi, and online, 18–19 October 2021.",
                "https://www.mlit.go.jp/",
            )
        ],
        [],
    ),
    (
        "id-guidebook-translation",
        (2022, 1),
        "member_state",
        "ID",
        "Translate the guidebook into Indonesian and share it with every Indonesian ASCN city.",
        "2027-06-30",
        [("2026-09-15", "nr.id", "in_progress", 40, "Three chapters translated.", "")],
        [],
    ),
    (
        "vn-hlm",
        4,
        "member_state",
        "VN",
        "Take part in every High Level Meeting with a delegation of the National Representative and ASCN "
        "cities.",
        "2027-12-31",
        [],
        [],
    ),
]


def _user(handle: str):
    return get_user_model().objects.filter(email=f"{handle}@{DOMAIN}").first()


def _meeting(slug: str):
    from ascnhub.events.models import Meeting

    return Meeting.objects.filter(slug=slug).first()


def _document(where: str, meeting, title: str, adopted: str, summary: str) -> OutcomeDocument:
    return upsert(
        OutcomeDocument,
        where,
        {"meeting": meeting},
        {
            "title": title,
            "adopted_on": D(adopted),
            "summary": summary,
            "published": True,
            "is_demo": True,
            "source_url": "https://www.mlit.go.jp/",
        },
    )


def _recs(where: str, doc: OutcomeDocument, items, carried: dict[int, Recommendation] | None = None):
    out = {}
    for item in items:
        number, title, text = item[:3]
        earlier = carried.get(item[3]) if carried and len(item) > 3 and item[3] else None
        out[number] = upsert(
            Recommendation,
            f"{where} recommendation {number}",
            {"document": doc, "number": number},
            {"title": title, "text": text, "carried_from": earlier},
        )
    return out


def load(say: Callable[[str], None] = print) -> dict[str, int]:
    meeting3 = _meeting(HLM3)
    if meeting3 is None:
        say("Follow-up: the 3rd HLM meeting is not in the database; outcomes not loaded.")
        return {"documents": 0}
    recs2: dict[int, Recommendation] = {}
    recs4: dict[int, Recommendation] = {}
    meeting2 = _meeting("asean-japan-hlm-2020")
    if meeting2 is not None:
        doc2 = _document(
            "2nd HLM outcome",
            meeting2,
            "Outcome document of the 2nd ASEAN–Japan Smart Cities Network High Level Meeting",
            "2020-12-16",
            "Demo: the recommendations of this document are written for illustration, not quoted.",
        )
        recs2 = _recs("2nd HLM", doc2, [(*r[:3],) for r in HLM2_RECOMMENDATIONS])
    doc3 = _document(
        "3rd HLM outcome",
        meeting3,
        "Outcome document of the 3rd ASEAN–Japan Smart Cities Network High Level Meeting",
        "2021-10-19",
        "Held in Tokoname, Aichi, and online on 18–19 October 2021, co-chaired by Japan and "
        "Brunei Darussalam as ASCN chair. The meeting made four recommendations.",
    )
    recs3 = _recs(
        "3rd HLM",
        doc3,
        [(n, t, x, n) for n, t, x in HLM3_RECOMMENDATIONS],
        {n: recs2[CARRY_2_TO_3[n]] for n in CARRY_2_TO_3 if CARRY_2_TO_3[n] in recs2},
    )
    meeting4 = _meeting("asean-japan-hlm-2022")
    if meeting4 is not None:
        doc4 = _document(
            "4th HLM outcome",
            meeting4,
            "Outcome document of the 4th ASEAN–Japan Smart Cities Network High Level Meeting",
            "2022-12-05",
            "Demo: the recommendations of this document are written for illustration, not quoted.",
        )
        recs4 = _recs("4th HLM", doc4, HLM4_RECOMMENDATIONS, recs3)

    states = {s.code: s for s in MemberState.objects.all()}
    cities = {c.slug: c for c in City.objects.all()}
    orgs = {o.slug: o for o in Organisation.objects.filter(slug__in=["mlit-japan", "jasca"])}
    n_commitments = n_updates = 0
    for key, rec_no, kind, party, what, due, updates, actions in COMMITMENTS:
        target = {"member_state": states, "city": cities, "organisation": orgs}[kind].get(party)
        year, number = rec_no if isinstance(rec_no, tuple) else (2021, rec_no)
        recommendation = {2020: recs2, 2021: recs3, 2022: recs4}[year].get(number)
        if target is None or recommendation is None:
            continue
        final = updates[-1] if updates else None
        c = upsert(
            Commitment,
            f"commitment {key}",
            {"public_id": uuid.uuid5(NS, key)},
            {
                "recommendation": recommendation,
                "party_kind": kind,
                "member_state": None,
                "city": None,
                "organisation": None,
                kind: target,
                "description": what,
                "due_date": D(due),
                "status": final[2] if final else "planned",
                "progress": final[3] if final else 0,
                "is_demo": True,
            },
        )
        n_commitments += 1
        if not c.updates.exists():
            previous = "planned"
            for day, handle, status, progress, note, evidence in updates:
                user = _user(handle)
                StatusUpdate.objects.create(
                    public_id=uuid.uuid5(NS, f"{key}/{day}"),
                    commitment=c,
                    author=user,
                    author_name=getattr(getattr(user, "person", None), "name", "") or handle,
                    created_at=timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T10:00:00")),
                    status=status,
                    previous_status=previous,
                    progress=progress,
                    note=note,
                    evidence_url=evidence,
                )
                previous = status
                n_updates += 1
        if not c.actions.exists():
            for title, owner, action_due, done in actions:
                ActionItem.objects.create(
                    commitment=c,
                    title=title,
                    owner=owner,
                    due_date=D(action_due),
                    done_on=D(done) if done else None,
                )
    say(
        f"Follow-up: {OutcomeDocument.objects.count()} outcome documents, {n_commitments} commitments, "
        f"{n_updates} status updates written now."
    )
    return {"documents": OutcomeDocument.objects.count(), "commitments": n_commitments}
