from django.urls import path

from .views import (
    agenda,
    calendar,
    colleagues,
    contacts,
    dismissals,
    meeting_requests,
    organise,
    profiles,
    survey,
)

app_name = "matchmaking"
urlpatterns = [
    path("", profiles.home, name="home"),
    path("profile/", profiles.profile_edit, name="profile_edit"),
    path("p/<uuid:public_id>/", profiles.profile_detail, name="profile"),
    path("p/<uuid:public_id>/members/", profiles.delegation, name="delegation"),
    path("p/<uuid:public_id>/request/", meeting_requests.request_create, name="request_create"),
    path("p/<uuid:public_id>/not-interested/", dismissals.dismiss, name="dismiss"),
    path("requests/", meeting_requests.requests_page, name="requests"),
    path("requests/<uuid:public_id>/<str:action>/", meeting_requests.request_action, name="request_action"),
    path("agenda/", agenda.agenda, name="agenda"),
    path("agenda.ics", agenda.agenda_ics, name="agenda_ics"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/<str:action>/", calendar.calendar_action, name="calendar_action"),
    path("feed/<str:token>.ics", calendar.calendar_feed_ics, name="calendar_feed"),
    path("m/<uuid:public_id>/<str:action>/", agenda.meeting_action, name="meeting_action"),
    path("r/<uuid:public_id>/attendee/", colleagues.assign, name="assign_colleague"),
    path("survey/<str:token>/", survey.survey, name="survey"),
    path("organise/", organise.organise, name="organise"),
    path("organise/runs/<int:number>/", organise.run_detail, name="run"),
    path("organise/runs/<int:number>/<str:what>.json", organise.run_download, name="run_download"),
    path("organise/leads/", organise.leads, name="leads"),
    path("organise/leads.<str:fmt>", contacts.organiser_leads_export, name="leads_export"),
    path("my-leads.<str:fmt>", contacts.my_leads_export, name="my_leads_export"),
]
