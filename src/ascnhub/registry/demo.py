"""Load the demo network: the 31 real ASCN cities, the 11 member states, public NR agencies, the
network chairs, and invented people, companies and partners.

Idempotent (natural keys, update-or-create: running it twice leaves the same data) and all or
nothing: a bad record raises DemoDataError naming it, and the caller's transaction rolls back.
"""

from __future__ import annotations

import csv
import datetime
import functools
import os
from collections.abc import Callable
from importlib import resources
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify

from ascnhub.common.permissions import SECRETARIAT_GROUP

from . import demo_people as P
from .models import City, MemberState, Organisation, Person, Role


class DemoDataError(Exception):
    """A demo record is invalid; the message names the record and the field."""


def demo_password() -> str:
    return os.environ.get("ASCNHUB_DEMO_PASSWORD", "ascnhub-demo")


def _read_csv(name: str) -> list[dict[str, str]]:
    with resources.files("ascnhub.registry").joinpath("data", name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def upsert(model: type[models.Model], where: str, lookup: dict[str, Any], values: dict[str, Any]) -> Any:
    """Create or update one record, validating it first; errors name `where` and the fields."""
    obj = model.objects.filter(**lookup).first() or model(**lookup)
    for key, value in values.items():
        setattr(obj, key, value)
    try:
        obj.full_clean(validate_unique=False)
    except ValidationError as exc:
        details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
        raise DemoDataError(f"{where}: {details}") from exc
    obj.save()
    return obj


@functools.cache
def _demo_password_hash(password: str) -> str:
    # Hashing is deliberately slow (~1 s); the demo's dozens of accounts share one known password,
    # so hash it once per load instead of once per account.
    return make_password(password)


def _account(email: str, *, staff: bool = False) -> Any:
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email)
        user.password = _demo_password_hash(demo_password())
        user.save(update_fields=["password"])
    if staff and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


def _person(
    where: str,
    email: str,
    name: str,
    title: str,
    org: Organisation | None,
    lang: str,
    zone: str,
    *,
    with_account: bool = True,
    staff: bool = False,
) -> Person:
    user = _account(email, staff=staff) if with_account else None
    return upsert(
        Person,
        where,
        {"email": email},
        {
            "name": name,
            "title": title,
            "organisation": org,
            "preferred_language": lang,
            "timezone": zone,
            "user": user,
        },
    )


def _role(where: str, kind: str, start: datetime.date, **scope: Any) -> Role:
    end = scope.pop("end_date", None)
    lookup = {"kind": kind, "start_date": start, **{k: v for k, v in scope.items() if k != "person"}}
    return upsert(Role, where, lookup, {"person": scope.get("person"), "end_date": end})


def load(say: Callable[[str], None] = print) -> dict[str, int]:
    """Load or refresh the demo network; returns the number of records of each kind."""
    ascn_start = datetime.date(2018, 4, 28)  # the network was established at the 32nd ASEAN Summit
    states: dict[str, MemberState] = {}
    for n, row in enumerate(_read_csv("asean-member-states.csv"), start=2):
        where = f"asean-member-states.csv line {n} ({row.get('name')})"
        try:
            joined = datetime.date.fromisoformat(row["joined_asean"])
        except ValueError as exc:
            raise DemoDataError(f"{where}: joined_asean: {exc}") from exc
        states[row["code"]] = upsert(
            MemberState, where, {"code": row["code"]}, {"name": row["name"], "joined_asean": joined}
        )

    cities: dict[str, City] = {}
    for n, row in enumerate(_read_csv("ascn-cities.csv"), start=2):
        where = f"ascn-cities.csv line {n} ({row.get('name')})"
        if row["country"] not in states:
            raise DemoDataError(f"{where}: country: unknown member state {row['country']!r}")
        cities[row["name"]] = upsert(
            City,
            where,
            {"slug": slugify(row["name"])},
            {
                "name": row["name"],
                "country": states[row["country"]],
                "kind": row["type"],
                "joined_year": int(row["joined"]),
                "latitude": row["latitude"],
                "longitude": row["longitude"],
                "timezone": row["timezone"],
            },
        )

    orgs: dict[str, Organisation] = {}
    for slug, name, kind, country, website, description in P.ORGANISATIONS:
        orgs[slug] = upsert(
            Organisation,
            f"organisation {slug}",
            {"slug": slug},
            {
                "name": name,
                "kind": kind,
                "country": country,
                "website": website,
                "description": description,
                "is_demo": kind == Organisation.Kind.COMPANY,
            },
        )

    # National Representative agencies where public; the others stay "to be confirmed".
    for row in _read_csv("asean-member-states.csv"):
        agency = row["national_representative_agency"].strip()
        if not agency:
            continue
        code = row["code"]
        org = upsert(
            Organisation,
            f"NR agency of {code}",
            {"slug": slugify(f"{agency}-{code}")[:200]},
            {
                "name": f"{agency} ({states[code].name})" if "(" not in agency else agency,
                "kind": Organisation.Kind.MINISTRY,
                "country": code,
            },
        )
        person = None
        if code in P.NR_PEOPLE:
            name, title, lang, zone = P.NR_PEOPLE[code]
            person = _person(
                f"NR person of {code}",
                f"nr.{code.lower()}@{P.DEMO_EMAIL_DOMAIN}",
                name,
                title,
                org,
                lang,
                zone,
            )
        _role(
            f"NR of {code}",
            Role.Kind.NATIONAL_REPRESENTATIVE,
            ascn_start,
            member_state=states[code],
            organisation=org,
            person=person,
        )

    for city_name, name, title, lang, zone in P.OFFICERS:
        city = cities[city_name]
        gov = upsert(
            Organisation,
            f"city government of {city_name}",
            {"slug": f"{city.slug}-city-government"},
            {
                "name": f"{city_name} city government",
                "kind": Organisation.Kind.CITY_GOVERNMENT,
                "country": city.country.code,
                "city": city,
            },
        )
        person = _person(
            f"officer of {city_name}", f"csco.{city.slug}@{P.DEMO_EMAIL_DOMAIN}", name, title, gov, lang, zone
        )
        start = ascn_start if city.joined_year == 2018 else datetime.date(city.joined_year, 7, 1)
        past = [p for p in P.PAST_OFFICERS if p[0] == city_name]
        for _, pname, ptitle, plang, pzone, pstart, pend in past:
            old = _person(
                f"past officer of {city_name}",
                f"former.{city.slug}@{P.DEMO_EMAIL_DOMAIN}",
                pname,
                ptitle,
                gov,
                plang,
                pzone,
                with_account=False,
            )
            _role(
                f"past CSCO of {city_name}",
                Role.Kind.CSCO,
                datetime.date.fromisoformat(pstart),
                city=city,
                person=old,
                end_date=datetime.date.fromisoformat(pend),
            )
            start = datetime.date.fromisoformat(pend) + datetime.timedelta(days=1)
        _role(f"CSCO of {city_name}", Role.Kind.CSCO, start, city=city, person=person)

    for slug, name, title, lang, zone in P.STAFF:
        local = slugify(name).replace("-", ".")
        _person(f"staff {name}", f"{local}@{P.DEMO_EMAIL_DOMAIN}", name, title, orgs[slug], lang, zone)

    for year, code in P.CHAIRS.items():
        _role(
            f"chair {year}",
            Role.Kind.CHAIR,
            datetime.date(year, 1, 1),
            member_state=states[code],
            year=year,
            end_date=datetime.date(year, 12, 31),
        )

    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=["registry", "common"]))
    name, title, lang, zone = P.SECRETARIAT_PERSON
    sec = _person(
        "secretariat",
        f"secretariat@{P.DEMO_EMAIL_DOMAIN}",
        name,
        title,
        orgs["asean-secretariat"],
        lang,
        zone,
        staff=True,
    )
    sec.user.groups.add(group)

    counts = {
        "member states": MemberState.objects.count(),
        "cities": City.objects.count(),
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "roles": Role.objects.count(),
    }
    say("registry: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return counts
