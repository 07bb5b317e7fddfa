"""What keeps a registration cheap under load, without changing what the registrant gets."""

from __future__ import annotations

import pytest
from django.core import mail

from ascnhub.events import services, tasks
from ascnhub.events.models import Registration
from tests.events.factories import form_data, registration_data

pytestmark = pytest.mark.django_db

URL = "/meetings/hlm-test/register/{}/"


@pytest.fixture
def database_queue(settings):
    """Background jobs as rows in the database, as `make run` has them (django-tasks-db)."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "scheduling"]}
    }


def test_the_email_job_is_written_with_the_registration_and_sends_the_ics_in_their_language(
    hlm, database_queue
):
    from django_tasks_db.models import DBTaskResult

    reg, created = services.register(
        hlm.meeting, hlm.city, registration_data(language="ja", email="aiko@test.example", mode="online")
    )
    job = DBTaskResult.objects.get()  # in the registration's own transaction: no write after the commit
    assert created and job.args_kwargs == {"args": [reg.pk, "received"], "kwargs": {}}
    assert job.task_path == "ascnhub.events.tasks.send_registration_email"
    assert mail.outbox == []  # nothing is built or sent in the request
    # a refused registration leaves no job behind
    with pytest.raises(services.EventsError):
        services.register(hlm.meeting, hlm.city, registration_data(email="AIKO@test.example"))
    assert DBTaskResult.objects.count() == 1
    # the worker runs it: the e-mail in Japanese, with the calendar attached
    assert tasks.send_registration_email.call(*job.args_kwargs["args"])
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == "ja"  # built under the registrant's language
    name, _body, mimetype = message.attachments[0]
    assert name == "hlm-test.ics" and mimetype == "text/calendar"


def test_a_double_click_with_the_database_queue_queues_one_email(client, hlm, database_queue):
    from django_tasks_db.models import DBTaskResult

    first = client.post(URL.format("city"), form_data(key="same"))
    second = client.post(URL.format("city"), form_data(key="same"))
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Registration.objects.count() == DBTaskResult.objects.count() == 1


def test_the_duplicate_email_message_is_on_the_email_field(client, hlm):
    assert client.post(URL.format("city"), form_data(key="a")).status_code == 302
    response = client.post(URL.format("city"), form_data(key="b", email=" Sari@Test.example "))
    html = response.content.decode()
    assert response.status_code == 400 and 'id="id_email-errors"' in html
    assert "Check your e-mail for the link to your registration." in html


def test_a_registration_takes_few_queries(client, hlm, database_queue, django_assert_max_num_queries):
    client.get(URL.format("city"))  # the CSRF cookie, as a browser has it
    # the category with its meeting; then lock, count, insert, log, job (and the transaction's own)
    with django_assert_max_num_queries(9):
        assert client.post(URL.format("city"), form_data(key="q")).status_code == 302


# --- the registration path's precompiled reads (events/places.py) ---------------------------------


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_category_lookup_finds_what_the_orm_finds_and_nothing_private(hlm):
    from ascnhub.events import places
    from ascnhub.events.models import RegistrationCategory
    from tests.events.factories import CategoryFactory, MeetingFactory

    found = places.public_category("hlm-test", "private")
    expected = RegistrationCategory.objects.select_related("meeting").get(pk=hlm.private.pk)
    # every column converted as the ORM converts it (dates, JSON questions, booleans)
    assert _fields(found) == _fields(expected) and _fields(found.meeting) == _fields(expected.meeting)
    assert found.questions[0]["choices"] == ["Mobility", "Water"]
    assert found.meeting.start_date == hlm.meeting.start_date
    other = MeetingFactory(slug="other-meeting")
    CategoryFactory(meeting=other, code="press", is_public=True)
    CategoryFactory(meeting=hlm.meeting, code="staff", is_public=False)
    assert places.public_category("hlm-test", "staff") is None  # not offered to the public
    assert places.public_category("hlm-test", "press") is None  # another meeting's category
    assert places.public_category("no-such-meeting", "city") is None
    assert places.public_category("other-meeting", "press").meeting == other


def test_the_place_count_under_lock_matches_the_orm_and_rereads_the_capacity(hlm):
    from django.db import transaction

    from ascnhub.events import places
    from ascnhub.events.models import RegistrationCategory
    from tests.events.factories import RegistrationFactory

    for status in ["approved", "approved", "pending", "waitlisted", "cancelled", "rejected"]:
        RegistrationFactory(meeting=hlm.meeting, category=hlm.gov, status=status)
    stale = RegistrationCategory.objects.get(pk=hlm.gov.pk)
    # an organiser changes the category meanwhile
    RegistrationCategory.objects.filter(pk=hlm.gov.pk).update(capacity=2, approval="auto")
    with transaction.atomic():
        taken = places.lock_and_count(stale)
    holding = Registration.objects.filter(category=hlm.gov, status__in=Registration.HOLDS_PLACE)
    assert taken == holding.count() == 3
    assert (stale.capacity, stale.approval) == (2, "auto")  # decisions use the locked row, not the stale one


def test_a_registration_decides_with_the_capacity_of_the_moment_not_of_the_page(hlm):
    from ascnhub.events.models import RegistrationCategory

    seen = RegistrationCategory.objects.get(pk=hlm.private.pk)  # the form was shown with 3 places
    RegistrationCategory.objects.filter(pk=hlm.private.pk).update(capacity=0)  # then they were closed
    reg, _created = services.register(
        hlm.meeting, seen, registration_data(email="late@test.example", answers={"sector": "Water"})
    )
    assert reg.status == Registration.Status.WAITLISTED


def test_a_category_deleted_while_the_form_was_open_is_refused_and_nothing_is_stored(hlm):
    from ascnhub.common.models import ActivityLog
    from ascnhub.events.models import RegistrationCategory

    seen = RegistrationCategory.objects.get(pk=hlm.city.pk)
    RegistrationCategory.objects.filter(pk=hlm.city.pk).delete()
    with pytest.raises(services.EventsError) as refused:
        services.register(hlm.meeting, seen, registration_data(email="gone@test.example"))
    assert refused.value.code == "category" and "no longer exists" in str(refused.value)
    assert not Registration.objects.exists() and not ActivityLog.objects.filter(action="register").exists()


def test_forms_share_the_country_list_but_not_their_fields(hlm):
    from ascnhub.events.forms import RegistrationForm

    first = RegistrationForm(meeting=hlm.meeting, category=hlm.private)
    second = RegistrationForm(meeting=hlm.meeting, category=hlm.city)
    assert first.fields["country"] is not second.fields["country"]
    assert first.fields["country"].choices is second.fields["country"].choices  # shared, never copied
    first.fields["country"].widget.attrs["class"] = "changed"
    assert "class" not in second.fields["country"].widget.attrs
    bad = RegistrationForm({"country": "XX"}, meeting=hlm.meeting, category=hlm.city)
    assert not bad.is_valid() and "Select a valid choice" in str(bad.errors["country"])


def test_the_registration_page_of_a_private_category_or_a_draft_meeting_is_not_found(client, hlm):
    from ascnhub.events.models import Meeting
    from tests.events.factories import CategoryFactory

    CategoryFactory(meeting=hlm.meeting, code="staff", is_public=False)
    assert client.get(URL.format("staff")).status_code == 404
    assert client.post(URL.format("staff"), form_data(key="s")).status_code == 404
    assert client.get(URL.format("no-such-category")).status_code == 404
    Meeting.objects.filter(pk=hlm.meeting.pk).update(status=Meeting.Status.DRAFT)
    assert client.get(URL.format("city")).status_code == 404  # a draft is seen by its organisers only
    assert client.post(URL.format("city"), form_data(key="d")).status_code == 404
    assert not Registration.objects.exists()
