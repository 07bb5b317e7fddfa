from django.urls import path

from .views import authoring, commitments, open_data, tracker

app_name = "followup"
urlpatterns = [
    path("", tracker.tracker, name="tracker"),
    path("by-country/", tracker.by_country, name="by_country"),
    path("mine/", commitments.mine, name="mine"),
    path("commitments.csv", open_data.commitments_csv, name="commitments_csv"),
    path("drafts/", authoring.drafts, name="drafts"),
    path("drafts/new/", authoring.document_new, name="document_new"),
    path("revisions/<uuid:public_id>/", authoring.revision_detail, name="revision"),
    path("revisions/<uuid:public_id>/submit/", authoring.revision_submit, name="revision_submit"),
    path("revisions/<uuid:public_id>/review/", authoring.revision_review, name="revision_review"),
    path("meetings/<slug:slug>/", tracker.document_detail, name="document"),
    path("meetings/<slug:slug>/edit/", authoring.document_edit, name="document_edit"),
    path("meetings/<slug:slug>/history/", authoring.document_history, name="document_history"),
    path("recommendations/<uuid:public_id>/", tracker.recommendation_detail, name="recommendation"),
    path("recommendations/<uuid:public_id>/commit/", commitments.commitment_create, name="commitment_create"),
    path("commitments/<uuid:public_id>/", commitments.commitment_detail, name="commitment"),
    path("commitments/<uuid:public_id>/update/", commitments.commitment_update, name="commitment_update"),
    path("commitments/<uuid:public_id>/actions/", commitments.action_add, name="action_add"),
    path("actions/<uuid:public_id>/done/", commitments.action_toggle, name="action_toggle"),
    path("evidence/<uuid:public_id>/", commitments.evidence, name="evidence"),
]
