from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("", views.tracker, name="tracker"),
    path("by-country/", views.by_country, name="by_country"),
    path("mine/", views.mine, name="mine"),
    path("commitments.csv", views.commitments_csv, name="commitments_csv"),
    path("meetings/<slug:slug>/", views.document_detail, name="document"),
    path("recommendations/<uuid:public_id>/", views.recommendation_detail, name="recommendation"),
    path("recommendations/<uuid:public_id>/commit/", views.commitment_create, name="commitment_create"),
    path("commitments/<uuid:public_id>/", views.commitment_detail, name="commitment"),
    path("commitments/<uuid:public_id>/update/", views.commitment_update, name="commitment_update"),
    path("commitments/<uuid:public_id>/actions/", views.action_add, name="action_add"),
    path("actions/<uuid:public_id>/done/", views.action_toggle, name="action_toggle"),
    path("evidence/<uuid:public_id>/", views.evidence, name="evidence"),
]
