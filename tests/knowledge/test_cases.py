"""Best-practice cases: publishing, permissions, similar cases across languages, query counts."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascnhub.common.embeddings import DatabaseEmbeddingStore, database_embedder
from ascnhub.common.models import ActivityLog, TextEmbedding
from ascnhub.engine.matching import CachedEmbedder, cache_key
from ascnhub.knowledge import services
from ascnhub.knowledge.models import Case

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Flood sensors on the river",
    "city": "",
    "place": "",
    "country": "ID",
    "focus_area": "safety_security",
    "language": "en",
    "year": "2024",
    "problem": "Floods come without warning.",
    "solution": "River-level sensors and SMS alerts.",
    "results": "",
    "partners_text": "",
    "source_url": "",
    "published": "on",
}


def make_case(**kw) -> Case:
    data = {
        "title": "Case",
        "place": "Somewhere",
        "country": "JP",
        "focus_area": "civic_social",
        "language": "en",
        "problem": "p",
        "solution": "s",
        **kw,
    }
    return services.create_case(None, data)


def test_city_officer_publishes_a_case_for_own_city_only(network, client_for):
    client = client_for(network.makassar_officer.user)
    assert client.post("/knowledge/cases/new/", {**VALID, "city": network.danang.pk}).status_code == 400
    assert not Case.objects.exists()
    response = client.post("/knowledge/cases/new/", {**VALID, "city": network.makassar.pk})
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.city == network.makassar and case.slug == "flood-sensors-on-the-river"
    assert ActivityLog.objects.get().action == "create"


@pytest.mark.parametrize("who", ["company_person", "outsider", "danang_officer", "vietnam_nr"])
def test_others_cannot_edit_a_case_and_nothing_changes(network, client_for, who):
    case = make_case(city=network.makassar, place="", country="ID", title="Makassar War Room")
    actor = getattr(network, who)
    client = client_for(getattr(actor, "user", actor))
    response = client.post(f"/knowledge/cases/{case.slug}/edit/", {**VALID, "city": network.makassar.pk})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).title == "Makassar War Room"
    assert client_for(None).post("/knowledge/cases/new/", VALID).status_code == 302  # to sign in
    if who in ("company_person", "outsider"):
        assert client.post("/knowledge/cases/new/", VALID).status_code == 403
    assert Case.objects.count() == 1


def test_attachment_type_is_limited(network, client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    case = make_case(city=network.makassar, place="", country="ID")
    client = client_for(network.makassar_officer.user)
    client.post(
        f"/knowledge/cases/{case.slug}/attachments/",
        {"title": "x", "file": SimpleUploadedFile("x.html", b"<script>", "text/html")},
    )
    assert not case.attachments.exists()
    client.post(
        f"/knowledge/cases/{case.slug}/attachments/",
        {"title": "Report", "file": SimpleUploadedFile("report.pdf", b"%PDF-1.4", "application/pdf")},
    )
    att = case.attachments.get()
    download = client_for(None).get(f"/knowledge/attachments/{att.public_id}/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]


def test_similar_cases_work_across_languages_and_embeddings_are_cached_in_the_database(network, client_for):
    flood = make_case(
        title="River flood early warning",
        language="en",
        problem="Floods reach the city without warning.",
        solution="Water-level sensors on the river send alerts to residents.",
    )
    make_case(
        title="洪水の早期警報",
        language="ja",
        problem="大雨のとき川の水位がわからない。",
        solution="水位センサーで住民に避難情報を送る。",
    )
    make_case(
        title="Sistem parkir pintar",
        language="id",
        problem="Sulit mencari tempat parkir di pusat kota.",
        solution="Sensor parkir dan aplikasi pembayaran.",
    )
    make_case(
        title="Hệ thống chính quyền số",
        language="vi",
        problem="Thủ tục hành chính chậm.",
        solution="Cổng dịch vụ công trực tuyến.",
    )
    page = client_for(None).get(flood.get_absolute_url()).content.decode()
    similar = page[page.index('id="similar-cases"') :]
    assert similar.index("洪水の早期警報") < similar.index("Sistem parkir pintar")
    stored = TextEmbedding.objects.count()
    assert stored == 4  # each case text embedded once, as a passage
    embedder = database_embedder()
    services.similar_cases(flood, embedder=embedder)
    assert embedder.embedded == 0 and TextEmbedding.objects.count() == stored


def test_database_store_round_trip_and_races():
    store = DatabaseEmbeddingStore("test-model")
    v = np.arange(4, dtype=np.float32) / 10
    store.put_many({"k1": v})
    store.put_many({"k1": v, "k2": v * 2})  # a key stored by another process is left alone
    got = store.get_many(["k1", "k2", "missing"])
    assert set(got) == {"k1", "k2"} and np.allclose(got["k2"], v * 2) and got["k1"].dtype == np.float32
    assert len(store) == 2 and TextEmbedding.objects.get(key="k1").model == "test-model"

    class Fake:
        model_id = "fake"

        def embed_passages(self, texts):
            return np.ones((len(texts), 3), dtype=np.float32)

        embed_queries = embed_passages

    cached = CachedEmbedder(Fake(), DatabaseEmbeddingStore("fake"))
    cached.embed_passages(["a", "b", "a"])
    assert cached.embedded == 2
    assert TextEmbedding.objects.filter(key=cache_key("fake", "passage", "a")).exists()


def test_case_list_query_count_and_filters(network, client_for):
    client = client_for(None)
    make_case(city=network.makassar, place="", country="ID", language="id", title="Makassar")

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    few = count("/knowledge/")
    for i in range(15):
        make_case(
            city=network.danang,
            place="",
            country="VN",
            language="vi",
            title=f"Da Nang {i}",
            focus_area="safety_security",
        )
    assert count("/knowledge/") == few
    only_id = client.get("/knowledge/?language=id").content.decode()
    assert "Makassar" in only_id and "Da Nang 1" not in only_id
    focus = client.get("/knowledge/?focus=safety_security&country=VN").content.decode()
    assert "Da Nang 3" in focus and ">Makassar<" not in focus


def test_embed_command_fills_the_cache_once(network):
    import io

    from django.core.management import call_command

    make_case(title="Flood sensors", problem="Floods.", solution="Sensors.")
    make_case(title="Smart parking", problem="Parking.", solution="Apps.")
    out = io.StringIO()
    call_command("knowledge", "embed", stdout=out)
    assert "2 published cases; 2 texts embedded now" in out.getvalue()
    call_command("knowledge", "embed", stdout=out)
    assert "0 texts embedded now" in out.getvalue()
    assert TextEmbedding.objects.count() == 2


def test_saving_a_case_enqueues_its_embedding(network, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(title="Flood sensors")
    # Two tasks: its embedding for 'similar cases', and its entry in the search index.
    by_task = sorted((r.task.name, r.args) for r in default_task_backend.results)
    assert by_task == [("embed_cases", [[case.pk]]), ("refresh_search_index", ["case", [case.pk]])]
