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
