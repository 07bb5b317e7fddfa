"""The planning guidebook: revisions, concurrent edits, review workflow, comments, export."""

from __future__ import annotations

import re
import zlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ascnhub.common.models import ActivityLog
from ascnhub.knowledge import services
from ascnhub.knowledge.models import Chapter, ChapterComment, ChapterRevision

pytestmark = pytest.mark.django_db

FIRST = "# Why\n\nCities plan together.\n\n# How\n\nStep one.\n"


@pytest.fixture
def chapter(network):
    ch = Chapter.objects.create(slug="introduction", part="introduction", position=1, title="Introduction")
    services.save_chapter(network.indonesia_nr.user, ch, title="Introduction", body=FIRST, base_revision=0)
    return ch


def _edit(client, ch, body, base, title="Introduction", summary=""):
    return client.post(
        f"/knowledge/guidebook/{ch.slug}/edit/",
        {"title": title, "body": body, "base_revision": base, "summary": summary},
    )


def test_two_editors_saving_the_same_chapter_is_detected_and_nothing_is_overwritten(
    network, client_for, chapter
):
    nr_id, nr_vn = client_for(network.indonesia_nr.user), client_for(network.vietnam_nr.user)
    # Both open revision 1.
    page = nr_id.get(f"/knowledge/guidebook/{chapter.slug}/edit/").content.decode()
    assert 'name="base_revision" value="1"' in page
    assert nr_vn.get(f"/knowledge/guidebook/{chapter.slug}/edit/").status_code == 200
    # Viet Nam's NR saves first.
    vn_body = FIRST.replace("Step one.", "Step one: ask the residents.")
    assert _edit(nr_vn, chapter, vn_body, 1, summary="Residents first").status_code == 302
    # Indonesia's NR saves from revision 1 as well: refused, shown what the other person changed.
    id_body = FIRST.replace("Cities plan together.", "Cities and partners plan together.")
    response = _edit(nr_id, chapter, id_body, 1)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else saved this chapter while you were editing it" in html
    assert "Residents first" in html and network.vietnam_nr.name in html
    assert "<ins>: ask the residents</ins>" in html  # the other person's words, marked
    assert "Cities and partners plan together." in html  # the editor's own text is kept in the form
    # Both changes touch different lines: the form offers them combined, for the editor to check.
    assert "Both sets of changes fit together" in html
    textarea = html[html.index('<textarea name="body"') :]
    textarea = textarea[: textarea.index("</textarea>")]
    assert "Cities and partners plan together." in textarea and "ask the residents" in textarea
    assert 'name="base_revision" value="2"' in html  # the next save starts from the revision now current
    chapter.refresh_from_db()
    assert chapter.body == vn_body and chapter.revision_number == 2
    assert ChapterRevision.objects.filter(chapter=chapter).count() == 2
    # After merging, the save goes through as revision 3 and keeps both changes.
    merged = vn_body.replace("Cities plan together.", "Cities and partners plan together.")
    assert _edit(nr_id, chapter, merged, 2).status_code == 302
    chapter.refresh_from_db()
    assert chapter.revision_number == 3 and "ask the residents" in chapter.body and "partners" in chapter.body


def test_conflicting_changes_to_the_same_words_are_not_merged(network, client_for, chapter):
    _edit(client_for(network.vietnam_nr.user), chapter, FIRST.replace("Step one.", "Step one: residents."), 1)
    response = _edit(
        client_for(network.indonesia_nr.user), chapter, FIRST.replace("Step one.", "Step one: data."), 1
    )
    html = response.content.decode()
    assert response.status_code == 409 and "holds your text as you wrote it" in html
    textarea = html[html.index('<textarea name="body"') :]
    assert "Step one: data." in textarea[: textarea.index("</textarea>")]
    assert "Step one: residents." in Chapter.objects.get(pk=chapter.pk).body


def test_the_service_raises_edit_conflict_with_the_revisions_in_between(network, chapter):
    services.save_chapter(network.vietnam_nr.user, chapter, title="Intro", body="A", base_revision=1)
    services.save_chapter(network.makassar_officer.user, chapter, title="Intro", body="B", base_revision=2)
    with pytest.raises(services.EditConflict) as info:
        services.save_chapter(network.indonesia_nr.user, chapter, title="Intro", body="C", base_revision=1)
    assert [r.number for r in info.value.others] == [3, 2] and info.value.current.body == "B\n"
    assert Chapter.objects.get(pk=chapter.pk).body == "B\n"


def test_revisions_record_who_changed_what_with_a_diff(network, client_for, chapter):
    _edit(
        client_for(network.vietnam_nr.user),
        chapter,
        FIRST.replace("Step one.", "Step two."),
        1,
        summary="Renumber the step",
    )
    client = client_for(network.indonesia_nr.user)
    history = client.get(f"/knowledge/guidebook/{chapter.slug}/history/").content.decode()
    assert "Renumber the step" in history
    assert network.vietnam_nr.name in history and network.indonesia_nr.name in history
    diff = client.get(f"/knowledge/guidebook/{chapter.slug}/diff/?from=1&to=2").content.decode()
    assert "<del>one</del>" in diff and "<ins>two</ins>" in diff
    entry = ActivityLog.objects.filter(action="revise").latest("id")
    assert entry.actor == network.vietnam_nr.user and entry.changes["revision_number"] == [1, 2]


def test_review_workflow_draft_review_published(network, client_for, chapter):
    public = client_for(None)
    assert public.get(chapter.get_absolute_url()).status_code == 404  # nothing published yet
    author = client_for(network.indonesia_nr.user)
    review = f"/knowledge/guidebook/{chapter.slug}/review/"
    author.post(review, {"action": "submit"})
    assert Chapter.objects.get(pk=chapter.pk).status == "review"
    # The author cannot approve their own text; a company cannot either; another country's NR can.
    assert author.post(review, {"action": "approve"}).status_code == 403
    assert client_for(network.company_person.user).post(review, {"action": "approve"}).status_code == 403
    assert client_for(network.makassar_officer.user).post(review, {"action": "approve"}).status_code == 403
    assert Chapter.objects.get(pk=chapter.pk).status == "review"
    client_for(network.vietnam_nr.user).post(review, {"action": "approve", "note": "Good."})
    ch = Chapter.objects.get(pk=chapter.pk)
    assert ch.status == "published" and ch.published_revision.number == 1
    assert "Cities plan together." in public.get(chapter.get_absolute_url()).content.decode()
    # An edit after publication is a draft; the public keeps reading the published text.
    _edit(author, chapter, FIRST.replace("Cities plan together.", "Draft words."), 1)
    page = public.get(chapter.get_absolute_url()).content.decode()
    assert "Cities plan together." in page and "Draft words." not in page
    assert "Draft words." in author.get(chapter.get_absolute_url()).content.decode()
    assert list(ChapterComment.objects.values_list("kind", flat=True)) == ["submitted", "approved"]


def test_request_changes_needs_a_note_and_sends_back_to_draft(network, client_for, chapter):
    services.submit_for_review(network.indonesia_nr.user, chapter)
    reviewer = client_for(network.vietnam_nr.user)
    review = f"/knowledge/guidebook/{chapter.slug}/review/"
    reviewer.post(review, {"action": "changes", "note": ""})
    assert Chapter.objects.get(pk=chapter.pk).status == "review"
    reviewer.post(review, {"action": "changes", "note": "Add an example from Viet Nam."})
    assert Chapter.objects.get(pk=chapter.pk).status == "draft"
    assert ChapterComment.objects.get(kind="changes").body == "Add an example from Viet Nam."


@pytest.mark.parametrize("who", [None, "company_person", "outsider"])
def test_outsiders_cannot_edit_comment_or_see_drafts_and_nothing_changes(network, client_for, chapter, who):
    user = None if who is None else getattr(getattr(network, who), "user", getattr(network, who))
    client = client_for(user)
    expected = 302 if user is None else 403
    assert _edit(client, chapter, "Vandalised", 1).status_code == expected
    response = client.post(f"/knowledge/guidebook/{chapter.slug}/comments/", {"body": "Hi"})
    assert response.status_code == expected
    response = client.post(f"/knowledge/guidebook/{chapter.slug}/review/", {"action": "submit"})
    assert response.status_code == expected
    assert client.get(f"/knowledge/guidebook/{chapter.slug}/history/").status_code == expected
    assert client.get("/knowledge/guidebook/export.html?drafts=1").status_code == expected
    ch = Chapter.objects.get(pk=chapter.pk)
    assert ch.body == FIRST and ch.status == "draft" and ch.revision_number == 1
    assert not ChapterComment.objects.exists()


def test_contributors_comment(network, client_for, chapter):
    client = client_for(network.makassar_officer.user)
    response = client.post(f"/knowledge/guidebook/{chapter.slug}/comments/", {"body": "Add Makassar."})
    assert response.status_code == 302
    assert client.post(f"/knowledge/guidebook/{chapter.slug}/comments/", {"body": "  "}).status_code == 302
    assert list(ChapterComment.objects.values_list("body", flat=True)) == ["Add Makassar."]
    assert "Add Makassar." in client.get(chapter.get_absolute_url()).content.decode()


def test_markdown_is_sanitised(network, client_for, chapter):
    services.save_chapter(
        network.indonesia_nr.user,
        chapter,
        title="Intro",
        body="Hi <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)>",
        base_revision=1,
    )
    html = client_for(network.indonesia_nr.user).get(chapter.get_absolute_url()).content.decode()
    body = html[html.index('class="prose chapter-body"') :]
    assert "<script>alert" not in body and "javascript:" not in body and "onerror" not in body


def test_pdf_and_html_export_of_the_whole_guidebook(network, client_for, chapter):
    services.submit_for_review(network.indonesia_nr.user, chapter)
    services.approve(network.vietnam_nr.user, chapter)
    second = Chapter.objects.create(slug="basics", part="basics", position=2, title="Basics")
    services.save_chapter(
        network.indonesia_nr.user,
        second,
        title="スマートシティの基本",
        body="スマートシティとは何か。\n\nเมืองอัจฉริยะ\n",
        base_revision=0,
    )
    client = client_for(None)
    pdf = client.get("/knowledge/guidebook/export.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and len(pdf.content) > 2000
    html = client.get("/knowledge/guidebook/export.html")
    text = html.content.decode()
    assert "attachment" in html["Content-Disposition"] and "<style>" in text
    assert "Cities plan together." in text and "スマートシティ" not in text  # drafts stay out
    drafts = client_for(network.indonesia_nr.user).get("/knowledge/guidebook/export.pdf?drafts=1")
    assert drafts.status_code == 200 and len(drafts.content) > len(pdf.content)
    # The Japanese and Thai text is set in fonts that have the glyphs (embedded Noto fonts).
    fonts = _pdf_fonts(drafts.content)
    assert any("CJK" in f for f in fonts), fonts
    assert any("Thai" in f for f in fonts), fonts


def test_guidebook_page_query_count(network, client_for):
    client = client_for(network.indonesia_nr.user)

    def make(n, start):
        for i in range(start, start + n):
            ch = Chapter.objects.create(slug=f"c{i}", part="priority_areas", position=i, title=f"C{i}")
            services.save_chapter(network.vietnam_nr.user, ch, title=f"C{i}", body="x", base_revision=0)

    make(1, 0)
    with CaptureQueriesContext(connection) as few:
        client.get("/knowledge/guidebook/")
    make(6, 10)
    with CaptureQueriesContext(connection) as many:
        client.get("/knowledge/guidebook/")
    assert len(many) == len(few)


def _pdf_fonts(pdf: bytes) -> set[str]:
    """Names of the fonts embedded in a PDF (looking into compressed object streams too)."""
    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    names = set()
    for chunk in chunks:
        names |= {m.decode() for m in re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([\w-]+)", chunk)}
    return names
