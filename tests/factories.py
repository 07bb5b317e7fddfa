"""factory_boy factories for the registry, and a small ready-made network."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import factory
from django.contrib.auth.models import Group

from ascnhub.common.models import User
from ascnhub.common.permissions import SECRETARIAT_GROUP
from ascnhub.registry.models import City, MemberState, Organisation, Person, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.example")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "pw-for-tests-1")
        if create:
            self.save(update_fields=["password"])


class MemberStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberState
        django_get_or_create = ["code"]

    code = factory.Iterator(["ID", "VN", "TH", "MY", "PH", "KH", "LA", "MM", "BN", "SG", "TL"])
    name = factory.LazyAttribute(
        lambda o: {"ID": "Indonesia", "VN": "Viet Nam", "TH": "Thailand"}.get(o.code, o.code)
    )
    joined_asean = datetime.date(1967, 8, 8)


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"Test City {n}")
    slug = factory.Sequence(lambda n: f"test-city-{n}")
    country = factory.SubFactory(MemberStateFactory)
    kind = "city"
    joined_year = 2018
    latitude = "-5.14770"
    longitude = "119.43270"
    timezone = "Asia/Makassar"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = "company"
    country = "JP"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@test.example")
    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory, email=factory.SelfAttribute("..email"))
    timezone = "Asia/Jakarta"


def officer_of(city: City) -> Person:
    gov = OrganisationFactory(kind="city_government", country=city.country.code, city=city)
    person = PersonFactory(organisation=gov)
    Role.objects.create(kind=Role.Kind.CSCO, city=city, person=person, start_date=datetime.date(2020, 1, 1))
    return person


def national_representative_of(state: MemberState) -> Person:
    agency = OrganisationFactory(kind="ministry", country=state.code)
    person = PersonFactory(organisation=agency)
    Role.objects.create(
        kind=Role.Kind.NATIONAL_REPRESENTATIVE,
        member_state=state,
        organisation=agency,
        person=person,
        start_date=datetime.date(2020, 1, 1),
    )
    return person


def secretariat_user() -> User:
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0])
    return user


def make_network() -> SimpleNamespace:
    """Indonesia (Makassar, Banyuwangi) and Viet Nam (Da Nang), with their officers and NRs."""
    indonesia = MemberStateFactory(code="ID", name="Indonesia")
    vietnam = MemberStateFactory(code="VN", name="Viet Nam")
    makassar = CityFactory(name="Makassar", slug="makassar", country=indonesia)
    banyuwangi = CityFactory(
        name="Banyuwangi", slug="banyuwangi", country=indonesia, kind="regency", timezone="Asia/Jakarta"
    )
    danang = CityFactory(
        name="Da Nang",
        slug="da-nang",
        country=vietnam,
        timezone="Asia/Ho_Chi_Minh",
        latitude="16.05440",
        longitude="108.20220",
    )
    return SimpleNamespace(
        indonesia=indonesia,
        vietnam=vietnam,
        makassar=makassar,
        banyuwangi=banyuwangi,
        danang=danang,
        makassar_officer=officer_of(makassar),
        banyuwangi_officer=officer_of(banyuwangi),
        danang_officer=officer_of(danang),
        indonesia_nr=national_representative_of(indonesia),
        vietnam_nr=national_representative_of(vietnam),
        secretariat=secretariat_user(),
        company_person=PersonFactory(),
        outsider=UserFactory(),
    )
