from django.urls import path

from . import roles_pages, views

app_name = "registry"
urlpatterns = [
    path("cities/", views.city_list, name="cities"),
    path("cities/<slug:slug>/", views.city_detail, name="city"),
    path("cities/<slug:slug>/edit/", views.city_edit, name="city_edit"),
    path("member-states/", views.member_state_list, name="member_states"),
    path("member-states/<str:code>/", views.member_state_detail, name="member_state"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("people/<uuid:public_id>/", views.person_detail, name="person"),
    path("people/<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
    path("roles/", roles_pages.roles, name="roles"),
    path("roles/<int:pk>/end/", roles_pages.end_role, name="role_end"),
]
