from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/import/", views.project_import, name="project_import"),
    path("projects/<slug:slug>/", views.project_detail, name="project"),
    path("projects/<slug:slug>/edit/", views.project_edit, name="project_edit"),
    path("projects/<slug:slug>/parties/", views.party_add, name="party_add"),
    path("projects/<slug:slug>/parties/<int:pk>/remove/", views.party_remove, name="party_remove"),
    path("projects/<slug:slug>/documents/", views.document_add, name="document_add"),
    path(
        "projects/<slug:slug>/documents/<uuid:public_id>/remove/",
        views.document_remove,
        name="document_remove",
    ),
    path("projects/<slug:slug>/reports/new/", views.report_new, name="report_new"),
    path("reports/<uuid:public_id>/", views.report_detail, name="report"),
    path("reports/files/<uuid:public_id>/", views.report_file, name="report_file"),
    path("projects/files/<uuid:public_id>/", views.document_file, name="document_file"),
    path("reports/<uuid:public_id>/edit/", views.report_edit, name="report_edit"),
    path("reports/<uuid:public_id>/submit/", views.report_submit, name="report_submit"),
    path("reports/<uuid:public_id>/review/", views.report_review, name="report_review"),
    path("reviews/", views.review_queue, name="reviews"),
    path("needs/", views.need_list, name="needs"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/<uuid:public_id>/", views.need_detail, name="need"),
    path("needs/<uuid:public_id>/edit/", views.need_edit, name="need_edit"),
    path("partnerships/", views.partnership_list, name="partnerships"),
    path("partnerships/new/", views.partnership_new, name="partnership_new"),
    path("partnerships/<uuid:public_id>/edit/", views.partnership_edit, name="partnership_edit"),
    path("leads/", views.lead_list, name="leads"),
    path("leads/<uuid:public_id>/", views.lead_detail, name="lead"),
    path("offers/", views.offer_list, name="offers"),
    path("offers/new/", views.offer_new, name="offer_new"),
    path("offers/import/", views.offer_import, name="offer_import"),
    path("offers/<slug:slug>/", views.offer_detail, name="offer"),
    path("offers/<slug:slug>/edit/", views.offer_edit, name="offer_edit"),
    path("companies/<slug:slug>/", views.company_detail, name="company"),
    path("imports/<str:kind>-template.csv", views.import_template, name="import_template"),
]
