"""Webhooks: signed deliveries to a real HTTP server, retries with back-off, nothing lost, and who
receives what."""

from __future__ import annotations

import contextlib
import datetime
import http.server
import json
import threading

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from ascnhub.api import webhooks
from ascnhub.api.models import WebhookDelivery, WebhookEndpoint
from ascnhub.api.services import issue_token
from ascnhub.events import services as events
from tests.events.factories import RegistrationFactory, make_meeting

pytestmark = pytest.mark.django_db


class Receiver:
    """A local HTTP server that records each POST and answers with the next planned status (then 200)."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.received: list[dict] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                # Header names are case-insensitive in HTTP: keep them lower-cased.
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.received.append({"headers": headers, "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(statuses=()):
        made.append(Receiver(statuses))
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "scheduling"],
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ASCNHUB_WEBHOOK_ALLOW_PRIVATE = True  # the receiver listens on 127.0.0.1
    settings.ASCNHUB_WEBHOOK_MAX_ATTEMPTS = 4


@pytest.fixture
def hlm(network):
    return make_meeting(network)


def _endpoint(user, url, events_=("registration.approved",)):
    return webhooks.create_endpoint(user, url, list(events_))


def _verify(endpoint, request):
    header = request["headers"]["x-ascnhub-signature"]
    return webhooks.verify(endpoint.secret, header, request["body"])


def test_an_approval_reaches_the_receiver_signed(hlm, network, receiver, django_capture_on_commit_callbacks):
    server = receiver()
    endpoint = _endpoint(network.indonesia_nr.user, server.url)  # approves Indonesia's delegates
    registration = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov, status="pending", country="ID")
    with django_capture_on_commit_callbacks(execute=True):
        events.decide(network.indonesia_nr.user, registration, approve=True)
    assert len(server.received) == 1
    request = server.received[0]
    assert _verify(endpoint, request)
    assert not webhooks.verify(
        endpoint.secret, request["headers"]["x-ascnhub-signature"], request["body"] + b" "
    )
    assert not webhooks.verify("whsec_wrong", request["headers"]["x-ascnhub-signature"], request["body"])
    body = json.loads(request["body"])
    assert body["event"] == "registration.approved"
    assert body["data"]["registration"]["id"] == str(registration.public_id)
    assert request["headers"]["x-ascnhub-event"] == "registration.approved"
    delivery = WebhookDelivery.objects.get()
    assert request["headers"]["x-ascnhub-delivery"] == str(delivery.public_id) == body["id"]
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)


def test_an_old_signature_is_refused():
    body = b'{"event":"ping"}'
    header = webhooks.signature_header("whsec_x", body, timestamp=1_700_000_000)
    assert webhooks.verify("whsec_x", header, body, now=1_700_000_100)
    assert not webhooks.verify("whsec_x", header, body, now=1_700_000_000 + 301)
    assert not webhooks.verify("whsec_x", "garbage", body)


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(
    hlm, network, receiver, django_capture_on_commit_callbacks
):
    server = receiver([500, 503])
    endpoint = _endpoint(network.indonesia_nr.user, server.url)
    registration = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov, status="pending", country="ID")
    with django_capture_on_commit_callbacks(execute=True):
        events.decide(network.indonesia_nr.user, registration, approve=True)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    first_due = delivery.next_attempt_at
    assert first_due - delivery.last_attempt_at == datetime.timedelta(seconds=30)
    assert webhooks.deliver_due(now=first_due - datetime.timedelta(seconds=1)) == 0  # not yet
    assert webhooks.deliver_due(now=first_due) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 2, 503)
    assert delivery.next_attempt_at - delivery.last_attempt_at == datetime.timedelta(seconds=60)
    assert webhooks.deliver_due(now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
    assert len(server.received) == 3
    assert len({r["headers"]["x-ascnhub-delivery"] for r in server.received}) == 1  # the same delivery
    assert all(_verify(endpoint, r) for r in server.received)


def test_a_receiver_that_never_answers_fails_after_the_last_attempt(network, receiver):
    server = receiver([500] * 10)
    _endpoint(network.secretariat, server.url, ["registration.approved"])
    unreachable = _endpoint(network.secretariat, "http://127.0.0.1:9/nobody-listens")
    with transaction.atomic():
        webhooks.emit("registration.approved", {"registration": {"id": "x"}})
    now = timezone.now()
    for _ in range(6):
        webhooks.deliver_due(now=now)
        now += datetime.timedelta(hours=7)
    statuses = {d.endpoint_id: d for d in WebhookDelivery.objects.all()}
    assert {d.status for d in statuses.values()} == {"failed"}
    assert {d.attempts for d in statuses.values()} == {4}
    assert statuses[unreachable.pk].last_status_code is None and statuses[unreachable.pk].last_error
    assert len(server.received) == 4
    assert [webhooks.backoff(n).total_seconds() for n in (1, 2, 3, 10, 20)] == [30, 60, 120, 15360, 21600]


def test_a_delivery_is_never_lost(hlm, network, receiver):
    server = receiver()
    _endpoint(network.indonesia_nr.user, server.url)
    registration = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov, status="pending", country="ID")
    # The event rolls back: no delivery either.
    with pytest.raises(RuntimeError), transaction.atomic():
        events.decide(network.indonesia_nr.user, registration, approve=True)
        raise RuntimeError("crash before the commit")
    assert not WebhookDelivery.objects.exists()
    # The event commits but the process dies before its task runs (on-commit callbacks never run
    # here): the delivery waits, pending, for the periodic command.
    events.decide(network.indonesia_nr.user, registration, approve=True)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and not server.received
    call_command("webhooks", "deliver")
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and len(server.received) == 1


def test_a_worker_dying_mid_send_leaves_it_due_again(network, receiver):
    server = receiver()
    _endpoint(network.secretariat, server.url, ["matchmaking.meeting_scheduled"])
    with transaction.atomic():
        [delivery] = webhooks.emit("matchmaking.meeting_scheduled", {"meeting": "x"})
    now = timezone.now()
    claimed = webhooks._claim(delivery.pk, now)  # claimed, then the worker dies before sending
    assert claimed is not None
    assert webhooks._claim(delivery.pk, now) is None  # nobody else sends it meanwhile
    assert webhooks.deliver_due(now=now) == 0
    assert webhooks.deliver_due(now=now + datetime.timedelta(seconds=30)) == 1
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2 and len(server.received) == 1


def test_a_failed_attempt_is_enqueued_again_for_its_due_time(network, receiver, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    from ascnhub.api import tasks

    server = receiver([502])
    _endpoint(network.secretariat, server.url)
    with transaction.atomic():
        [delivery] = webhooks.emit("registration.approved", {"registration": {"id": "y"}})
    default_task_backend.clear()
    assert tasks.deliver_webhook.call(delivery.pk) == "pending"
    [queued] = default_task_backend.results
    delivery.refresh_from_db()
    assert queued.task.run_after == delivery.next_attempt_at and queued.args == [delivery.pk]


def test_only_those_who_may_see_a_registration_receive_it(
    hlm, network, receiver, django_capture_on_commit_callbacks
):
    server = receiver()
    nr_id = _endpoint(network.indonesia_nr.user, server.url)
    nr_vn = _endpoint(network.vietnam_nr.user, server.url)  # another country's NR
    outsider = _endpoint(network.outsider, server.url)
    secretariat = _endpoint(network.secretariat, server.url)
    schedule_only = _endpoint(network.secretariat, server.url, ["matchmaking.meeting_scheduled"])
    registration = RegistrationFactory(meeting=hlm.meeting, category=hlm.gov, status="pending", country="ID")
    with django_capture_on_commit_callbacks(execute=True):
        events.decide(network.secretariat, registration, approve=True)
    reached = set(WebhookDelivery.objects.values_list("endpoint_id", flat=True))
    assert reached == {nr_id.pk, secretariat.pk}
    assert not {nr_vn.pk, outsider.pk, schedule_only.pk} & reached
    assert len(server.received) == 2


def test_the_integrator_hears_of_an_auto_approved_registration_once(
    client, hlm, network, receiver, django_capture_on_commit_callbacks
):
    server = receiver()
    user = network.company_person.user
    endpoint = _endpoint(user, server.url)
    _, secret = issue_token(user, "crm", ["write:registrations"])
    payload = {
        "category": "city",
        "name": "Sari Wulandari",
        "email": "sari@makassar.test",
        "organisation_name": "Kota Makassar",
        "country": "ID",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/meetings/{hlm.meeting.slug}/registrations",
            payload,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
    assert response.status_code == 201 and response.json()["status"] == "approved"
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 1
    assert json.loads(server.received[0]["body"])["data"]["registration"]["id"] == response.json()["id"]


def test_publishing_a_schedule_is_announced(network, receiver, django_capture_on_commit_callbacks):
    from ascnhub.matchmaking import scheduling, services
    from tests.matchmaking.factories import make_world

    mm = make_world(network)
    server = receiver()
    endpoint = _endpoint(network.company_person.user, server.url, ["matchmaking.meeting_scheduled"])
    _endpoint(network.company_person.user, server.url, ["registration.approved"])  # not subscribed
    request = services.send_request(None, mm.makassar, mm.company)
    services.answer_request(None, request, accept=True)
    run = scheduling.execute_run(scheduling.start_run(None, mm.setup, enqueue=False).pk)
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.publish_run(None, run, notify=False)
    [received] = server.received
    assert _verify(endpoint, received)
    body = json.loads(received["body"])
    assert body["event"] == "matchmaking.meeting_scheduled"
    assert body["data"]["meeting"] == mm.meeting.slug and body["data"]["meetings"] == 1
    assert body["data"]["run"] == run.number


# --- managing endpoints through the API -------------------------------------------------------------


def test_an_owner_manages_endpoints_through_the_api(
    client, network, receiver, django_capture_on_commit_callbacks
):
    server = receiver()
    _, secret = issue_token(network.makassar_officer.user, "hooks", ["manage:webhooks"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    response = client.post(
        "/api/v1/webhooks",
        {"url": server.url, "events": ["registration.approved"], "description": "city CRM"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["secret"].startswith("whsec_")
    listed = client.get("/api/v1/webhooks", **auth).json()
    assert [e["id"] for e in listed["items"]] == [created["id"]] and "secret" not in listed["items"][0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/webhooks/{created['id']}/ping", **auth)
    assert response.status_code == 202
    assert webhooks.verify(
        created["secret"], server.received[0]["headers"]["x-ascnhub-signature"], server.received[0]["body"]
    )
    deliveries = client.get(f"/api/v1/webhooks/{created['id']}/deliveries", **auth).json()["items"]
    assert [(d["event"], d["status"], d["attempts"]) for d in deliveries] == [("ping", "delivered", 1)]
    # Someone else's token neither sees nor deletes it.
    _, other = issue_token(network.danang_officer.user, "x", ["manage:webhooks"])
    other_auth = {"HTTP_AUTHORIZATION": f"Bearer {other}"}
    assert client.get(f"/api/v1/webhooks/{created['id']}", **other_auth).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{created['id']}", **other_auth).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{created['id']}", **auth).status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_endpoint_input_is_checked_and_named(client, network, settings):
    settings.ASCNHUB_WEBHOOK_ALLOW_PRIVATE = False
    _, secret = issue_token(network.makassar_officer.user, "hooks", ["manage:webhooks"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def create(url, events_=("registration.approved",)):
        return client.post(
            "/api/v1/webhooks", {"url": url, "events": list(events_)}, content_type="application/json", **auth
        )

    for url in [
        "http://hooks.example.org/x",
        "https://127.0.0.1/x",
        "https://10.0.0.8/x",
        "https://localhost/x",
        "ftp://hooks.example.org",
        "not a url",
    ]:
        response = create(url)
        assert response.status_code == 400 and "url" in response.json()["errors"], url
    response = create("https://hooks.example.org/x", ["everything"])
    assert response.status_code == 400 and "registration.approved" in response.json()["errors"]["events"][0]
    assert create("https://hooks.example.org/x", []).status_code == 400
    assert create("https://hooks.example.org/x").status_code == 201
    _, wrong_scope = issue_token(network.makassar_officer.user, "x", ["write:registrations"])
    response = client.get("/api/v1/webhooks", HTTP_AUTHORIZATION=f"Bearer {wrong_scope}")
    assert response.status_code == 403 and "manage:webhooks" in response.json()["detail"]


def test_a_host_resolving_to_a_private_address_is_not_called(network, settings, receiver):
    server = receiver()
    endpoint = _endpoint(network.secretariat, server.url.replace("127.0.0.1", "localhost"))
    settings.ASCNHUB_WEBHOOK_ALLOW_PRIVATE = False
    with transaction.atomic():
        [delivery] = webhooks.emit("registration.approved", {"registration": {"id": "z"}})
    delivery = webhooks.deliver(delivery.pk)
    assert delivery.status == "pending" and "non-public" in delivery.last_error and not server.received
    assert endpoint.deliveries.count() == 1


def test_the_connection_goes_to_the_address_that_was_checked(receiver):
    # DNS rebinding: a name may resolve to a public address for the check and to an internal one
    # a moment later. The request is sent over a connection to the checked address, never to a
    # second lookup: here the name does not resolve at all, and the request still arrives.
    server = receiver()
    port = server.server.server_address[1]
    status, _reason = webhooks._send(
        f"http://hooks.invalid:{port}/hooks?x=1", "127.0.0.1", b"{}", {"Content-Type": "application/json"}
    )
    assert status == 200
    [request] = server.received
    assert request["headers"]["host"] == f"hooks.invalid:{port}" and request["body"] == b"{}"


def test_a_redirect_is_an_answer_not_followed(receiver, network):
    server = receiver(statuses=[302])
    endpoint = _endpoint(network.secretariat, server.url)
    with transaction.atomic():
        [delivery] = webhooks.emit("registration.approved", {"registration": {"id": "r"}})
    delivery = webhooks.deliver(delivery.pk)
    assert delivery.status == "pending" and delivery.last_status_code == 302
    assert "HTTP 302" in delivery.last_error and len(server.received) == 1
    assert endpoint.deliveries.count() == 1


def _certificate(tmp_path, name: str, *, signer=None, ca: bool = False):
    """A key and certificate for `name` (self-signed, or signed by `signer` = (key, cert)), as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    issuer_key, issuer = (key, subject) if signer is None else (signer[0], signer[1].subject)
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
    cert = builder.sign(issuer_key, hashes.SHA256())
    cert_file, key_file = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return key, cert, cert_file, key_file


@contextlib.contextmanager
def _tls_receiver(cert_file, key_file):
    """An HTTPS receiver on 127.0.0.1 presenting the given certificate; yields (port, requests)."""
    import ssl

    received: list[dict] = []
    names_asked: list[str] = []  # the server names (SNI) clients asked for in their TLS hello

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append(
                {
                    "path": self.path,
                    "host": self.headers["Host"],
                    "body": body,
                    "sni": names_asked[-1] if names_asked else None,
                }
            )
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    context.sni_callback = lambda _socket, name, _context: names_asked.append(name)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1], received
    finally:
        server.shutdown()
        server.server_close()


def test_https_receivers_must_present_a_valid_certificate_for_the_name(tmp_path):
    # The pinned connection still verifies TLS against the URL's host name: a receiver with a
    # self-signed certificate is refused, and nothing is sent to it.
    import ssl

    _key, _cert, cert_file, key_file = _certificate(tmp_path, "hooks.example")
    with _tls_receiver(cert_file, key_file) as (port, received):
        with pytest.raises(ssl.SSLCertVerificationError):
            webhooks._send(
                f"https://hooks.example:{port}/hooks",
                "127.0.0.1",
                b"{}",
                {"Content-Type": "application/json"},
            )
        assert received == []


def test_an_https_receiver_with_a_trusted_certificate_gets_the_delivery_at_the_pinned_address(
    tmp_path, monkeypatch
):
    # The path that runs in production: a receiver whose certificate chains to a trusted
    # authority. The connection goes to the vetted address (the name does not even resolve), the
    # certificate is checked against the URL's name, and the body arrives intact. A trusted
    # certificate for another name is still refused.
    import ssl

    authority = _certificate(tmp_path, "Test Root CA", ca=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(authority[2]))  # the trust store OpenSSL reads
    _key, _cert, cert_file, key_file = _certificate(tmp_path, "hooks.invalid", signer=authority[:2])
    with _tls_receiver(cert_file, key_file) as (port, received):
        status, reason = webhooks._send(
            f"https://hooks.invalid:{port}/in?x=1",
            "127.0.0.1",
            b'{"a": 1}',
            {"Content-Type": "application/json"},
        )
        assert (status, reason) == (200, "OK")
        [request] = received
        assert request == {
            "path": "/in?x=1",
            "host": f"hooks.invalid:{port}",
            "body": b'{"a": 1}',
            "sni": "hooks.invalid",
        }
        with pytest.raises(ssl.SSLCertVerificationError, match="hostname|match"):
            webhooks._send(
                f"https://other.invalid:{port}/in", "127.0.0.1", b"{}", {"Content-Type": "application/json"}
            )
        assert len(received) == 1
