from django.urls import path

from .views import commitments, open_data, tracker

app_name = "followup"
urlpatterns = [
    path("", tracker.tracker, name="tracker"),
    path("by-country/", tracker.by_country, name="by_country"),
    path("mine/", commitments.mine, name="mine"),
    path("commitments.csv", open_data.commitments_csv, name="commitments_csv"),
    path("meetings/<slug:slug>/", tracker.document_detail, name="document"),
    path("recommendations/<uuid:public_id>/", tracker.recommendation_detail, name="recommendation"),
    path("recommendations/<uuid:public_id>/commit/", commitments.commitment_create, name="commitment_create"),
    path("commitments/<uuid:public_id>/", commitments.commitment_detail, name="commitment"),
    path("commitments/<uuid:public_id>/update/", commitments.commitment_update, name="commitment_update"),
    path("commitments/<uuid:public_id>/actions/", commitments.action_add, name="action_add"),
    path("actions/<uuid:public_id>/done/", commitments.action_toggle, name="action_toggle"),
    path("evidence/<uuid:public_id>/", commitments.evidence, name="evidence"),
]
