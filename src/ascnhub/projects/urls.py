from django.urls import path

from .views import files, funding, imports, needs, offers, partnerships, projects, reports

app_name = "projects"
urlpatterns = [
    path("projects/", projects.project_list, name="projects"),
    path("projects/new/", projects.project_new, name="project_new"),
    path("projects/import/", imports.project_import, name="project_import"),
    path("projects/<slug:slug>/", projects.project_detail, name="project"),
    path("projects/<slug:slug>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<slug:slug>/funding/", funding.funding_edit, name="funding_edit"),
    path("projects/<slug:slug>/parties/", projects.party_add, name="party_add"),
    path("projects/<slug:slug>/parties/<int:pk>/remove/", projects.party_remove, name="party_remove"),
    path("projects/<slug:slug>/documents/", files.document_add, name="document_add"),
    path(
        "projects/<slug:slug>/documents/<uuid:public_id>/remove/",
        files.document_remove,
        name="document_remove",
    ),
    path("projects/<slug:slug>/reports/new/", reports.report_new, name="report_new"),
    path("reports/<uuid:public_id>/", reports.report_detail, name="report"),
    path("reports/files/<uuid:public_id>/", files.report_file, name="report_file"),
    path("projects/files/<uuid:public_id>/", files.document_file, name="document_file"),
    path("reports/<uuid:public_id>/edit/", reports.report_edit, name="report_edit"),
    path("reports/<uuid:public_id>/submit/", reports.report_submit, name="report_submit"),
    path("reports/<uuid:public_id>/review/", reports.report_review, name="report_review"),
    path("reviews/", reports.review_queue, name="reviews"),
    path("needs/", needs.need_list, name="needs"),
    path("needs/new/", needs.need_new, name="need_new"),
    path("needs/<uuid:public_id>/", needs.need_detail, name="need"),
    path("needs/<uuid:public_id>/edit/", needs.need_edit, name="need_edit"),
    path("partnerships/", partnerships.partnership_list, name="partnerships"),
    path("partnerships/new/", partnerships.partnership_new, name="partnership_new"),
    path("partnerships/<uuid:public_id>/edit/", partnerships.partnership_edit, name="partnership_edit"),
    path("offers/", offers.offer_list, name="offers"),
    path("offers/new/", offers.offer_new, name="offer_new"),
    path("offers/import/", imports.offer_import, name="offer_import"),
    path("offers/<slug:slug>/", offers.offer_detail, name="offer"),
    path("offers/<slug:slug>/edit/", offers.offer_edit, name="offer_edit"),
    path("companies/<slug:slug>/", offers.company_detail, name="company"),
    path("imports/<str:kind>-template.csv", imports.import_template, name="import_template"),
]
