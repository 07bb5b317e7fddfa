"""One private world for the permission matrix, built once per module, and the matrix report.

The world holds one private object of every kind, owned by known people, and a signed-in client
(and API tokens) for every role. Each request of the matrix runs inside a savepoint that is rolled
back, so an allowed write never changes what the next request sees.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

ROLES = (
    "anon",
    "participant",
    "company",
    "other_csco",
    "csco",
    "other_nr",
    "nr",
    "partner",
    "organiser",
    "checkin",
    "secretariat",
)

# Filled by the matrix tests, printed at the end of the run.
MATRIX: list[tuple[str, str, dict[str, str]]] = []


def build_world(media_root) -> SimpleNamespace:
    from ascnhub.api import services as api_services
    from ascnhub.common.permissions import SECRETARIAT_GROUP
    from ascnhub.followup import services as followup_services
    from ascnhub.followup.models import ActionItem
    from ascnhub.knowledge import services as knowledge_services
    from ascnhub.knowledge.models import Case, CaseAttachment, Chapter
    from ascnhub.matchmaking import scheduling
    from ascnhub.matchmaking import services as mm_services
    from ascnhub.matchmaking.models import ScheduledMeeting
    from ascnhub.projects.models import ProgressReport, ProjectDocument, ReportAttachment
    from tests.events.factories import MeetingFactory, RegistrationFactory, RoomFactory
    from tests.factories import OrganisationFactory, PersonFactory, UserFactory, make_network
    from tests.followup.factories import CommitmentFactory, OutcomeDocumentFactory, RecommendationFactory
    from tests.matchmaking.factories import make_world, profile_for
    from tests.projects.factories import (
        NeedFactory,
        OfferFactory,
        PartnershipFactory,
        PartyFactory,
        ProjectFactory,
        ReportFactory,
    )

    net = make_network()
    w = SimpleNamespace(net=net)

    # --- the people ------------------------------------------------------------------------------
    participant = PersonFactory(
        name="Plain Participant", organisation=OrganisationFactory(kind="academia", country="TH")
    )
    partner = PersonFactory(
        name="Partner Official",
        organisation=OrganisationFactory(kind="partner_government", country="JP", name="Partner Ministry"),
    )
    organiser = UserFactory(email="organiser@test.example")
    checkin = UserFactory(email="desk@test.example")
    net.secretariat.is_staff = True  # as in the demo: the secretariat works in the admin too
    net.secretariat.save(update_fields=["is_staff"])
    assert net.secretariat.groups.filter(name=SECRETARIAT_GROUP).exists()
    group = Group.objects.get(name=SECRETARIAT_GROUP)  # model permissions as in the demo
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=["registry", "common"]))
    w.users = {
        "anon": None,
        "participant": participant.user,
        "company": net.company_person.user,
        "other_csco": net.banyuwangi_officer.user,
        "csco": net.makassar_officer.user,
        "other_nr": net.vietnam_nr.user,
        "nr": net.indonesia_nr.user,
        "partner": partner.user,
        "organiser": organiser,
        "checkin": checkin,
        "secretariat": net.secretariat,
    }
    w.partner_org = partner.organisation

    # --- meetings, registrations, matchmaking ------------------------------------------------------
    mm = make_world(net)
    w.mm, w.meeting, w.hlm = mm, mm.meeting, mm.hlm
    w.meeting.organisers.add(organiser)
    w.meeting.check_in_staff.add(checkin)
    w.draft_meeting = MeetingFactory(slug="draft-meeting", title="Unannounced Draft Summit", status="draft")
    w.draft_meeting.organisers.add(organiser)
    w.spare_room = RoomFactory(meeting=w.meeting, name="Spare room", capacity=20)  # no sessions

    w.csco_reg = mm.makassar.owner  # approved, in person, not listed publicly
    w.csco_reg.name = "Makassar Officer Unlisted"
    w.csco_reg.email = "makassar.officer.private@test.example"
    w.csco_reg.consent_list = False
    w.csco_reg.save()
    w.participant_profile = profile_for(
        mm.setup, participant, kind="other", mode="online", country="TH", tz="Asia/Bangkok"
    )
    w.participant_reg = w.participant_profile.owner
    w.participant_reg.email = "participant.listed@test.example"
    w.participant_reg.save()
    w.pending_reg = RegistrationFactory(
        meeting=w.meeting,
        category=mm.hlm.gov,
        status="pending",
        country="ID",
        name="Pending Delegate Indonesia",
        email="pending.delegate@test.example",
    )
    w.hidden_profile = mm.pending
    w.hidden_profile.visible = False
    w.hidden_profile.name = "Hidden Delegation"
    w.hidden_profile.save()

    # The company shares a phone: only the other side of an accepted request may see it.
    mm.company.contact_phone, mm.company.share_phone = "+81 3 0000 1111", True
    mm.company.save()
    accepted = mm_services.send_request(None, mm.makassar, mm.company, message="Accepted request note")
    mm_services.answer_request(None, accepted, accept=True)
    run = scheduling.execute_run(
        scheduling.start_run(None, mm.setup, enqueue=False).pk, report_progress=False
    )
    assert run.status == "done", run.error
    scheduling.publish_run(None, run, notify=False)
    w.run = run
    w.scheduled = ScheduledMeeting.objects.get(run=run)
    mm_services.give_feedback(
        None, w.scheduled, mm.makassar, rating=4, follow_up=True, comment="Confidential feedback words"
    )
    w.lead = w.scheduled.lead
    w.draft_run = scheduling.execute_run(
        scheduling.start_run(None, mm.setup, enqueue=False).pk, report_progress=False
    )
    w.pending_request = mm_services.send_request(
        None, w.participant_profile, mm.company, message="Private pending request message"
    )

    # --- projects --------------------------------------------------------------------------------
    w.public_project = ProjectFactory(city=net.makassar, title="Makassar public project", slug="mks-public")
    w.draft_project = ProjectFactory(
        city=net.makassar, title="Unpublished Pump Project", slug="mks-draft", published=False
    )
    w.party = PartyFactory(project=w.draft_project, organisation=w.partner_org)
    w.document = ProjectDocument.objects.create(
        project=w.draft_project,
        title="Draft feasibility study",
        kind="other",
        language="en",
        url="https://docs.test.example/feasibility",
    )
    w.document_file = ProjectDocument.objects.create(
        project=w.draft_project,
        title="Draft plan (file)",
        kind="other",
        language="en",
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 draft plan", "application/pdf"),
    )
    ReportFactory(project=w.public_project, narrative="Approved narrative")
    w.submitted_report = ReportFactory(
        project=w.public_project,
        state=ProgressReport.State.SUBMITTED,
        narrative="Submitted narrative",
        period_start="2024-07-01",
        period_end="2024-12-31",
    )
    w.draft_report = ReportFactory(
        project=w.public_project,
        state=ProgressReport.State.DRAFT,
        narrative="Draft narrative words",
        period_start="2025-01-01",
        period_end="2025-06-30",
    )
    w.report_file = ReportAttachment.objects.create(
        report=w.draft_report,
        title="Draft report photo",
        file=SimpleUploadedFile("photo.pdf", b"%PDF-1.4 draft report file", "application/pdf"),
    )
    w.secret_need = NeedFactory(city=net.makassar, project=w.draft_project, title="Need of the draft project")
    w.hidden_need = NeedFactory(
        city=net.makassar,
        project=w.public_project,
        title="Unpublished closed need",
        published=False,
        is_open=False,
    )
    w.draft_partnership = PartnershipFactory(
        city=net.makassar, organisation=w.partner_org, title="Unannounced partnership", published=False
    )
    w.draft_offer = OfferFactory(
        organisation=net.company_person.organisation,
        title="Unreleased sensor offer",
        slug="unreleased",
        published=False,
    )

    # --- outcomes --------------------------------------------------------------------------------
    w.rec = RecommendationFactory(title="Published recommendation")
    w.city_commitment = CommitmentFactory(
        recommendation=w.rec, party_kind="city", city=net.makassar, description="Makassar commitment"
    )
    w.partner_commitment = CommitmentFactory(
        recommendation=w.rec,
        party_kind="organisation",
        organisation=w.partner_org,
        description="Partner commitment",
    )
    w.action = ActionItem.objects.create(
        commitment=w.city_commitment, title="Train the teams", due_date=datetime.date(2030, 1, 1)
    )
    w.draft_document = OutcomeDocumentFactory(title="Draft outcome document", published=False)
    w.draft_rec = RecommendationFactory(document=w.draft_document, title="Undisclosed recommendation")
    w.draft_commitment = CommitmentFactory(
        recommendation=w.draft_rec,
        party_kind="city",
        city=net.makassar,
        description="Undisclosed commitment words",
    )
    w.draft_update = followup_services.post_status_update(
        None,
        w.draft_commitment,
        status="in_progress",
        progress=10,
        note="Draft evidence",
        evidence_file=SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 draft evidence", "application/pdf"),
    )

    # --- outcome documents authored on the site: one revision in review, one draft -----------------
    from ascnhub.followup import authoring
    from tests.factories import secretariat_user
    from tests.followup.factories import make_meeting

    colleague = secretariat_user()  # the author: the matrix's secretariat user may review
    w.review_revision = authoring.save_revision(
        colleague, w.draft_document, authoring.live_content(w.draft_document)
    )
    authoring.submit_revision(colleague, w.review_revision)
    w.authoring_meeting = make_meeting("matrix-authored-outcome", 2024, "Matrix authored meeting")
    w.draft_revision = authoring.start_document(
        colleague,
        w.authoring_meeting,
        {"title": "Authored draft words", "adopted_on": datetime.date(2024, 10, 19), "recommendations": []},
    )
    w.blank_meeting = make_meeting("matrix-blank-meeting", 2024, "Matrix meeting without outcome")

    # --- knowledge -------------------------------------------------------------------------------
    nr_user = net.indonesia_nr.user
    w.review_chapter = Chapter.objects.create(slug="in-review", part="basics", position=1, title="In review")
    knowledge_services.save_chapter(
        nr_user, w.review_chapter, title="Chapter under review", body="Review body words", base_revision=0
    )
    knowledge_services.add_comment(net.makassar_officer.user, w.review_chapter, "Reviewer comment words")
    knowledge_services.submit_for_review(nr_user, w.review_chapter)
    w.draft_chapter = Chapter.objects.create(slug="drafting", part="basics", position=2, title="Drafting")
    knowledge_services.save_chapter(
        nr_user, w.draft_chapter, title="Chapter being drafted", body="Drafting body", base_revision=0
    )
    w.published_chapter = Chapter.objects.create(slug="published", part="basics", position=3, title="Pub")
    knowledge_services.save_chapter(
        nr_user, w.published_chapter, title="Published chapter", body="Published body", base_revision=0
    )
    knowledge_services.submit_for_review(nr_user, w.published_chapter)
    knowledge_services.approve(net.secretariat, w.published_chapter)
    knowledge_services.save_chapter(
        nr_user, w.published_chapter, title="Renamed in draft", body="Unpublished rewrite", base_revision=1
    )
    for chapter in (w.review_chapter, w.draft_chapter, w.published_chapter):
        chapter.refresh_from_db()
    w.draft_case = Case.objects.create(
        slug="draft-case",
        title="Unpublished case",
        city=net.makassar,
        country="ID",
        focus_area="civic_social",
        problem="Problem words",
        solution="Solution words",
        published=False,
    )
    w.attachment = CaseAttachment.objects.create(
        case=w.draft_case,
        title="Case slides",
        file=SimpleUploadedFile("slides.pdf", b"%PDF-1.4 case slides", "application/pdf"),
    )

    # --- API tokens: every role, with all scopes and with read only --------------------------------
    from ascnhub.api.models import ApiToken, Scope

    w.tokens = {}
    for role, user in w.users.items():
        if user is None:
            continue
        _t, w.tokens[role] = api_services.issue_token(user, "all", list(Scope.values), days=30)
        _t, w.tokens[f"{role}/read-only"] = api_services.issue_token(
            user, "ro", [Scope.READ_PRIVATE], days=30
        )
    revoked, w.tokens["company/revoked"] = api_services.issue_token(
        net.company_person.user, "revoked", list(Scope.values), days=30
    )
    api_services.revoke_token(None, revoked)
    expired, w.tokens["company/expired"] = api_services.issue_token(
        net.company_person.user, "expired", list(Scope.values), days=30
    )
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )

    # Recently used: authenticating does not record the use again (a write in every request).
    ApiToken.objects.update(last_used_at=timezone.now() + datetime.timedelta(days=1))

    # --- webhook endpoints: one per role, for registration approvals ------------------------------
    from ascnhub.api.models import WebhookEndpoint

    w.endpoints = {
        role: WebhookEndpoint.objects.create(
            owner=user, url=f"https://hooks.test.example/{role}", events=["registration.approved"]
        )
        for role, user in w.users.items()
        if user is not None
    }

    # --- programmes: a draft study, an agreement of the csco's city with one item ------------------------
    from ascnhub.programmes import services as programmes_services
    from ascnhub.programmes.models import Programme

    programme = Programme.objects.create(slug="matrix-programme", name="Matrix Programme")
    programmes_services.create_study(
        None,
        {
            "programme": programme,
            "title": "Unpublished Study Secret",
            "theme": "Water",
            "fiscal_year": 2024,
            "published": False,
        },
        cities=[net.makassar],
    )
    w.agreement = programmes_services.create_agreement(
        None,
        {"title": "Matrix MoU", "signed_on": datetime.date(2024, 1, 1)},
        cities=[net.makassar],
        items=[{"number": 1, "title": "Matrix item"}],
    )
    w.draft_agreement = programmes_services.create_agreement(
        None,
        {"title": "Unpublished Agreement Secret", "signed_on": datetime.date(2024, 2, 1), "published": False},
        cities=[net.makassar],
    )

    # --- signed-in clients (sessions live as long as the module's data) -----------------------------
    w.clients = {}
    for role, user in w.users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        w.clients[role] = client
    w.media_root = media_root
    return w


@pytest.fixture(scope="module")
def sec(django_db_setup, django_db_blocker, tmp_path_factory):
    """The matrix world, built once for the module inside a transaction rolled back at the end."""
    media = tmp_path_factory.mktemp("security-media")
    with (
        override_settings(
            MEDIA_ROOT=str(media),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            ASCNHUB_REQUIRE_MFA_FOR_SECRETARIAT=False,
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            # The matrix counts every row a request writes. Rate-limit counters (the `default`
            # cache is a database table) are written before any permission check, by design, and
            # are not data anyone may or may not change: keep them out of the count. The limits
            # themselves are tested in tests/api/test_rate_limits.py.
            CACHES={
                **settings.CACHES,
                "default": {
                    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "LOCATION": "permission-matrix",
                },
            },
        ),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world(media)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not MATRIX:
        return
    tr = terminalreporter
    roles = sorted({r for _o, _a, res in MATRIX for r in res}, key=lambda r: (ROLES + (r,)).index(r))
    unexpected = sum(v.startswith("ALLOW!") for _o, _a, res in MATRIX for v in res.values())
    checks = sum(len(res) for _o, _a, res in MATRIX)
    tr.write_sep("-", "permission matrix")
    tr.write_line(
        f"{len(MATRIX)} rows (object × action) × principals = {checks} checks; unexpected allows: "
        f"{unexpected}"
    )
    if config.option.verbose > 0 or unexpected:
        for obj, action, res in MATRIX:
            cells = " ".join(f"{r}={res[r]}" for r in roles if r in res)
            tr.write_line(f"{obj} | {action} | {cells}")
