"""Content versions per language: status, the translation workflow from the outside, and the pages.

The machine-translation backend has its own tests (test_machine_translation.py).
"""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from ascnhub.common import translations
from ascnhub.common.models import ContentTranslation
from ascnhub.projects import services as project_services
from tests.projects.factories import NeedFactory, OfferFactory, ProjectFactory

pytestmark = pytest.mark.django_db

JA = {"title": "マカッサル在宅ケア訪問", "description": "高齢者の自宅を看護師が訪問する。"}


def in_japanese(msgid: str) -> str:
    """A label as a Japanese reader gets it (its text before any placeholder), whether or not the
    catalogue translates it yet."""
    with translation.override("ja"):
        return gettext(msgid).split("%(")[0]


@pytest.fixture
def project(network):
    return ProjectFactory(
        city=network.makassar,
        title="Makassar home-care visits",
        slug="makassar-home-care",
        description="Nurses visit older people at home.",
    )


def _request(client, obj, language, label="projects.project"):
    return client.post(
        "/translations/request/",
        {"content": label, "object_id": obj.pk, "language": language, "next": obj.get_absolute_url()},
    )


def _version(obj, language="ja") -> ContentTranslation:
    return ContentTranslation.objects.get(object_id=obj.pk, language=language)


def _act(client, version, action, **data):
    return client.post(f"/translations/{version.public_id}/", {"action": action, **data})


def _approved_ja(project, network, client_for) -> ContentTranslation:
    """A Japanese version made through the whole workflow: requested by a company, translated by
    the city's officer, approved by the secretariat."""
    assert _request(client_for(network.company_person.user), project, "ja").status_code == 302
    version = _version(project)
    officer = client_for(network.makassar_officer.user)
    assert _act(officer, version, "assign", me="on").status_code == 302
    assert _act(officer, version, "submit", **JA).status_code == 302
    assert _act(client_for(network.secretariat), version, "approve").status_code == 302
    version.refresh_from_db()
    return version


# --- the workflow ------------------------------------------------------------------------------------


def test_request_assign_submit_approve_makes_a_human_translation(project, network, client_for):
    version = _approved_ja(project, network, client_for)
    assert version.state == "approved"
    assert version.status == "human"
    assert version.fields == JA
    assert version.translator == network.makassar_officer.user
    assert version.reviewer == network.secretariat
    assert version.requested_by == network.company_person.user
    # The project's own translations (lists, search) carry the approved text too.
    project.refresh_from_db()
    assert project.translations["ja"] == JA
    assert "マカッサル" in project.search_text


def test_rejection_sends_the_text_back_with_the_reason_and_readers_keep_the_original(
    project, network, client_for
):
    _request(client_for(network.company_person.user), project, "ja")
    version = _version(project)
    officer = client_for(network.makassar_officer.user)
    _act(officer, version, "assign", me="on")
    _act(officer, version, "submit", **JA)
    secretariat = client_for(network.secretariat)
    refused = _act(secretariat, version, "reject", reason="")
    assert refused.status_code == 400
    assert "Say what should change." in refused.content.decode()
    _act(secretariat, version, "reject", reason="The title is too literal.")
    version.refresh_from_db()
    assert (version.state, version.status, version.review_note) == (
        "rejected",
        "pending",
        "The title is too literal.",
    )
    page = client_for(None).get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja")
    assert "マカッサル在宅ケア訪問" not in page.content.decode()
    # The translator sees the reason and may submit again.
    detail = officer.get(f"/translations/{version.public_id}/").content.decode()
    assert "The title is too literal." in detail
    assert _act(officer, version, "submit", **JA).status_code == 302
    version.refresh_from_db()
    assert version.state == "submitted"


def test_a_translator_does_not_review_their_own_translation(project, network, client_for):
    _request(client_for(network.company_person.user), project, "ja")
    version = _version(project)
    secretariat = client_for(network.secretariat)
    _act(secretariat, version, "assign", me="on")
    _act(secretariat, version, "submit", **JA)
    _act(secretariat, version, "approve")
    version.refresh_from_db()
    assert (version.state, version.status) == ("submitted", "pending")


def test_a_submission_must_translate_every_field_the_original_has(project, network, client_for):
    _request(client_for(network.company_person.user), project, "ja")
    version = _version(project)
    officer = client_for(network.makassar_officer.user)
    _act(officer, version, "assign", me="on")
    answer = _act(officer, version, "submit", title="題", description="")
    assert answer.status_code == 400
    assert "Translate “description” too." in answer.content.decode()
    version.refresh_from_db()
    assert (version.state, version.draft) == ("assigned", {})


def test_refused_requests_name_what_is_wrong_and_create_nothing(project, network, client_for):
    company = client_for(network.company_person.user)
    same = _request(company, project, "en")  # the original's own language
    assert same.status_code == 302
    unknown = _request(company, project, "xx")
    assert unknown.status_code == 302
    assert not ContentTranslation.objects.exists()
    _request(company, project, "ja")
    again = company.post(
        "/translations/request/",
        {"content": "projects.project", "object_id": project.pk, "language": "ja", "next": "/"},
        follow=True,
    )
    assert "A translation into Japanese is already requested." in again.content.decode()
    assert ContentTranslation.objects.count() == 1


def test_assigning_only_to_editors_or_the_secretariat(project, network, client_for):
    _request(client_for(network.company_person.user), project, "ja")
    version = _version(project)
    officer = client_for(network.makassar_officer.user)
    answer = _act(officer, version, "assign", email=network.company_person.user.email)
    assert answer.status_code == 400
    assert (
        "A translator must be one of the content&#x27;s editors or of the secretariat."
        in answer.content.decode()
    )
    assert _act(officer, version, "assign", email="nobody@example.org").status_code == 400
    assert _act(officer, version, "assign", email=network.secretariat.email).status_code == 302
    version.refresh_from_db()
    assert (version.state, version.translator) == ("assigned", network.secretariat)


# --- permissions from the outside ----------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_sign_in_and_change_nothing(project, network, client_for):
    anonymous = client_for(None)
    answer = _request(anonymous, project, "ja")
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    assert not ContentTranslation.objects.exists()
    _request(client_for(network.company_person.user), project, "ja")
    version = _version(project)
    for action in ("assign", "approve"):
        answer = _act(anonymous, version, action, me="on")
        assert "/accounts/login/" in answer["Location"]
    assert anonymous.get("/translations/").status_code == 302
    version.refresh_from_db()
    assert (version.state, version.translator) == ("requested", None)


def test_another_citys_officer_and_a_company_cannot_take_submit_or_approve(project, network, client_for):
    _request(client_for(network.company_person.user), project, "ja")
    version = _version(project)
    for outsider in (network.danang_officer.user, network.company_person.user):
        client = client_for(outsider)
        page = client.get(f"/translations/{version.public_id}/").content.decode()
        assert "Translate it myself" not in page
        client.post(f"/translations/{version.public_id}/", {"action": "assign", "me": "on"})
        version.refresh_from_db()
        assert (version.state, version.translator) == ("requested", None)
    officer = client_for(network.makassar_officer.user)
    _act(officer, version, "assign", me="on")
    for outsider in (network.danang_officer.user, network.company_person.user):
        client = client_for(outsider)
        _act(client, version, "submit", **JA)
        version.refresh_from_db()
        assert version.state == "assigned" and version.draft == {}
    _act(officer, version, "submit", **JA)
    for outsider in (network.danang_officer.user, network.company_person.user):
        answer = client_for(outsider).post(
            f"/translations/{version.public_id}/", {"action": "approve"}, follow=True
        )
        assert (
            "Only the content&#x27;s editors and the secretariat review translations."
            in answer.content.decode()
        )
        version.refresh_from_db()
        assert (version.state, version.status) == ("submitted", "pending")


def test_a_draft_projects_translations_are_as_private_as_the_draft(network, client_for):
    draft = ProjectFactory(city=network.makassar, slug="secret-pumps", title="Secret pumps", published=False)
    company = client_for(network.company_person.user)
    assert _request(company, draft, "ja").status_code == 404
    assert not ContentTranslation.objects.exists()
    _request(client_for(network.makassar_officer.user), draft, "ja")
    version = _version(draft)
    assert company.get(f"/translations/{version.public_id}/").status_code == 404
    assert (
        client_for(network.danang_officer.user).get(f"/translations/{version.public_id}/").status_code == 404
    )
    assert client_for(network.indonesia_nr.user).get(f"/translations/{version.public_id}/").status_code == 200


def test_the_queue_lists_what_the_user_works_on(project, network, client_for):
    danang = ProjectFactory(city=network.danang, slug="da-nang-map", title="Da Nang digital map")
    _request(client_for(network.company_person.user), project, "ja")
    _request(client_for(network.danang_officer.user), danang, "id")
    officer = client_for(network.makassar_officer.user)
    _act(officer, _version(project), "assign", me="on")
    mine = officer.get("/translations/").content.decode()
    assert "Makassar home-care visits" in mine and "Da Nang digital map" not in mine
    everything = client_for(network.secretariat).get("/translations/").content.decode()
    assert "Makassar home-care visits" in everything and "Da Nang digital map" in everything
    company = client_for(network.company_person.user).get("/translations/").content.decode()
    assert "Makassar home-care visits" in company and "Da Nang digital map" not in company


def test_the_queue_needs_the_same_queries_for_few_and_many_requests(network, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    secretariat = client_for(network.secretariat)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert secretariat.get("/translations/?state=").status_code == 200
        return len(ctx)

    def add(n: int, offset: int) -> None:
        for i in range(n):
            p = ProjectFactory(city=network.makassar, slug=f"q-{offset + i}")
            translations.request_translation(network.secretariat, p, "ja")
            translations.request_translation(network.secretariat, NeedFactory(city=network.makassar), "id")

    add(2, 0)
    few = count()
    add(8, 100)
    assert count() == few


# --- status and the pages ------------------------------------------------------------------------------


def test_a_japanese_viewer_sees_the_japanese_version_labelled_with_a_link_to_the_original(
    project, network, client_for
):
    _approved_ja(project, network, client_for)
    page = client_for(None).get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<h1 lang="ja">マカッサル在宅ケア訪問</h1>' in page
    assert in_japanese("Human translation") in page
    assert in_japanese("Original in %(lang)s") in page and 'href="?original=1"' in page
    original = client_for(None).get(project.get_absolute_url() + "?original=1", HTTP_ACCEPT_LANGUAGE="ja")
    assert '<h1 lang="en">Makassar home-care visits</h1>' in original.content.decode()
    english = client_for(None).get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<h1 lang="en">Makassar home-care visits</h1>' in english
    assert "Human translation" not in english


def test_the_status_turns_outdated_when_the_original_changes(project, network, client_for):
    version = _approved_ja(project, network, client_for)
    project.refresh_from_db()
    project_services.save_project(
        network.makassar_officer.user,
        project,
        {"description": "Nurses and volunteers visit older people at home."},
        focus_areas=["health_wellbeing"],
    )
    version.refresh_from_db()
    assert version.status == "outdated"
    assert version.outdated_at is not None
    page = client_for(None).get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert in_japanese("Outdated translation — the original changed on %(date)s") in page
    assert "マカッサル在宅ケア訪問" in page  # still shown, labelled
    # Saving without changing the translated fields outdates nothing.
    other = _version_after_unrelated_save(project, network)
    assert other == "outdated"


def _version_after_unrelated_save(project, network) -> str:
    project.refresh_from_db()
    project.budget_description = "City budget"
    project.save()
    return _version(project).status


def test_an_unrelated_save_keeps_the_translation_current(project, network, client_for):
    _approved_ja(project, network, client_for)
    project.refresh_from_db()
    project.budget_description = "City budget"
    project.save()
    assert _version(project).status == "human"


def test_a_new_request_on_an_outdated_version_keeps_it_shown_until_a_new_one_is_approved(
    project, network, client_for
):
    _approved_ja(project, network, client_for)
    project.refresh_from_db()
    project.title = "Makassar home-care and tele-visits"
    project.save()
    version = _version(project)
    assert version.status == "outdated"
    _request(client_for(network.company_person.user), project, "ja")
    version.refresh_from_db()
    assert (version.state, version.status, version.fields) == ("requested", "outdated", JA)
    officer = client_for(network.makassar_officer.user)
    _act(officer, version, "assign", me="on")
    _act(officer, version, "submit", title="マカッサル在宅ケアと遠隔訪問", description=JA["description"])
    _act(client_for(network.secretariat), version, "approve")
    version.refresh_from_db()
    assert (version.status, version.outdated_at) == ("human", None)


def test_the_editors_own_translation_on_the_form_is_a_human_version(project, network):
    project.translations = {
        "id": {"title": "Kunjungan perawatan rumah", "description": "Perawat berkunjung."}
    }
    project.save()
    version = _version(project, "id")
    assert (version.status, version.state) == ("human", "approved")
    project.description = "Nurses visit older people at home every week."
    project.save()
    assert _version(project, "id").status == "outdated"
    # The editor updates the translation on the form: current again.
    project.translations = {
        "id": {"title": "Kunjungan perawatan rumah", "description": "Perawat berkunjung tiap minggu."}
    }
    project.save()
    assert _version(project, "id").status == "human"


def test_the_panel_shows_each_languages_status(project, network, client_for):
    _approved_ja(project, network, client_for)
    _request(client_for(network.company_person.user), project, "id")
    page = client_for(network.company_person.user).get(project.get_absolute_url()).content.decode()
    assert 'id="translations-heading"' in page
    assert "human translation" in page
    assert "request: requested" in page
    # Japanese and Indonesian are taken; another language may still be asked for.
    assert '<option value="vi">' in page and '<option value="ja">' not in page
    assert '<a href="/translations/">' in page  # the queue, from every page's footer


def test_versions_go_with_their_original(project, network, client_for):
    _approved_ja(project, network, client_for)
    project.parties.all().delete()
    project.reports.all().delete()
    project.delete()
    assert not ContentTranslation.objects.exists()


def test_needs_offers_cases_chapters_and_profiles_are_translatable(network):
    from ascnhub.knowledge.models import Case, Chapter
    from ascnhub.matchmaking.models import Profile
    from ascnhub.projects.models import Need, Offer, Project

    assert set(translations.registered_models()) >= {Project, Need, Offer, Case, Chapter, Profile}
    need = NeedFactory(city=network.makassar, title="Telemedicine kits")
    offer = OfferFactory(organisation=network.company_person.organisation, title="Watch-over sensors")
    for obj in (need, offer):
        version = translations.request_translation(network.secretariat, obj, "ja")
        assert version.state == "requested"


def test_a_guidebook_chapter_is_translated_from_its_published_revision(network, client_for):
    from ascnhub.knowledge import services as knowledge
    from ascnhub.knowledge.models import Chapter

    chapter = Chapter.objects.create(slug="water", part="priority_areas", title="Water", language="en")
    secretariat = network.secretariat
    knowledge.save_chapter(
        secretariat, chapter, title="Water", body="Keep the rivers clean.", base_revision=0
    )
    chapter.refresh_from_db()
    knowledge.submit_for_review(secretariat, chapter)
    knowledge.approve(secretariat, chapter)
    chapter.refresh_from_db()
    version = translations.request_translation(network.company_person.user, chapter, "ja")
    translations.assign(secretariat, version, network.indonesia_nr.user)
    translations.submit(network.indonesia_nr.user, version, {"title": "水", "body": "川をきれいに保つ。"})
    translations.approve(secretariat, version)
    page = client_for(None).get(chapter.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "川をきれいに保つ。" in page and in_japanese("Human translation") in page
    # A new draft does not change what readers see, so the version stays current …
    knowledge.save_chapter(
        secretariat, chapter, title="Water", body="Keep rivers and lakes clean.", base_revision=1
    )
    assert _version(chapter).status == "human"
    # … until it is published.
    chapter.refresh_from_db()
    knowledge.submit_for_review(secretariat, chapter)
    knowledge.approve(secretariat, chapter)
    assert _version(chapter).status == "outdated"


def test_the_api_gives_a_projects_versions_read_only(project, network, client_for):
    _approved_ja(project, network, client_for)
    translations.request_translation(network.company_person.user, project, "id")  # no text yet
    answer = client_for(None).get(f"/api/v1/projects/{project.slug}").json()
    assert [(v["language"], v["status"], v["fields"]["title"]) for v in answer["versions"]] == [
        ("ja", "human", JA["title"])
    ]


def test_the_people_concerned_are_told_at_each_step(project, network, client_for):
    from ascnhub.notices.models import Notification

    def told(user) -> list[str]:
        return list(Notification.objects.filter(user=user, kind="translation").values_list("text", flat=True))

    officer, secretariat, company = (
        network.makassar_officer.user,
        network.secretariat,
        network.company_person.user,
    )
    _request(client_for(company), project, "ja")
    version = _version(project)
    _act(client_for(secretariat), version, "assign", email=officer.email)
    assert told(officer) == ["You are asked to translate “Makassar home-care visits” into Japanese."]
    _act(client_for(officer), version, "submit", **JA)
    assert told(secretariat) == [
        "A translation of “Makassar home-care visits” into Japanese waits for review."
    ]
    _act(client_for(secretariat), version, "reject", reason="Use polite form.")
    assert told(officer)[0] == (
        "The translation of “Makassar home-care visits” into Japanese was sent back: Use polite form."
    )
    _act(client_for(officer), version, "submit", **JA)
    _act(client_for(secretariat), version, "approve")
    approved = "The translation of “Makassar home-care visits” into Japanese was approved and is published."
    assert told(officer)[0] == approved and told(company) == [approved]
    assert len(told(secretariat)) == 2  # submitted twice; never told of their own steps


def test_an_original_changed_back_makes_its_translation_current_again(project, network, client_for):
    _approved_ja(project, network, client_for)
    project.refresh_from_db()
    written = project.description
    project.description = "Nurses visit older peopel at home."  # a slip …
    project.save()
    assert _version(project).status == "outdated"
    project.description = written  # … undone
    project.save()
    version = _version(project)
    assert (version.status, version.outdated_at) == ("human", None)


def test_an_indonesian_reader_sees_a_japanese_case_in_indonesian_labelled_machine(network, client_for):
    from ascnhub.knowledge import services as knowledge

    case = knowledge.create_case(
        None,
        {
            "title": "富山市のコンパクトシティ",
            "place": "Toyama",
            "country": "JP",
            "focus_area": "built_infrastructure",
            "language": "ja",
            "problem": "人口が郊外に広がった。",
            "solution": "路面電車を軸にまちをつくり直した。",
        },
    )

    class Fixed:
        def translate(self, texts, source, target):
            assert (source, target) == ("ja", "id")
            return [f"(id) {t}" for t in texts]

    version = translations.request_translation(network.company_person.user, case, "id")
    translations.machine_translate(version.pk, backend=Fixed())
    page = client_for(None).get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "(id) 路面電車を軸にまちをつくり直した。" in page
    assert 'href="?original=1"' in page
    english = client_for(None).get(case.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Original in Japanese" in english and "(id)" not in english


def test_a_pages_queries_do_not_grow_with_its_versions(project, network, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reader = client_for(network.company_person.user)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert reader.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").status_code == 200
        return len(ctx)

    translations.request_translation(network.secretariat, project, "ja")
    few = count()
    for lang in ("id", "vi", "th", "km", "lo"):
        translations.request_translation(network.secretariat, project, lang)
    assert count() == few


# --- withdrawing a request ---------------------------------------------------------------------------


def test_the_requester_withdraws_an_assigned_request_and_the_translator_is_told(project, network, client_for):
    from ascnhub.notices.models import Notification

    company, officer = network.company_person.user, network.makassar_officer.user
    _request(client_for(company), project, "ja")
    version = _version(project)
    _act(client_for(officer), version, "assign", me="on")
    page = client_for(company).get(f"/translations/{version.public_id}/").content.decode()
    assert "Withdraw the request" in page
    assert _act(client_for(company), version, "withdraw").status_code == 302
    version.refresh_from_db()
    assert version.state == "withdrawn" and not version.is_open
    assert Notification.objects.filter(user=officer, kind="translation").first().text == (
        "The request to translate “Makassar home-care visits” into Japanese was withdrawn."
    )
    # It leaves the open queue, the translator can no longer submit, and the language may be
    # asked for again (on the same row).
    assert version not in translations.queue_for(officer, "open")
    assert _act(client_for(officer), version, "submit", **JA).status_code == 400
    version.refresh_from_db()
    assert (version.state, version.draft) == ("withdrawn", {})
    assert _request(client_for(company), project, "ja").status_code == 302
    version.refresh_from_db()
    assert (version.state, version.translator) == ("requested", None)
    assert ContentTranslation.objects.filter(object_id=project.pk, language="ja").count() == 1


def test_withdrawing_keeps_what_readers_see(project, network, client_for):
    version = _approved_ja(project, network, client_for)
    project.title = "Makassar home-care visits by nurses"
    project.save()
    _request(client_for(network.company_person.user), project, "ja")  # the outdated version again
    version.refresh_from_db()
    assert (version.state, version.status) == ("requested", "outdated")
    _act(client_for(network.makassar_officer.user), version, "withdraw")
    version.refresh_from_db()
    assert (version.state, version.status, version.fields) == ("withdrawn", "outdated", JA)
    page = client_for(None).get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert JA["title"] in page


def test_only_the_requester_editors_and_secretariat_withdraw_and_not_a_text_in_review(
    project, network, client_for
):
    _request(client_for(network.company_person.user), project, "ja")
    version = _version(project)
    for outsider in (network.danang_officer.user, network.outsider):
        client = client_for(outsider)
        page = client.get(f"/translations/{version.public_id}/").content.decode()
        assert "Withdraw the request" not in page
        answer = client.post(f"/translations/{version.public_id}/", {"action": "withdraw"}, follow=True)
        assert "Only whoever asked for it" in answer.content.decode().replace("&#x27;", "'")
        version.refresh_from_db()
        assert version.state == "requested"
    anonymous = client_for(None).post(f"/translations/{version.public_id}/", {"action": "withdraw"})
    assert anonymous.status_code in (302, 403)
    version.refresh_from_db()
    assert version.state == "requested"
    officer = client_for(network.makassar_officer.user)
    _act(officer, version, "assign", me="on")
    _act(officer, version, "submit", **JA)
    answer = client_for(network.company_person.user).post(
        f"/translations/{version.public_id}/", {"action": "withdraw"}, follow=True
    )
    assert "A text waits for review: approve it or send it back instead." in answer.content.decode()
    version.refresh_from_db()
    assert (version.state, version.draft) == ("submitted", JA)
    # the secretariat may withdraw a request someone else made, once it is sent back
    secretariat = client_for(network.secretariat)
    _act(secretariat, version, "reject", reason="Too literal.")
    assert _act(secretariat, version, "withdraw").status_code == 302
    version.refresh_from_db()
    assert (version.state, version.draft) == ("withdrawn", {})
