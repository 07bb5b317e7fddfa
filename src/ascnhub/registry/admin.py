from django.contrib import admin

from ascnhub.common.admin import ActivityLoggedAdmin

from .models import City, MemberState, Organisation, Person, Role


@admin.register(MemberState)
class MemberStateAdmin(ActivityLoggedAdmin):
    list_display = ["name", "code", "joined_asean"]


@admin.register(City)
class CityAdmin(ActivityLoggedAdmin):
    list_display = ["name", "country", "kind", "joined_year", "timezone"]
    list_filter = ["country", "kind", "joined_year"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(ActivityLoggedAdmin):
    list_display = ["name", "kind", "country", "is_demo"]
    list_filter = ["kind", "country", "is_demo"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(ActivityLoggedAdmin):
    list_display = ["name", "organisation", "title", "email", "timezone"]
    search_fields = ["name", "email"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "user"]


@admin.register(Role)
class RoleAdmin(ActivityLoggedAdmin):
    list_display = [
        "kind",
        "member_state",
        "city",
        "organisation",
        "person",
        "year",
        "start_date",
        "end_date",
    ]
    list_filter = ["kind", "member_state"]
    list_select_related = ["member_state", "city", "organisation", "person"]
    autocomplete_fields = ["person", "organisation", "city"]
