from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.case_list, name="index"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<slug:slug>/", views.case_detail, name="case"),
    path("cases/<slug:slug>/edit/", views.case_edit, name="case_edit"),
    path("cases/<slug:slug>/attachments/", views.case_attach, name="case_attach"),
    path("attachments/<uuid:public_id>/", views.attachment_download, name="attachment"),
    path("guidebook/", views.guidebook, name="guidebook"),
    path("guidebook/export.html", views.guidebook_export_html, name="export_html"),
    path("guidebook/export.pdf", views.guidebook_export_pdf, name="export_pdf"),
    path("guidebook/<slug:slug>/", views.chapter_detail, name="chapter"),
    path("guidebook/<slug:slug>/edit/", views.chapter_edit, name="chapter_edit"),
    path("guidebook/<slug:slug>/history/", views.chapter_history, name="chapter_history"),
    path("guidebook/<slug:slug>/history/<int:number>/", views.revision_detail, name="revision"),
    path("guidebook/<slug:slug>/diff/", views.chapter_diff, name="chapter_diff"),
    path("guidebook/<slug:slug>/comments/", views.chapter_comment, name="chapter_comment"),
    path("guidebook/<slug:slug>/review/", views.chapter_review, name="chapter_review"),
]
