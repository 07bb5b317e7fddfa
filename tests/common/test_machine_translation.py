"""The machine-translation backend against a local fake LibreTranslate server (tests only).

The fake answers like LibreTranslate's `POST /translate`: `{"translatedText": [...]}` for a list
of texts. Each test chooses how it answers: a translation, an HTTP error, text that is not JSON,
or not at all (nothing listens on the port).
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import translation

from ascnhub.common import translations
from ascnhub.common.machine_translation import LibreTranslateClient, MachineTranslationError
from ascnhub.common.models import ContentTranslation
from tests.projects.factories import ProjectFactory


class FakeLibreTranslate:
    """A LibreTranslate stand-in on 127.0.0.1: records each request, answers as told."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 200
        self.body: bytes | None = None  # None: a translation of every text ("[ja] …")
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, **payload})
                body = fake.body
                if body is None:
                    body = json.dumps(
                        {"translatedText": [f"[{payload['target']}] {q}" for q in payload["q"]]}
                    ).encode()
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:  # keep the test output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeLibreTranslate:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake():
    with FakeLibreTranslate() as server:
        yield server


@pytest.fixture
def mt_on(settings, fake):
    settings.ASCNHUB_MT_URL = fake.url
    settings.ASCNHUB_MT_API_KEY = "secret-key"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "scheduling"],
        }
    }
    return fake


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the client alone ---------------------------------------------------------------------------


def test_the_client_sends_every_text_in_one_request_with_the_key(fake):
    client = LibreTranslateClient(fake.url + "/", api_key="k")
    assert client.translate(["Flood pumps", "Nurses"], "en", "ja") == ["[ja] Flood pumps", "[ja] Nurses"]
    assert fake.requests == [
        {
            "path": "/translate",
            "q": ["Flood pumps", "Nurses"],
            "source": "en",
            "target": "ja",
            "format": "text",
            "api_key": "k",
        }
    ]


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (400, b'{"error": "ja is not supported"}', "refused the request (HTTP 400): ja is not supported"),
        (403, b"Forbidden", "refused the request (HTTP 403)"),
        (500, b"", "refused the request (HTTP 500)"),
        (200, b"<html>not json</html>", "sent an answer that is not a translation"),
        (200, b'{"translatedText": ["only one"]}', "sent 1 texts back for 2"),
    ],
)
def test_the_client_names_what_went_wrong(fake, status, body, message):
    fake.status, fake.body = status, body
    with pytest.raises(MachineTranslationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        LibreTranslateClient(fake.url).translate(["a", "b"], "en", "ja")


def test_an_endpoint_that_is_down_is_reported():
    with pytest.raises(MachineTranslationError, match="could not be reached"):
        LibreTranslateClient(f"http://127.0.0.1:{_free_port()}", timeout=2).translate(["a"], "en", "ja")


# --- through the workflow -------------------------------------------------------------------------------


@pytest.fixture
def project(network):
    return ProjectFactory(
        city=network.makassar, slug="flood-pumps", title="Flood pumps", description="Pumps for the canals."
    )


def _requested(project, user) -> ContentTranslation:
    return translations.request_translation(user, project, "ja")


@pytest.mark.django_db
def test_machine_output_is_labelled_and_never_approved(
    mt_on, project, network, client_for, django_capture_on_commit_callbacks
):
    version = _requested(project, network.company_person.user)
    officer = client_for(network.makassar_officer.user)
    page = officer.get(f"/translations/{version.public_id}/").content.decode()
    assert "Machine-translate" in page
    with django_capture_on_commit_callbacks(execute=True):  # the task runs after the commit
        answer = officer.post(f"/translations/{version.public_id}/", {"action": "machine"})
    assert answer.status_code == 302
    version.refresh_from_db()
    assert version.status == "machine"
    assert version.state == "requested"  # still open: a person translates or reviews it
    assert version.fields == {"title": "[ja] Flood pumps", "description": "[ja] Pumps for the canals."}
    assert mt_on.requests[0]["api_key"] == "secret-key"
    shown = client_for(None).get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "[ja] Flood pumps" in shown
    with translation.override("ja"):  # the label, as the Japanese reader sees it
        assert translation.gettext("Machine translation") in shown
    # The project's own translations (what lists and search show unlabelled) stay untouched.
    project.refresh_from_db()
    assert project.translations == {}
    # A translator starts from the machine's text, and a person's approval replaces it.
    translations.assign(network.secretariat, version, network.makassar_officer.user)
    form = officer.get(f"/translations/{version.public_id}/").content.decode()
    assert "[ja] Pumps for the canals." in form


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (503, b'{"error": "overloaded"}', "refused the request (HTTP 503): overloaded"),
        (200, b"not json", "sent an answer that is not a translation"),
    ],
)
def test_a_failing_endpoint_is_explained_on_the_request_and_changes_no_text(
    mt_on, project, network, client_for, status, body, message, django_capture_on_commit_callbacks
):
    version = _requested(project, network.company_person.user)
    officer = client_for(network.makassar_officer.user)
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(f"/translations/{version.public_id}/", {"action": "machine"})
    version.refresh_from_db()
    assert version.status == "machine"
    mt_on.status, mt_on.body = status, body
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(f"/translations/{version.public_id}/", {"action": "machine"})
    failed = ContentTranslation.objects.get(pk=version.pk)
    assert message in failed.machine_error
    assert (failed.status, failed.fields, failed.state) == (version.status, version.fields, version.state)
    page = officer.get(f"/translations/{version.public_id}/").content.decode()
    assert "Machine translation failed:" in page and message in page


@pytest.mark.django_db
def test_an_endpoint_that_is_down_leaves_the_request_as_it_was(settings, project, network):
    settings.ASCNHUB_MT_URL = f"http://127.0.0.1:{_free_port()}"
    settings.ASCNHUB_MT_TIMEOUT = 2
    version = _requested(project, network.company_person.user)
    result = translations.machine_translate(version.pk)
    assert "could not be reached" in result.machine_error
    stored = ContentTranslation.objects.get(pk=version.pk)
    assert (stored.status, stored.fields) == ("pending", {})


@pytest.mark.django_db
def test_a_current_human_translation_is_never_replaced_by_a_machine_one(mt_on, project, network):
    project.translations = {"ja": {"title": "洪水ポンプ", "description": "運河のポンプ。"}}
    project.save()
    version = ContentTranslation.objects.get(object_id=project.pk, language="ja")
    translations.machine_translate(version.pk)
    version.refresh_from_db()
    assert (version.status, version.fields["title"]) == ("human", "洪水ポンプ")
    assert mt_on.requests == []


@pytest.mark.django_db
def test_only_editors_and_the_secretariat_start_machine_translation(mt_on, project, network, client_for):
    version = _requested(project, network.company_person.user)
    for outsider in (network.company_person.user, network.danang_officer.user):
        client = client_for(outsider)
        assert "Machine-translate" not in client.get(f"/translations/{version.public_id}/").content.decode()
        client.post(f"/translations/{version.public_id}/", {"action": "machine"})
    assert mt_on.requests == []
    assert ContentTranslation.objects.get(pk=version.pk).status == "pending"


@pytest.mark.django_db
def test_without_an_endpoint_machine_translation_is_not_offered(settings, project, network, client_for):
    settings.ASCNHUB_MT_URL = ""
    version = _requested(project, network.company_person.user)
    officer = client_for(network.makassar_officer.user)
    assert "Machine-translate" not in officer.get(f"/translations/{version.public_id}/").content.decode()
    answer = officer.post(f"/translations/{version.public_id}/", {"action": "machine"}, follow=True)
    assert "No machine-translation service is configured." in answer.content.decode()
