"""Demo meetings: the ASEAN–Japan High Level Meetings (from the public record), and the 3rd one
(Tokoname, Aichi, 18–19 October 2021, hybrid) in full: rooms, sessions, categories and about 1,200
invented registrants, so every page is seen at real scale.

Idempotent (natural keys; the registrants of the demo meeting are recreated with fixed UUIDs)
and quick: registrants are written with bulk_create.
"""

from __future__ import annotations

import datetime
import random
import uuid
import zoneinfo
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from ascnhub.common.permissions import SECRETARIAT_GROUP
from ascnhub.registry.demo import upsert
from ascnhub.registry.models import Organisation, Person

from . import services
from .models import (
    AgendaVersion,
    CheckIn,
    Format,
    Meeting,
    Mode,
    OnlineAttendance,
    Registration,
    RegistrationCategory,
    Room,
    Session,
    SessionSpeaker,
)

SLUG = "asean-japan-hlm-2021"
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NS = uuid.UUID("5b0c7c1e-8c1a-4b8e-9a55-2e4d1f6a0c21")
DOMAIN = "demo.ascnhub.example"

# The public record of the series (also in shared/data/asean-japan-hlm.csv).
HLM = [
    (
        1,
        "2019-10-08",
        "2019-10-09",
        "Yokohama, Kanagawa, Japan",
        "in_person",
        "JASCA launched as the main vehicle; public-private business matching",
    ),
    (2, "2020-12-16", "2020-12-16", "Online", "online", "Smart JAMP announced; outcome document adopted"),
    (
        3,
        "2021-10-18",
        "2021-10-19",
        "Tokoname, Aichi, Japan",
        "hybrid",
        "Smart JAMP progress; four recommendations including a joint ASEAN smart-city planning guidebook",
    ),
    (
        4,
        "2022-12-04",
        "2022-12-05",
        "Aizuwakamatsu and J-Village, Fukushima, Japan",
        "hybrid",
        "Smart JAMP progress; public-private matching session",
    ),
    (
        5,
        "2023-10-26",
        "2023-10-27",
        "Tsukuba, Ibaraki, Japan",
        "hybrid",
        "Resilience and disaster prevention (DX); business matching via JASCA",
    ),
    (
        6,
        "2024-10-29",
        "2024-10-30",
        "Tokyo (Miraikan), Japan",
        "hybrid",
        "Green transformation (GX); business matching; 31 ASCN cities",
    ),
    (
        7,
        "2025-11-10",
        "2025-11-11",
        "Takamatsu, Kagawa, Japan",
        "hybrid",
        "Inclusivity; public-private business matching",
    ),
]
ORDINAL = {1: "1st", 2: "2nd", 3: "3rd"}

CATEGORIES = [
    # code, name, kind, colour, capacity, approval, default mode, mode choice, questions
    (
        "government",
        "Government delegation",
        "government",
        "#0b4f8a",
        300,
        "nr",
        "in_person",
        True,
        [
            {
                "name": "ministry_unit",
                "label": "Ministry or unit",
                "type": "text",
                "required": True,
                "translations": {"id": {"label": "Kementerian atau unit"}, "ja": {"label": "省庁・部局"}},
            }
        ],
    ),
    (
        "city",
        "City delegation",
        "city",
        "#1d6b3a",
        350,
        "nr",
        "online",
        True,
        [
            {
                "name": "city",
                "label": "City",
                "type": "text",
                "required": True,
                "translations": {"id": {"label": "Kota"}, "ja": {"label": "都市"}},
            }
        ],
    ),
    (
        "private",
        "Private sector",
        "private",
        "#8a5a00",
        400,
        "organiser",
        "in_person",
        True,
        [
            {
                "name": "sector",
                "label": "Sector",
                "type": "choice",
                "required": True,
                "choices": [
                    "Mobility",
                    "Water",
                    "Energy",
                    "Digital government",
                    "Disaster resilience",
                    "Health",
                    "Other",
                ],
                "translations": {
                    "id": {
                        "label": "Sektor",
                        "choices": {
                            "Mobility": "Mobilitas",
                            "Water": "Air",
                            "Energy": "Energi",
                            "Digital government": "Pemerintahan digital",
                            "Disaster resilience": "Ketahanan bencana",
                            "Health": "Kesehatan",
                            "Other": "Lainnya",
                        },
                    },
                    "ja": {
                        "label": "分野",
                        "choices": {
                            "Mobility": "モビリティ",
                            "Water": "水",
                            "Energy": "エネルギー",
                            "Digital government": "デジタル行政",
                            "Disaster resilience": "防災",
                            "Health": "保健・医療",
                            "Other": "その他",
                        },
                    },
                },
            },
            {
                "name": "matchmaking",
                "label": "I want business matchmaking meetings",
                "type": "boolean",
                "translations": {
                    "id": {"label": "Saya ingin pertemuan penjajakan bisnis"},
                    "ja": {"label": "ビジネスマッチングの面談を希望する"},
                },
            },
        ],
    ),
    ("partner", "Partner", "partner", "#6b2e8a", 100, "organiser", "in_person", True, []),
    (
        "media",
        "Media",
        "media",
        "#a3262a",
        40,
        "organiser",
        "in_person",
        False,
        [
            {
                "name": "outlet",
                "label": "Media outlet",
                "type": "text",
                "required": True,
                "translations": {"id": {"label": "Media"}, "ja": {"label": "報道機関名"}},
            }
        ],
    ),
    ("organiser", "Organiser", "organiser", "#333333", None, "organiser", "in_person", False, []),
]

# The category names in the interface languages (the organisers write them in the admin).
CATEGORY_NAMES = {
    "government": {"id": "Delegasi pemerintah", "ja": "政府代表団"},
    "city": {"id": "Delegasi kota", "ja": "都市代表団"},
    "private": {"id": "Sektor swasta", "ja": "民間企業"},
    "partner": {"id": "Mitra", "ja": "パートナー"},
    "media": {"id": "Media", "ja": "報道関係者"},
    "organiser": {"id": "Panitia", "ja": "主催者"},
}

ROOMS = [
    ("Main Hall", 800),
    ("Hall B", 300),
    ("Room 201", 120),
    ("Room 202", 120),
    ("Matchmaking Floor", 400),
]

# (day, start, end, title, kind, room, track, theme, interpretation, signup, speakers [(email, role)])
SESSIONS = [
    (
        1,
        "09:30",
        "10:15",
        "Opening ceremony",
        "ceremony",
        "Main Hall",
        "",
        "Welcome by the host and the ASCN chair",
        "en,ja",
        False,
        [("sato.kenji", "speaker"), ("nr.bn", "speaker")],
    ),
    (1, "10:15", "10:30", "Break", "break", "", "", "", "", False, []),
    (
        1,
        "10:30",
        "12:00",
        "Panel 1: Smart JAMP — progress of the city projects",
        "panel",
        "Main Hall",
        "",
        "What the feasibility studies found, city by city",
        "en,ja",
        False,
        [
            ("siti.rahmawati", "moderator"),
            ("csco.bangkok", "speaker"),
            ("csco.da-nang", "speaker"),
            ("csco.makassar", "speaker"),
        ],
    ),
    (1, "12:00", "13:30", "Lunch", "break", "", "", "", "", False, []),
    (
        1,
        "13:30",
        "15:00",
        "Panel 2: Digital transformation for resilient cities",
        "panel",
        "Main Hall",
        "A",
        "Data platforms, early warning and city operation centres",
        "en,ja",
        False,
        [("lim.hui.min", "moderator"), ("takahashi.ryo", "speaker"), ("csco.phuket", "speaker")],
    ),
    (
        1,
        "13:30",
        "15:00",
        "Panel 3: Green and low-carbon urban development",
        "panel",
        "Hall B",
        "B",
        "Energy, mobility and buildings",
        "en,ja",
        False,
        [("chatchai.boonmee", "speaker"), ("csco.kuala-lumpur", "speaker"), ("rajesh.kumar", "moderator")],
    ),
    (
        1,
        "15:15",
        "16:30",
        "Panel 4: Towards a joint ASEAN smart-city planning guidebook",
        "panel",
        "Main Hall",
        "",
        "The four recommendations of the meeting",
        "en,ja",
        False,
        [("nr.id", "speaker"), ("nr.th", "speaker"), ("yamamoto.aiko", "moderator")],
    ),
    (1, "16:30", "17:00", "Closing of day 1", "ceremony", "Main Hall", "", "", "en,ja", False, []),
    (
        2,
        "09:30",
        "12:00",
        "Business matchmaking block 1",
        "matchmaking",
        "Matchmaking Floor",
        "",
        "Pre-arranged 1:1 meetings between cities and companies (JASCA)",
        "",
        False,
        [],
    ),
    (
        2,
        "09:30",
        "11:00",
        "Forum: Mobility and transport",
        "forum",
        "Room 201",
        "Forum",
        "Adaptive traffic control, MaaS and bus rapid transit",
        "en,ja",
        True,
        [("kobayashi.daiki", "speaker"), ("csco.cebu-city", "speaker")],
    ),
    (
        2,
        "09:30",
        "11:00",
        "Forum: Water and environment",
        "forum",
        "Room 202",
        "Forum",
        "Non-revenue water, flood sensing, waste",
        "en,ja",
        True,
        [("nakamura.yui", "speaker"), ("csco.vientiane", "speaker")],
    ),
    (2, "12:00", "13:00", "Lunch", "break", "", "", "", "", False, []),
    (
        2,
        "13:00",
        "15:30",
        "Business matchmaking block 2",
        "matchmaking",
        "Matchmaking Floor",
        "",
        "Pre-arranged 1:1 meetings between cities and companies (JASCA)",
        "",
        False,
        [],
    ),
    (
        2,
        "13:00",
        "14:30",
        "Forum: Digital government and open data",
        "forum",
        "Room 201",
        "Forum",
        "Citizen apps, data portals and digital twins",
        "en,ja",
        True,
        [("do.quang.huy", "speaker"), ("putri.maharani", "speaker")],
    ),
    (
        2,
        "14:45",
        "16:15",
        "Forum: Disaster resilience",
        "forum",
        "Room 202",
        "Forum",
        "Early warning and recovery",
        "en,ja",
        True,
        [("takahashi.ryo", "speaker"), ("csco.davao-city", "speaker")],
    ),
    (
        2,
        "16:30",
        "17:15",
        "Closing session and chair's summary",
        "ceremony",
        "Main Hall",
        "",
        "Adoption of the chair's summary",
        "en,ja",
        False,
        [("nr.bn", "speaker"), ("sato.kenji", "speaker")],
    ),
]

# Invented names by country: (given names, family names, order: "gf" given-family / "fg" family-given).
NAMES = {
    "ID": (
        ["Agus", "Sri", "Dewi", "Budi", "Rina", "Wahyu", "Intan", "Eko", "Fitri", "Hendra"],
        ["Santoso", "Wijaya", "Lestari", "Saputra", "Hidayat", "Pratiwi", "Nugroho", "Kusuma"],
        "gf",
    ),
    "JP": (
        ["健太", "美咲", "翔", "由美", "大輔", "陽子", "Haruto", "Yui", "Ren", "Aoi"],
        ["佐藤", "鈴木", "高橋", "田中", "Watanabe", "Ito", "Yamamoto", "Nakamura"],
        "fg",
    ),
    "TH": (
        ["สมชาย", "สุดา", "Anan", "Kanya", "Prasit", "Malee", "ณัฐพล", "Siriporn"],
        ["ศรีสุข", "Wongsawat", "Chaiyasit", "รัตนกุล", "Boonsong", "Phromma"],
        "gf",
    ),
    "KH": (
        ["សុខា", "ចាន់ធា", "Sokha", "Dara", "Sreymom", "Vannak", "Bopha", "Rithy"],
        ["Chan", "Sok", "ហេង", "Kim", "Ly", "Meas"],
        "fg",
    ),
    "VN": (
        ["Lan", "Minh", "Hoa", "Tuan", "Thu", "Dung", "Huong", "Quang"],
        ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang"],
        "fg",
    ),
    "MY": (
        ["Aisyah", "Hafiz", "Nurul", "Amir", "Mei Ling", "Arjun", "Farah"],
        ["Rahman", "Ismail", "Tan", "Abdullah", "Lim", "Ramasamy"],
        "gf",
    ),
    "PH": (
        ["Maria", "Jose", "Angelica", "Paolo", "Kristine", "Mark"],
        ["Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza"],
        "gf",
    ),
    "SG": (
        ["Wei Ling", "Kumar", "Siew Mei", "Daniel", "Hui Min"],
        ["Tan", "Lim", "Ng", "Rajan", "Goh"],
        "fg",
    ),
    "LA": (
        ["Bounmy", "Khamla", "Somphone", "Vanh", "ສົມພອນ"],
        ["Phommachanh", "Sisouk", "Vongsa", "Keomany"],
        "gf",
    ),
    "MM": (["Aung", "Thida", "Kyaw", "Hnin", "Zaw"], ["Win", "Htun", "Myint", "Oo", "Naing"], "gf"),
    "BN": (["Haziq", "Nurul", "Aziz", "Siti"], ["Omar", "Yusof", "Hamid", "Salleh"], "gf"),
    "KR": (["Ji-woo", "Min-jun", "Seo-yeon"], ["Kim", "Lee", "Park"], "fg"),
}
CATEGORY_MIX = [
    ("government", 230),
    ("city", 330),
    ("private", 420),
    ("partner", 90),
    ("media", 35),
    ("organiser", 95),
]


def _at(day: int, hhmm: str) -> datetime.datetime:
    h, m = (int(x) for x in hhmm.split(":"))
    return datetime.datetime(2021, 10, 17 + day, h, m, tzinfo=TOKYO)


def _people_by_handle() -> dict[str, Person]:
    people = {}
    for p in Person.objects.filter(email__endswith=DOMAIN):
        people[p.email.split("@")[0]] = p
    return people


def _load_series(say: Callable[[str], None]) -> None:
    mlit = Organisation.objects.filter(slug="mlit-japan").first()
    for number, start, end, place, fmt, theme in HLM:
        if number == 3:
            continue
        ordinal = ORDINAL.get(number, f"{number}th")
        slug = f"asean-japan-hlm-{start[:4]}"
        upsert(
            Meeting,
            f"HLM {number}",
            {"slug": slug},
            {
                "title": f"{ordinal} ASEAN–Japan Smart Cities Network High Level Meeting",
                "kind": Meeting.Kind.PARTNER_HLM,
                "host": mlit,
                "place": place,
                "venue": "",
                "timezone": "Asia/Tokyo",
                "start_date": datetime.date.fromisoformat(start),
                "end_date": datetime.date.fromisoformat(end),
                "format": fmt,
                "theme": theme,
                "languages": "en,ja",
                "status": Meeting.Status.HELD if start < "2026" else Meeting.Status.OPEN,
            },
        )


def load(say: Callable[[str], None] = print) -> dict[str, int]:
    """Load or refresh the demo meetings; returns counts."""
    _load_series(say)
    mlit = Organisation.objects.filter(slug="mlit-japan").first()
    meeting = upsert(
        Meeting,
        "3rd HLM",
        {"slug": SLUG},
        {
            "title": "3rd ASEAN–Japan Smart Cities Network High Level Meeting",
            "kind": Meeting.Kind.PARTNER_HLM,
            "host": mlit,
            "venue": "Aichi Sky Expo (Aichi International Exhibition Center)",
            "place": "Tokoname, Aichi, Japan",
            "timezone": "Asia/Tokyo",
            "start_date": datetime.date(2021, 10, 18),
            "end_date": datetime.date(2021, 10, 19),
            "format": Format.HYBRID,
            "languages": "en,ja",
            "theme": (
                "Smart JAMP progress; four recommendations including a joint ASEAN smart-city planning "
                "guidebook"
            ),
            # Kept open in the demo so registration, approval and check-in can be tried out.
            "status": Meeting.Status.OPEN,
            "badge_valid_days": 3650,
        },
    )
    brunei = Organisation.objects.filter(kind="ministry", country="BN").first()
    meeting.co_chairs.set([o for o in (mlit, brunei) if o])
    User = get_user_model()
    sec = User.objects.filter(email=f"secretariat@{DOMAIN}").first()
    mlit_staff = User.objects.filter(email=f"sato.kenji@{DOMAIN}").first()
    meeting.organisers.set([u for u in (sec, mlit_staff) if u])
    jasca = User.objects.filter(email=f"yamamoto.aiko@{DOMAIN}").first()
    meeting.check_in_staff.set([u for u in (jasca,) if u])
    group = Group.objects.filter(name=SECRETARIAT_GROUP).first()
    if group:
        group.permissions.add(*Permission.objects.filter(content_type__app_label="events"))

    rooms = {
        name: upsert(Room, f"room {name}", {"meeting": meeting, "name": name}, {"capacity": cap})
        for name, cap in ROOMS
    }
    categories = {}
    for order, (code, name, kind, colour, cap, approval, mode, choice, questions) in enumerate(CATEGORIES):
        key = {"meeting": meeting, "code": code}
        categories[code] = upsert(
            RegistrationCategory,
            f"category {code}",
            key,
            {
                "name": name,
                "kind": kind,
                "colour": colour,
                "capacity": cap,
                "approval": approval,
                "default_mode": mode,
                "mode_choice": choice,
                "questions": questions,
                "translations": CATEGORY_NAMES.get(code, {}),
                "order": order,
                "is_public": code != "organiser",
            },
        )

    people = _people_by_handle()
    sessions = []
    for n, session_row in enumerate(SESSIONS):
        day, start, end, title, kind, room, track, theme, interp, signup, speakers = session_row
        public_id = uuid.uuid5(NS, f"session-{n}")
        s = upsert(
            Session,
            f"session {title}",
            {"public_id": public_id},
            {
                "meeting": meeting,
                "title": title,
                "kind": kind,
                "starts_at": _at(day, start),
                "ends_at": _at(day, end),
                "room": rooms.get(room),
                "track": track,
                "theme": theme,
                "interpretation": interp,
                "signup_required": signup,
                "online_url": "" if kind == "break" else f"https://meet.demo.ascnhub.example/hlm2021/{n}",
            },
        )
        SessionSpeaker.objects.filter(session=s).delete()
        SessionSpeaker.objects.bulk_create(
            [
                SessionSpeaker(session=s, person=people[h], role=role, order=i)
                for i, (h, role) in enumerate(speakers)
                if h in people
            ]
        )
        sessions.append(s)
    Session.objects.filter(meeting=meeting).exclude(pk__in=[s.pk for s in sessions]).delete()

    rng = random.Random(2021)
    countries = list(NAMES)
    weights = [14, 18, 10, 7, 9, 8, 7, 6, 5, 5, 4, 3]
    orgs_by_country: dict[str, list[str]] = {}
    for o in Organisation.objects.all():
        orgs_by_country.setdefault(o.country, []).append(o.name)
    regs = []
    n = 0
    for code, count in CATEGORY_MIX:
        cat = categories[code]
        for _ in range(count):
            n += 1
            country = rng.choices(countries, weights)[0]
            if code in ("government", "city") and country in ("JP", "KR"):
                country = rng.choice(["ID", "TH", "VN", "KH", "PH"])
            given, family, order = NAMES[country]
            g, f = rng.choice(given), rng.choice(family)
            cjk = any(ord(ch) > 0x2E80 for ch in g + f) and country == "JP"
            name = f"{f}{g}" if cjk else (f"{f} {g}" if order == "fg" else f"{g} {f}")
            org = rng.choice(orgs_by_country.get(country) or [f"Invented Organisation {country}"])
            mode = Mode.ONLINE if rng.random() < (0.55 if code == "city" else 0.3) else Mode.IN_PERSON
            if not cat.mode_choice:
                mode = cat.default_mode
            r = rng.random()
            status = (
                "approved"
                if r < 0.86
                else "pending"
                if r < 0.93
                else "waitlisted"
                if r < 0.96
                else "cancelled"
                if r < 0.98
                else "rejected"
            )
            regs.append(
                Registration(
                    public_id=uuid.uuid5(NS, f"reg-{n}"),
                    secret=uuid.uuid5(NS, f"secret-{n}").hex,
                    meeting=meeting,
                    category=cat,
                    name=name,
                    email=f"participant{n:04d}@{DOMAIN}",
                    organisation_name=org,
                    job_title="",
                    country=country,
                    language={"JP": "ja", "ID": "id"}.get(country, "en"),
                    timezone=(
                        "Asia/Tokyo"
                        if country == "JP"
                        else "Asia/Jakarta"
                        if country == "ID"
                        else "Asia/Bangkok"
                    ),
                    mode=mode,
                    status=status,
                    consent_list=rng.random() < 0.8,
                    answers={},
                )
            )
    # Waiting lists only where a category is full, as the registration service would have it.
    for cat in categories.values():
        mine = [r for r in regs if r.category is cat]
        holders = [r for r in mine if r.status in Registration.HOLDS_PLACE]
        # Places held by registrations other apps' demos made (their people at this meeting).
        others = (
            Registration.objects.filter(category=cat, status__in=Registration.HOLDS_PLACE)
            .exclude(public_id__in=[r.public_id for r in mine])
            .count()
        )
        room = None if cat.capacity is None else max(cat.capacity - others - 3, 0)  # 3: showcase badges
        if room is not None:
            for r in holders[room:]:
                r.status = Registration.Status.WAITLISTED
        if room is None or len(holders) < room:
            for r in mine:
                if r.status == Registration.Status.WAITLISTED:
                    r.status = Registration.Status.PENDING
    # Three names whose scripts must print on badges: Japanese, Thai and Khmer.
    for handle, name, country, org in [
        ("showcase-ja", "山田 花子", "JP", "愛知県庁"),
        ("showcase-th", "สมศรี ใจดี", "TH", "กรุงเทพมหานคร"),
        ("showcase-km", "សុខ ចាន់ថា", "KH", "រាជធានីភ្នំពេញ"),
    ]:
        n += 1
        regs.append(
            Registration(
                public_id=uuid.uuid5(NS, handle),
                secret=uuid.uuid5(NS, f"secret-{handle}").hex,
                meeting=meeting,
                category=categories["government"],
                name=name,
                email=f"{handle}@{DOMAIN}",
                organisation_name=org,
                country=country,
                language="ja" if country == "JP" else "en",
                mode=Mode.IN_PERSON,
                status="approved",
                consent_list=True,
                answers={},
                timezone="Asia/Tokyo",
            )
        )
    # Recreate our own invented registrants (fixed ids); registrations other apps' demos add stay.
    Registration.objects.filter(public_id__in=[r.public_id for r in regs]).delete()
    Registration.objects.bulk_create(regs, batch_size=500)
    approved = list(
        Registration.objects.filter(public_id__in=[r.public_id for r in regs], status="approved").values_list(
            "id", "mode"
        )
    )
    in_person = [rid for rid, mode in approved if mode == Mode.IN_PERSON]
    online = [rid for rid, mode in approved if mode == Mode.ONLINE]
    CheckIn.objects.bulk_create(
        [
            CheckIn(registration_id=rid, day=datetime.date(2021, 10, 18), method="token")
            for rid in in_person[: int(len(in_person) * 0.9)]
        ]
    )
    plenary = [s for s in sessions if s.kind in ("ceremony", "panel")]
    OnlineAttendance.objects.bulk_create(
        [
            OnlineAttendance(registration_id=rid, session=s)
            for rid in online[: int(len(online) * 0.8)]
            for s in plenary[:2]
        ]
    )

    AgendaVersion.objects.filter(meeting=meeting).delete()
    services.publish_agenda(None, meeting, "Programme as held.")
    counts = {"meetings": Meeting.objects.count(), "sessions": len(sessions), "registrations": len(regs)}
    say("events: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return counts
