"""The demo loader: the real network, idempotent, and all-or-nothing with a clear error."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from ascnhub.registry import demo, demo_people
from ascnhub.registry.models import City, MemberState, Organisation, Person, Role

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    return {
        model.__name__: sorted(
            tuple(str(v) for v in row)
            for row in model.objects.values_list(
                *[f.attname for f in model._meta.concrete_fields if f.name not in {"id", "public_id", "user"}]
            )
        )
        for model in (MemberState, City, Organisation, Person, Role)
    }


def _load_registry() -> None:
    # The registry's own loader: these tests are about the network, not the other apps' demos
    # (each app's demo has its own test; the whole command is tested below for all-or-nothing).
    demo.load(lambda _: None)


def test_demo_has_the_real_network(client):
    _load_registry()
    html = client.get("/cities/").content.decode()
    assert "31 cities" in html
    for name in ("Makassar", "Sumedang", "Sihanoukville", "Luang Prabang", "Bandar Seri Begawan", "Rayong"):
        assert name in html
    assert MemberState.objects.count() == 11
    assert MemberState.objects.get(code="TL").joined_asean.isoformat() == "2025-10-26"
    assert City.objects.count() == 31
    assert set(City.objects.filter(joined_year=2024).values_list("name", flat=True)) == {
        "Sumedang",
        "Sihanoukville",
    }
    assert set(City.objects.filter(joined_year=2023).values_list("name", flat=True)) == {
        "Chiang Mai",
        "Khon Kaen",
        "Rayong",
    }
    nr = Role.objects.current().get(kind="national_representative", member_state__code="ID")
    assert "Directorate General of Regional Administration" in nr.organisation.name
    assert not Role.objects.filter(kind="national_representative", member_state__code="KH").exists()
    chairs = dict(Role.objects.filter(kind="chair").values_list("year", "member_state__code"))
    assert chairs == {
        2018: "SG",
        2019: "TH",
        2020: "VN",
        2021: "BN",
        2022: "KH",
        2023: "ID",
        2024: "LA",
        2025: "MY",
    }
    assert Role.objects.current().filter(kind="csco").count() == 31
    assert Person.objects.filter(email__endswith="@demo.ascnhub.example").count() == Person.objects.count()


def test_loading_twice_leaves_the_same_data():
    _load_registry()
    first = _snapshot()
    _load_registry()
    assert _snapshot() == first


def test_if_empty_skips_a_database_that_has_data():
    from tests.factories import CityFactory

    CityFactory(name="Makassar", description="edited by the officer")
    out = io.StringIO()
    call_command("demo", "load", "--if-empty", stdout=out)
    assert "not loaded" in out.getvalue()
    assert City.objects.get(name="Makassar").description == "edited by the officer"
    assert City.objects.count() == 1


def test_a_bad_record_fails_the_whole_load_naming_it(monkeypatch):
    broken = list(demo_people.OFFICERS)
    broken[-1] = ("Ho Chi Minh City", "Le Hoang Nam", "Head", "vi", "Asia/Saigon_Typo")
    monkeypatch.setattr(demo_people, "OFFICERS", broken)
    with pytest.raises(CommandError) as excinfo:
        call_command("demo", "load", stdout=io.StringIO())
    message = str(excinfo.value)
    assert "officer of Ho Chi Minh City" in message and "timezone" in message
    assert City.objects.count() == 0 and Person.objects.count() == 0
