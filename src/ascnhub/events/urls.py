from django.urls import path

from .views import checkin, organisers, programme, public, registration

app_name = "events"
urlpatterns = [
    path("", public.meeting_list, name="list"),
    path("<slug:slug>/", public.meeting_detail, name="detail"),
    path("<slug:slug>/agenda/", public.agenda, name="agenda"),
    path("<slug:slug>/agenda/changes/", public.agenda_changes, name="agenda_changes"),
    path("<slug:slug>/agenda/publish/", organisers.publish, name="publish"),
    path("<slug:slug>/agenda.ics", public.agenda_ics, name="agenda_ics"),
    path("<slug:slug>/agenda.pdf", public.agenda_pdf, name="agenda_pdf"),
    path("<slug:slug>/participants/", public.participants, name="participants"),
    path("<slug:slug>/badge-key.json", public.badge_key, name="badge_key"),
    path("<slug:slug>/register/<slug:code>/", registration.register, name="register"),
    path("<slug:slug>/registration/<uuid:public_id>/", registration.registration_detail, name="registration"),
    path(
        "<slug:slug>/registration/<uuid:public_id>/calendar.ics",
        registration.registration_ics,
        name="registration_ics",
    ),
    path(
        "<slug:slug>/registration/<uuid:public_id>/badge.pdf",
        registration.registration_badge,
        name="registration_badge",
    ),
    path(
        "<slug:slug>/registration/<uuid:public_id>/sessions/<uuid:session_id>/",
        registration.registration_signup,
        name="registration_signup",
    ),
    path(
        "<slug:slug>/registration/<uuid:public_id>/cancel/",
        registration.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "<slug:slug>/registration/<uuid:public_id>/decide/",
        registration.registration_decide,
        name="registration_decide",
    ),
    path(
        "<slug:slug>/registration/<uuid:public_id>/mode/",
        registration.registration_mode,
        name="registration_mode",
    ),
    path("<slug:slug>/sessions/<uuid:session_id>/join/", registration.join, name="join"),
    path("<slug:slug>/approvals/", organisers.approvals, name="approvals"),
    path("<slug:slug>/manage/", organisers.manage, name="manage"),
    path("<slug:slug>/manage/participants/", organisers.manage_participants, name="manage_participants"),
    path("<slug:slug>/manage/participants.<str:fmt>", organisers.export_participants, name="export"),
    path("<slug:slug>/manage/badges.pdf", organisers.badges_batch, name="badges"),
    path("<slug:slug>/manage/clone/", organisers.clone, name="clone"),
    path("<slug:slug>/manage/programme/", programme.programme, name="programme"),
    path("<slug:slug>/manage/programme/sessions/new/", programme.session_edit, name="session_add"),
    path(
        "<slug:slug>/manage/programme/sessions/<uuid:session_id>/",
        programme.session_edit,
        name="session_edit",
    ),
    path(
        "<slug:slug>/manage/programme/sessions/<uuid:session_id>/delete/",
        programme.session_delete,
        name="session_delete",
    ),
    path("<slug:slug>/manage/programme/rooms/new/", programme.room_edit, name="room_add"),
    path("<slug:slug>/manage/programme/rooms/<int:room_id>/", programme.room_edit, name="room_edit"),
    path(
        "<slug:slug>/manage/programme/rooms/<int:room_id>/delete/", programme.room_delete, name="room_delete"
    ),
    path("<slug:slug>/check-in/", checkin.check_in, name="check_in"),
    path("<slug:slug>/check-in/counts/", checkin.attendance, name="attendance"),
]
