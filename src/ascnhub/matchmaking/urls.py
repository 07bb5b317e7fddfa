from django.urls import path

from . import views

app_name = "matchmaking"
urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile_edit, name="profile_edit"),
    path("p/<uuid:public_id>/", views.profile_detail, name="profile"),
    path("p/<uuid:public_id>/members/", views.delegation, name="delegation"),
    path("p/<uuid:public_id>/request/", views.request_create, name="request_create"),
    path("requests/", views.requests_page, name="requests"),
    path("requests/<uuid:public_id>/<str:action>/", views.request_action, name="request_action"),
    path("agenda/", views.agenda, name="agenda"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("m/<uuid:public_id>/<str:action>/", views.meeting_action, name="meeting_action"),
    path("organise/", views.organise, name="organise"),
    path("organise/runs/<int:number>/", views.run_detail, name="run"),
    path("organise/runs/<int:number>/<str:what>.json", views.run_download, name="run_download"),
    path("organise/leads/", views.leads, name="leads"),
]
