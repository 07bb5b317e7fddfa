"""Django settings for ASCN Hub.

Every setting comes from an environment variable (`ASCNHUB_*`, plus `DATABASE_URL`) with a safe
default for a laptop; docs/deployment.md lists each one. DEBUG is off unless asked for.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Where the laptop set-up keeps its database, secret key, uploads and collected static files.
DATA_DIR = Path(env("ASCNHUB_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("ASCNHUB_DEBUG", False)


def _secret_key() -> str:
    """Use ASCNHUB_SECRET_KEY; on a laptop, create one once and keep it in DATA_DIR."""
    configured = env("ASCNHUB_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ASCNHUB_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("ASCNHUB_CSRF_TRUSTED_ORIGINS", "")
# Absolute links in e-mails, calendars and open data; on a laptop, the address `make run` serves.
SITE_URL = env("ASCNHUB_SITE_URL", f"http://{env('HOST', '127.0.0.1')}:{env('PORT', '8000')}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "import_export",
    "ninja",
    "ascnhub.common",
    "ascnhub.registry",
    "ascnhub.notices",
    "ascnhub.projects",
    "ascnhub.events",
    "ascnhub.programmes",
    "ascnhub.matchmaking",
    "ascnhub.followup",
    "ascnhub.knowledge",
    "ascnhub.mailings",
    "ascnhub.portal",
    "ascnhub.api",
    "ascnhub.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ascnhub.common.http.RejectNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ascnhub.common.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ascnhub.common.middleware.ViewerTimezoneMiddleware",
    "ascnhub.common.middleware.ContentSecurityPolicyMiddleware",
    "ascnhub.common.http.LoginRequiredMiddleware",
    "ascnhub.common.middleware.SecretariatMFAMiddleware",
]

ROOT_URLCONF = "ascnhub.urls"
WSGI_APPLICATION = "ascnhub.wsgi.application"
ASGI_APPLICATION = "ascnhub.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ascnhub.common.context_processors.site",
                "ascnhub.matchmaking.context_processors.leads",
                "ascnhub.notices.context_processors.bell",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
# SQLite in WAL mode for one machine (readers never wait for the writer; IMMEDIATE transactions
# so concurrent writers queue instead of failing with "database is locked"); PostgreSQL via
# DATABASE_URL for many users and many machines.
DATABASE_URL = env("DATABASE_URL")
# Connections are kept between requests on both: opening one costs ~5 ms of CPU on SQLite (its
# functions and PRAGMAs are set up each time), more on PostgreSQL (benchmarks/bench_registration.py).
_CONN_MAX_AGE = int(env("ASCNHUB_DB_CONN_MAX_AGE", "60"))
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=_CONN_MAX_AGE)
    # A Unix-socket URL (postgres://user@/name?host=/run/postgresql&port=5432) puts host and port
    # in OPTIONS; move them where Django and the tools reading these settings (pg_dump) look.
    for _key in ("host", "port"):
        if not _db.get(_key.upper()) and _key in _db["OPTIONS"]:
            _db[_key.upper()] = str(_db["OPTIONS"].pop(_key))
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            # Django's SQLite with writers queued in the kernel rather than polling (common/dbbackends).
            "ENGINE": "ascnhub.common.dbbackends.sqlite",
            "NAME": str(DATA_DIR / "ascnhub.sqlite3"),
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "CONN_MAX_AGE": _CONN_MAX_AGE,
            # Tests use an in-memory database, as Django does by default for SQLite. Named here because
            # pytest-xdist would otherwise derive a per-worker file name from NAME for this engine.
            "TEST": {"NAME": ":memory:"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- background tasks ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env("ASCNHUB_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "scheduling"],
    }
}

# Machine translation (docs/deployment.md): a LibreTranslate-compatible endpoint; empty: off.
ASCNHUB_MT_URL = env("ASCNHUB_MT_URL")
ASCNHUB_MT_API_KEY = env("ASCNHUB_MT_API_KEY")
ASCNHUB_MT_TIMEOUT = float(env("ASCNHUB_MT_TIMEOUT", "30"))

# Search (portal, common.search_index): "hybrid" (default) fuses the multilingual embeddings with
# word matching, so a Japanese query finds English projects; "lexical" matches words only.
ASCNHUB_SEARCH = env("ASCNHUB_SEARCH", "hybrid").strip().lower()
if ASCNHUB_SEARCH not in ("hybrid", "lexical"):
    raise ImproperlyConfigured(f"ASCNHUB_SEARCH must be 'hybrid' or 'lexical', not {ASCNHUB_SEARCH!r}")

# Webhooks (docs/api.md): attempts per delivery; http and private addresses only for development.
ASCNHUB_WEBHOOK_MAX_ATTEMPTS = int(env("ASCNHUB_WEBHOOK_MAX_ATTEMPTS", "8"))
ASCNHUB_WEBHOOK_ALLOW_PRIVATE = env_bool("ASCNHUB_WEBHOOK_ALLOW_PRIVATE", False)

# --- accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "common.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ASCNHUB_EMAIL_VERIFICATION", "optional")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_FORMS = {
    "login": "ascnhub.common.account_forms.LoginForm",
    "signup": "ascnhub.common.account_forms.SignupForm",
}
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Secretariat and staff accounts can change everything: they must set up two-factor authentication.
ASCNHUB_REQUIRE_MFA_FOR_SECRETARIAT = env_bool("ASCNHUB_REQUIRE_MFA_FOR_SECRETARIAT", True)

# --- e-mail -------------------------------------------------------------------------------------
# Every message goes to the outbox (common.mail) in the transaction that caused it; the task
# worker delivers it through the real transport below and retries until the server takes it.
EMAIL_BACKEND = env("ASCNHUB_EMAIL_QUEUE", "ascnhub.common.mail.OutboxBackend")
ASCNHUB_EMAIL_TRANSPORT = env("ASCNHUB_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
ASCNHUB_EMAIL_MAX_ATTEMPTS = int(env("ASCNHUB_EMAIL_MAX_ATTEMPTS", "8"))
EMAIL_HOST = env("ASCNHUB_EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("ASCNHUB_EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("ASCNHUB_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("ASCNHUB_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("ASCNHUB_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("ASCNHUB_DEFAULT_FROM_EMAIL", "ASCN Hub <noreply@ascnhub.example>")

# --- languages and time ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANG_INFO.setdefault("lo", {"bidi": False, "code": "lo", "name": "Lao", "name_local": "ລາວ"})
LANG_INFO.setdefault("tl", {"bidi": False, "code": "tl", "name": "Filipino", "name_local": "Filipino"})
# The languages a person may prefer and a registrant may ask e-mails or interpretation in: the
# ASEAN languages and partners' ones. Those without a catalogue fall back to English in e-mails.
ASCNHUB_PERSON_LANGUAGES = [
    ("en", _("English")),
    ("id", _("Indonesian")),
    ("ja", _("Japanese")),
    ("ms", _("Malay")),
    ("th", _("Thai")),
    ("vi", _("Vietnamese")),
    ("km", _("Khmer")),
    ("lo", _("Lao")),
    ("my", _("Burmese")),
    ("tl", _("Filipino")),
    ("ko", _("Korean")),
]
# The interface languages the switcher offers: only those whose catalogue covers the public pages
# and the participants' matchmaking pages (tests/common/test_catalogues.py renders them and checks
# every string), so every one offered really switches. Add a language here with its catalogue
# (docs/translations.md).
LANGUAGES = [
    ("en", _("English")),
    ("id", _("Indonesian")),
    ("ja", _("Japanese")),
    ("vi", _("Vietnamese")),
    ("th", _("Thai")),
]
# Those whose catalogue translates every string (a test keeps them at 100 %); the others cover the
# public and matchmaking pages, and show the rest (organisers' and staff pages) in English.
COMPLETE_LANGUAGES = ["en", "id", "ja"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# One date, date-time and time style per language (ascnhub/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["ascnhub.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
# Shown to visitors whose browser has not told us its zone yet.
ASCNHUB_DEFAULT_VIEWER_TIMEZONE = env("ASCNHUB_DEFAULT_VIEWER_TIMEZONE", "Asia/Jakarta")

# --- static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("ASCNHUB_STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("ASCNHUB_MEDIA_ROOT", str(DATA_DIR / "media")))
# Every upload is checked by common.uploads: extension, this size, and content of that kind.
ASCNHUB_MAX_UPLOAD_BYTES = int(float(env("ASCNHUB_MAX_UPLOAD_MB", "10")) * 1024 * 1024)
# A scheduling run still "running" this long after its time limit lost its worker.
ASCNHUB_SCHEDULE_RUN_GRACE = int(env("ASCNHUB_SCHEDULE_RUN_GRACE", "300"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "ascnhub.common.storage.StaticStorage"},
}
# Open data (docs/open-data.md): OC4IDS project identifiers start with a prefix registered with the
# Open Contracting Partnership, in the standard's `oc4ids-xxxxxx-` form (six lower-case letters or
# digits). The default is this project's placeholder; a deployment that publishes sets its own.
ASCNHUB_OC4IDS_PREFIX = env("ASCNHUB_OC4IDS_PREFIX", "oc4ids-ascnhb-")
if not re.fullmatch(r"oc4ids-[a-z0-9]{6}-", ASCNHUB_OC4IDS_PREFIX):
    raise ImproperlyConfigured(
        f"ASCNHUB_OC4IDS_PREFIX={ASCNHUB_OC4IDS_PREFIX!r} is not in the form oc4ids-xxxxxx- "
        "(six lower-case letters or digits between the dashes)"
    )
# The page that says what is published, when and how (linked from every OC4IDS package).
ASCNHUB_OPEN_DATA_POLICY_URL = env("ASCNHUB_OPEN_DATA_POLICY_URL", "")
# Maps draw the vendored country outlines (Natural Earth) under the markers, so they read with no
# tile server; a deployment that has one sets its URL template here (empty: outlines only).
MAP_TILE_URL = env("ASCNHUB_MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = env("ASCNHUB_MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")

# --- caches -------------------------------------------------------------------------------------
# `default`: rate limits (sign-in attempts, API writes), in the database so that every process on
# every machine counts the same attempts (the table is made by migration common 0003).
# `pages`: anonymous visitors' pages for ASCNHUB_PAGE_CACHE_SECONDS (common/pagecache.py; 0: off).
# Each process keeps its own copy: staleness is bounded by the lifetime, so nothing needs sharing.
ASCNHUB_PAGE_CACHE_SECONDS = int(env("ASCNHUB_PAGE_CACHE_SECONDS", "15"))
# API reads (GET) allowed per token and per client address, counted in the default (shared) cache.
ASCNHUB_API_READ_RATE_PER_TOKEN = env("ASCNHUB_API_READ_RATE_PER_TOKEN", "600/min")
ASCNHUB_API_READ_RATE_PER_ADDRESS = env("ASCNHUB_API_READ_RATE_PER_ADDRESS", "1200/min")

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "ascnhub_cache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

# --- security -----------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("ASCNHUB_SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("ASCNHUB_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(env("ASCNHUB_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
if env_bool("ASCNHUB_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("ASCNHUB_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
