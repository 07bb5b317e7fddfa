"""A matchmaking profile's texts in other languages (common.translations), from the outside."""

from __future__ import annotations

import pytest

from ascnhub.common import translations
from ascnhub.common.models import ContentTranslation
from tests.common.test_translations import in_japanese

pytestmark = pytest.mark.django_db

JA = "河川沿いの地区のための洪水早期警報"


def _url(profile) -> str:
    return f"/meetings/{profile.setup.meeting.slug}/matchmaking/p/{profile.public_id}/"


def test_a_japanese_participant_reads_a_vietnamese_profile_in_japanese(mm, network, client_for):
    danang = mm.danang
    danang.language = "vi"
    danang.save()
    company = client_for(mm.company.owner.user)
    answer = company.post(
        "/translations/request/",
        {"content": "matchmaking.profile", "object_id": danang.pk, "language": "ja", "next": _url(danang)},
    )
    assert answer.status_code == 302
    version = ContentTranslation.objects.get(object_id=danang.pk, language="ja")
    # Another city's officer taking part in the same meeting may read the profile, not translate it.
    makassar = client_for(mm.makassar.owner.user)
    makassar.post(f"/translations/{version.public_id}/", {"action": "assign", "me": "on"})
    version.refresh_from_db()
    assert version.translator is None
    owner = client_for(danang.owner.user)
    owner.post(f"/translations/{version.public_id}/", {"action": "assign", "me": "on"})
    owner.post(f"/translations/{version.public_id}/", {"action": "submit", "looking_for": JA})
    client_for(network.secretariat).post(f"/translations/{version.public_id}/", {"action": "approve"})
    version.refresh_from_db()
    assert version.status == "human"
    page = company.get(_url(danang), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert f'<p lang="ja">{JA}</p>' in page
    assert in_japanese("Human translation") in page and in_japanese("Original in %(lang)s") in page
    original = company.get(_url(danang) + "?original=1", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "Cảnh báo sớm lũ lụt" in original


def test_a_profile_nobody_may_see_cannot_be_asked_for(mm, network, client_for):
    mm.danang.visible = False
    mm.danang.save()
    outsider = client_for(mm.company.owner.user)
    answer = outsider.post(
        "/translations/request/",
        {"content": "matchmaking.profile", "object_id": mm.danang.pk, "language": "ja", "next": "/"},
    )
    assert answer.status_code == 404
    assert not ContentTranslation.objects.exists()
    assert translations.may_see_content(mm.danang.owner.user, mm.danang)
