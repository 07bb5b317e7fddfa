"""The city's leads from matchmaking, at `/leads/` (beside the projects pages they came from)."""

from django.urls import path

from .views import leads

app_name = "leads"
urlpatterns = [
    path("leads/", leads.lead_list, name="list"),
    path("leads/<uuid:public_id>/", leads.lead_detail, name="detail"),
]
