"""URL map of the whole platform."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from ascnhub.api import token_views
from ascnhub.api.api import api
from ascnhub.common import translation_views
from ascnhub.common import views as common_views
from ascnhub.registry import views as registry_views

# The admin signs in through allauth, so its rate limits and two-factor authentication apply there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "ASCN Hub — secretariat"
admin.site.site_title = "ASCN Hub admin"

urlpatterns = [
    path("", registry_views.home, name="home"),
    path("", include("ascnhub.registry.urls")),
    path("", include("ascnhub.projects.urls")),
    path("", include("ascnhub.matchmaking.lead_urls")),  # /leads/: the cities' leads
    path("meetings/<slug:slug>/matchmaking/", include("ascnhub.matchmaking.urls")),
    path("meetings/<slug:slug>/mailings/", include("ascnhub.mailings.urls")),
    path("meetings/", include("ascnhub.events.urls")),
    path("outcomes/", include("ascnhub.followup.urls")),
    path("knowledge/", include("ascnhub.knowledge.urls")),
    path("programmes/", include("ascnhub.programmes.urls")),
    path("", include("ascnhub.portal.urls")),
    path("notices/", include("ascnhub.notices.urls")),
    path("privacy/", include("ascnhub.privacy.urls")),
    path("activity/", common_views.activity_list, name="activity"),
    path("timezone/", common_views.set_timezone, name="set_timezone"),
    path("translations/", translation_views.queue, name="translations"),
    path("translations/request/", translation_views.request_translation, name="translation_request"),
    path("translations/<uuid:public_id>/", translation_views.detail, name="translation"),
    path("api/v1/", api.urls),
    path("account/tokens/", token_views.tokens, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", token_views.revoke, name="api_token_revoke"),
    path("healthz", common_views.health, name="health"),
    # The language and time-zone switches only set a preference cookie: they need no CSRF token,
    # so the pages that carry them stay the same for every anonymous visitor (and cacheable).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
