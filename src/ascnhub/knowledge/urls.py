from django.urls import path

from .views import cases, guidebook

app_name = "knowledge"
urlpatterns = [
    path("", cases.case_list, name="index"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/<slug:slug>/", cases.case_detail, name="case"),
    path("cases/<slug:slug>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<slug:slug>/attachments/", cases.case_attach, name="case_attach"),
    path("attachments/<uuid:public_id>/", cases.attachment_download, name="attachment"),
    path("guidebook/", guidebook.guidebook, name="guidebook"),
    path("guidebook/export.html", guidebook.guidebook_export_html, name="export_html"),
    path("guidebook/export.pdf", guidebook.guidebook_export_pdf, name="export_pdf"),
    path("guidebook/<slug:slug>/", guidebook.chapter_detail, name="chapter"),
    path("guidebook/<slug:slug>/edit/", guidebook.chapter_edit, name="chapter_edit"),
    path("guidebook/<slug:slug>/history/", guidebook.chapter_history, name="chapter_history"),
    path("guidebook/<slug:slug>/history/<int:number>/", guidebook.revision_detail, name="revision"),
    path("guidebook/<slug:slug>/diff/", guidebook.chapter_diff, name="chapter_diff"),
    path("guidebook/<slug:slug>/comments/", guidebook.chapter_comment, name="chapter_comment"),
    path("guidebook/<slug:slug>/review/", guidebook.chapter_review, name="chapter_review"),
]
