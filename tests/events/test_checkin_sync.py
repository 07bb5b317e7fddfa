"""Several check-in devices, one truth: the sync endpoint the check-in web app sends its queue to.

Each test acts as a device would: it asks the server for its device key over HTTP, signs its
queue entries with it (HMAC-SHA256 over the documented fields, one per line) and posts them.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import uuid
import zoneinfo

import pytest

from ascnhub.common.models import ActivityLog
from ascnhub.events import badge_codes, services
from ascnhub.events.models import CheckIn, Scan, SessionCheckIn
from tests.events.factories import CategoryFactory, MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def tokyo(hour: int, minute: int, day: int = 18) -> str:
    return datetime.datetime(2021, 10, day, hour, minute, tzinfo=TOKYO).isoformat()


class Device:
    """A phone running the check-in app, signed in as `user`, for `slug`."""

    def __init__(self, client, slug: str):
        self.client, self.slug, self.id = client, slug, f"phone-{uuid.uuid4().hex[:8]}"
        answer = client.get(f"/meetings/{slug}/check-in/app/device-key/?device={self.id}")
        assert answer.status_code == 200, answer.content
        self.key = base64.b64decode(answer.json()["key"])

    def post(self, path: str, data):
        return self.client.post(
            f"/meetings/{self.slug}/check-in/app/{path}", json.dumps(data), content_type="application/json"
        )

    def entry(self, *, token="", code="", at=None, entrance="North entrance", session="") -> dict:
        entry = {
            "id": str(uuid.uuid4()),
            "device": self.id,
            "token": token,
            "code": code,
            "at": at or tokyo(9, 12),
            "entrance": entrance,
            "session": session,
        }
        return self.sign(entry)

    def sign(self, entry: dict) -> dict:
        fields = ["id", "device", "token", "code", "at", "entrance", "session"]
        message = "\n".join(str(entry[f]) for f in fields).encode()
        entry["mac"] = hmac.new(self.key, message, hashlib.sha256).hexdigest()
        return entry

    def sync(self, entries: list[dict]) -> list[dict]:
        response = self.post("sync/", {"entries": entries})
        assert response.status_code == 200, response.content
        return response.json()["results"]


@pytest.fixture
def staff(network, hlm, client_for):
    hlm.meeting.check_in_staff.add(network.outsider)
    return client_for(network.outsider)


def _written() -> tuple[int, int, int, int]:
    return (
        Scan.objects.count(),
        CheckIn.objects.count(),
        SessionCheckIn.objects.count(),
        ActivityLog.objects.count(),
    )


def test_three_badges_check_in_and_a_resent_queue_changes_nothing(staff, hlm):
    regs = [RegistrationFactory(meeting=hlm.meeting, category=hlm.private) for _ in range(3)]
    phone = Device(staff, "hlm-test")
    queue = [phone.entry(token=services.badge_token(r), at=tokyo(9, 10 + i)) for i, r in enumerate(regs)]
    results = phone.sync(queue)
    assert [r["outcome"] for r in results] == ["ok", "ok", "ok"]
    assert [r["name"] for r in results] == [r.name for r in regs]
    stored = {c.registration_id: c for c in CheckIn.objects.all()}
    assert set(stored) == {r.pk for r in regs}
    first = stored[regs[0].pk]
    assert first.entrance == "North entrance" and first.day == datetime.date(2021, 10, 18)
    assert first.scanned_at == datetime.datetime(2021, 10, 18, 9, 10, tzinfo=TOKYO)

    before = _written()
    again = phone.sync(queue)  # the network dropped before the answer came: the device re-sends
    assert _written() == before
    assert [r["outcome"] for r in again] == ["ok", "ok", "ok"]


def test_the_earliest_scan_by_device_time_wins_across_devices(network, hlm, client_for, staff):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.private)
    token = services.badge_token(reg)
    north, south = Device(staff, "hlm-test"), Device(client_for(network.outsider), "hlm-test")

    late = north.entry(token=token, at=tokyo(9, 20), entrance="North entrance")
    assert north.sync([late])[0]["outcome"] == "ok"
    # The south door scanned earlier, offline, and syncs afterwards: its scan is the check-in.
    early = south.entry(token=token, at=tokyo(9, 12), entrance="South entrance")
    answer = south.sync([early])[0]
    assert answer["outcome"] == "ok"
    check_in = CheckIn.objects.get(registration=reg)
    assert (check_in.entrance, check_in.when) == (
        "South entrance",
        datetime.datetime(2021, 10, 18, 9, 12, tzinfo=TOKYO),
    )
    # North re-sends its queue: its scan is now the second one.
    resent = north.sync([late])[0]
    assert resent["outcome"] == "again"
    assert resent["message"] == "Already checked in at 09:12 at South entrance."
    # A later scan anywhere says when and where.
    later = north.sync([north.entry(token=token, at=tokyo(10, 5))])[0]
    assert later["outcome"] == "again" and later["first_time"] == "09:12"
    assert later["message"] == "Already checked in at 09:12 at South entrance."
    assert CheckIn.objects.count() == 1
    # Another day is another check-in.
    assert north.sync([north.entry(token=token, at=tokyo(9, 0, day=19))])[0]["outcome"] == "ok"
    assert CheckIn.objects.filter(registration=reg).count() == 2


@pytest.mark.parametrize(
    "alter",
    [
        pytest.param(lambda e, other: e.update(token=other), id="token swapped for another valid badge"),
        pytest.param(lambda e, other: e.update(at=tokyo(8, 0)), id="earlier time"),
        pytest.param(lambda e, other: e.update(entrance="VIP entrance"), id="entrance"),
        pytest.param(lambda e, other: e.update(mac="0" * 64), id="mac"),
        pytest.param(lambda e, other: e.pop("mac"), id="no mac"),
    ],
)
def test_an_entry_altered_on_the_device_is_refused_and_writes_nothing(staff, hlm, alter):
    reg, other = (RegistrationFactory(meeting=hlm.meeting, category=hlm.private) for _ in range(2))
    phone = Device(staff, "hlm-test")
    entry = phone.entry(token=services.badge_token(reg))
    alter(entry, services.badge_token(other))
    before = _written()
    answer = phone.sync([entry])[0]
    assert answer["outcome"] == "refused" and answer["code"] == "tampered"
    assert "altered on the device" in answer["message"]
    assert _written() == before


def test_forged_expired_other_meeting_and_cancelled_badges_are_refused(staff, hlm):
    phone = Device(staff, "hlm-test")
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.private)
    token = services.badge_token(reg)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    other_meeting = MeetingFactory()
    foreign = RegistrationFactory(meeting=other_meeting, category=CategoryFactory(meeting=other_meeting))
    cancelled = RegistrationFactory(meeting=hlm.meeting, category=hlm.private, status="cancelled")
    entries = [
        phone.entry(token=forged),
        phone.entry(token=services.badge_token(foreign)),
        phone.entry(code=foreign.badge_code),
        phone.entry(token=services.badge_token(cancelled)),
        phone.entry(token=token, at="yesterday"),
    ]
    before = _written()
    answers = phone.sync(entries)
    assert [(a["outcome"], a["code"]) for a in answers] == [
        ("refused", "forged"),
        ("refused", "other_meeting"),
        ("refused", "other_meeting"),
        ("refused", "cancelled"),
        ("refused", "malformed"),
    ]
    assert answers[3]["message"] == "This registration is cancelled: do not admit."
    assert answers[4]["message"] == "at: not a date and time (ISO 8601)."
    assert _written() == before
    # The device learns the cancellation at its next sync, and refuses the badge offline from then on.
    state = staff.get("/meetings/hlm-test/check-in/app/state.json").json()
    assert state["people"][str(cancelled.public_id)][2] == "cancelled"
    assert "cancelled" in state["refused_statuses"]


def test_a_device_clock_far_ahead_is_refused(staff, hlm):
    phone = Device(staff, "hlm-test")
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.private)
    ahead = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2)).isoformat()
    answer = phone.sync([phone.entry(token=services.badge_token(reg), at=ahead)])[0]
    assert (answer["outcome"], answer["code"]) == ("refused", "clock")
    assert not CheckIn.objects.exists()


def test_staff_of_another_meeting_cannot_check_in_here(network, hlm, client_for):
    other_meeting = MeetingFactory(slug="other-meeting")
    other_meeting.check_in_staff.add(network.outsider)
    theirs = client_for(network.outsider)
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.private)
    for path in ("state.json", "counts.json", ""):
        assert theirs.get(f"/meetings/hlm-test/check-in/app/{path}").status_code == 403
    assert theirs.get("/meetings/hlm-test/check-in/app/device-key/?device=x").status_code == 403
    # Their device key is for their meeting: an entry signed with it is refused here, even by
    # someone who also staffs this meeting.
    theirs_device = Device(theirs, "other-meeting")
    entry = theirs_device.entry(token=services.badge_token(reg))
    response = theirs.post(
        "/meetings/hlm-test/check-in/app/sync/",
        json.dumps({"entries": [entry]}),
        content_type="application/json",
    )
    assert response.status_code == 403
    hlm.meeting.check_in_staff.add(network.outsider)
    both = client_for(network.outsider)
    response = both.post(
        "/meetings/hlm-test/check-in/app/sync/",
        json.dumps({"entries": [entry]}),
        content_type="application/json",
    )
    assert response.json()["results"][0]["code"] == "tampered"
    assert not CheckIn.objects.exists()
    # Anonymous visitors are sent to sign in.
    assert client_for(None).get("/meetings/hlm-test/check-in/app/").status_code == 302


def test_a_typed_short_badge_code_checks_in_and_typing_mistakes_are_caught(staff, hlm):
    phone = Device(staff, "hlm-test")
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.private)
    shown = badge_codes.display(reg.badge_code).lower()  # read out, typed in lower case with spaces
    typed = " ".join(shown[:5]) + "  " + shown[6:]
    answer = phone.sync([phone.entry(code=typed)])[0]
    assert answer["outcome"] == "ok" and answer["name"] == reg.name
    wrong = reg.badge_code[:3] + reg.badge_code[4] + reg.badge_code[3] + reg.badge_code[5:]
    if wrong != reg.badge_code:
        refused = phone.sync([phone.entry(code=wrong)])[0]
        assert (refused["outcome"], refused["code"]) == ("refused", "malformed")


def test_badge_codes_catch_every_single_mistake_and_almost_every_neighbour_swap():
    for _ in range(50):
        code = badge_codes.new_code()
        assert badge_codes.normalise(code) == code and len(code) == 10
        for i in range(10):
            for c in badge_codes.ALPHABET:
                if c != code[i]:
                    assert badge_codes.normalise(code[:i] + c + code[i + 1 :]) is None
        for i in range(9):
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            if swapped != code and {code[i], code[i + 1]} != {"0", "Z"}:  # Luhn's one blind spot
                assert badge_codes.normalise(swapped) is None
    assert badge_codes.normalise("not a code") is None


def test_session_door_checks_sign_ups_and_the_room_capacity(staff, hlm):
    # Forum: Water is in Room 201 (2 seats) and needs a sign-up.
    phone = Device(staff, "hlm-test")
    signed = [RegistrationFactory(meeting=hlm.meeting, category=hlm.gov) for _ in range(2)]
    for reg in signed:
        services.sign_up(reg, hlm.forum)
    walk_in = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov)
    door = str(hlm.forum.public_id)
    at = tokyo(9, 25, day=19)
    answers = phone.sync(
        [phone.entry(token=services.badge_token(r), session=door, at=at) for r in [*signed, walk_in]]
    )
    assert [a["outcome"] for a in answers] == ["ok", "ok", "refused"]
    assert answers[2]["code"] == "not_signed_up"
    assert SessionCheckIn.objects.filter(session=hlm.forum).count() == 2
    # A third person who signed up (an organiser raised the sign-up capacity) finds the room full.
    hlm.forum.capacity = 3
    hlm.forum.save()
    services.sign_up(walk_in, hlm.forum)
    hlm.forum.capacity = None
    hlm.forum.save()
    full = phone.sync([phone.entry(token=services.badge_token(walk_in), session=door, at=at)])[0]
    assert (full["outcome"], full["code"]) == ("refused", "full")
    assert full["message"] == "Forum: Water is full: 2 of 2 seats taken."
    # At the door a second scan is "already checked in", and the session counts show it.
    again = phone.sync(
        [phone.entry(token=services.badge_token(signed[0]), session=door, at=tokyo(9, 40, day=19))]
    )[0]
    assert again["outcome"] == "again"
    counts = staff.get("/meetings/hlm-test/check-in/app/counts.json").json()
    water = next(s for s in counts["sessions"] if s["id"] == door)
    assert (water["checked_in"], water["signups"], water["seat_limit"]) == (2, 3, 2)
    assert counts["days"][0] == {"day": "2021-10-18", "checked_in": 0, "expected": 3}


def test_a_batch_that_is_not_a_list_or_too_long_is_refused(staff, hlm):
    phone = Device(staff, "hlm-test")
    assert phone.post("sync/", {"entries": "nope"}).status_code == 400
    response = phone.post("sync/", {"entries": [{}] * 501})
    assert response.status_code == 400 and "at most 500" in response.json()["detail"]
    response = staff.post(
        "/meetings/hlm-test/check-in/app/sync/", b"{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_the_app_page_manifest_and_service_worker(staff, hlm):
    page = staff.get("/meetings/hlm-test/check-in/app/")
    html = page.content.decode()
    assert page.status_code == 200 and 'rel="manifest"' in html and "<script>" not in html
    assert "style=" not in html
    manifest = staff.get("/meetings/hlm-test/check-in/app/manifest.webmanifest").json()
    assert manifest["scope"] == manifest["start_url"] == "/meetings/hlm-test/check-in/app/"
    sw = staff.get("/meetings/hlm-test/check-in/app/sw.js")
    assert sw["Content-Type"].startswith("text/javascript")
    body = sw.content.decode()
    assert "/static/vendor/jsqr/jsQR.js" in body and '"/meetings/hlm-test/check-in/app/"' in body


def test_a_desk_check_in_and_an_earlier_offline_scan_agree_on_the_first(network, staff, hlm):
    reg = RegistrationFactory(meeting=hlm.meeting, category=hlm.private)
    desk_time = datetime.datetime(2021, 10, 18, 9, 30, tzinfo=TOKYO)
    assert (
        services.check_in(
            network.secretariat, hlm.meeting, token=services.badge_token(reg), now=desk_time
        ).outcome
        == "ok"
    )
    phone = Device(staff, "hlm-test")
    answer = phone.sync(
        [phone.entry(token=services.badge_token(reg), at=tokyo(9, 12), entrance="Side door")]
    )[0]
    assert answer["outcome"] == "ok"  # scanned before the desk did, synced after
    check_in = CheckIn.objects.get(registration=reg)
    assert (check_in.method, check_in.entrance) == ("scan", "Side door")
    again = services.check_in(
        network.secretariat, hlm.meeting, token=services.badge_token(reg), now=desk_time
    )
    assert again.outcome == "again" and again.message == "Already checked in today at 09:12."


def test_a_draft_meetings_app_manifest_is_not_shown_to_outsiders(client_for, network, hlm):
    hlm.meeting.status = "draft"
    hlm.meeting.save()
    for path in ("manifest.webmanifest", "sw.js"):
        assert client_for(network.outsider).get(f"/meetings/hlm-test/check-in/app/{path}").status_code == 404
        assert (
            client_for(network.secretariat).get(f"/meetings/hlm-test/check-in/app/{path}").status_code == 200
        )
