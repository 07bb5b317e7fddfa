"""A short-lived cache of the pages anonymous visitors see.

Most traffic on the public portal comes from people who are not signed in, and they all see the
same page for the same address, language and time zone. Rendering `/projects/` or
`/member-states/` costs 10–75 ms of CPU; serving the same bytes again costs well under one.
So for `ASCNHUB_PAGE_CACHE_SECONDS` (15 s by default, 0 turns it off) an anonymous visitor's
page is answered from the `pages` cache, the way a CDN in front of the site would answer it.

What is never cached, so that nothing private or personal is ever served to someone else:

- any request that carries a session cookie (a signed-in person, or someone in the middle of
  signing in), an `Authorization` header (the API's tokens), a flash-message cookie, or comes
  from htmx (partial pages);
- any response that is not a plain 200, sets a cookie, used the CSRF token (a form: its token
  belongs to one visitor), says `Cache-Control: private` / `no-store` / `no-cache`, or varies on
  a header the cache key does not hold;
- the admin, sign-in pages, health checks and the preference switches.

The key holds the host, the full path with its query string, the language the visitor would get
and their time-zone cookie: the three things an anonymous page depends on. Someone who has just
changed something (any POST, PUT, PATCH or DELETE) gets a cookie that makes them skip the cache
for one cache lifetime, so they see their own change at once; everybody else sees it within
`ASCNHUB_PAGE_CACHE_SECONDS`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import cc_delim_re, get_conditional_response
from django.utils.http import parse_http_date_safe

from .middleware import TIMEZONE_COOKIE

FRESH_COOKIE = "ascnhub_fresh"
CACHE_ALIAS = "pages"
# Paths whose answer depends on more than the address, or that must always reach the view.
EXCLUDED_PREFIXES = ("/admin/", "/accounts/", "/i18n/", "/timezone/", "/healthz", "/static/", "/media/")
# Response `Vary` headers the key already covers (Cookie: the cookies that matter are in the key,
# and requests carrying a session or message cookie are never served from the cache).
COVERED_VARY = frozenset({"cookie", "accept-language", "accept-encoding", "hx-request"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LARGEST_BODY = 1024 * 1024


def page_cache_seconds() -> int:
    return int(getattr(settings, "ASCNHUB_PAGE_CACHE_SECONDS", 0))


def cache_key(request: HttpRequest) -> str:
    """The cache key of an anonymous GET: host, path and query, language, time zone."""
    language = translation.get_language_from_request(request, check_path=False)
    zone = request.COOKIES.get(TIMEZONE_COOKIE, "")
    raw = "\n".join([request.get_host(), request.get_full_path(), language, zone])
    return "page:" + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def may_use_cache(request: HttpRequest) -> bool:
    """Whether this request is an anonymous visitor's plain page view."""
    if request.method != "GET" or page_cache_seconds() <= 0:
        return False
    cookies = request.COOKIES
    if (
        settings.SESSION_COOKIE_NAME in cookies
        or "messages" in cookies
        or FRESH_COOKIE in cookies
        or "HTTP_AUTHORIZATION" in request.META
        or "HTTP_HX_REQUEST" in request.META
    ):
        return False
    return not request.path.startswith(EXCLUDED_PREFIXES)


def may_store(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether this response is the same for every anonymous visitor with the same key."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds this visitor's CSRF token
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = {
        part.strip().split("=")[0].lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
        if part.strip()
    }
    if cache_control & {"private", "no-store", "no-cache"}:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    if vary - COVERED_VARY:
        return False
    return len(response.content) <= LARGEST_BODY


class AnonymousPageCacheMiddleware:
    """Answer anonymous visitors' page views from a short-lived cache (see the module docstring).

    It sits outside the session, locale, CSRF and conditional-GET middleware: a stored response
    already carries every header they add (ETag, Content-Language, Vary, CSP), and a hit answers
    `If-None-Match` / `If-Modified-Since` itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not may_use_cache(request):
            response = self.get_response(request)
            if request.method in UNSAFE_METHODS and page_cache_seconds() > 0:
                # Whoever just changed something sees the fresh pages, not the cached ones.
                response.set_cookie(
                    FRESH_COOKIE,
                    "1",
                    max_age=page_cache_seconds(),
                    samesite="Lax",
                    httponly=True,
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        cache = caches[CACHE_ALIAS]
        key = cache_key(request)
        entry = cache.get(key)
        if entry is not None:
            stored_at, response = entry
            response["Age"] = str(max(0, int(time.time() - stored_at)))
            last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
            return get_conditional_response(
                request, etag=response.get("ETag"), last_modified=last_modified, response=response
            )
        response = self.get_response(request)
        if may_store(request, response):
            cache.set(key, (time.time(), response), page_cache_seconds())
        return response
