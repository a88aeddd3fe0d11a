"""Django settings. Everything secret or machine-specific comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CIVICPLAN_VAR_DIR", PROJECT_DIR / "var"))

DEBUG = os.environ.get("CIVICPLAN_DEBUG", "0") == "1"


def _list(name: str, default: str = "") -> list[str]:
    """A comma-separated setting from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0") == "1"


def _secret_key() -> str:
    """CIVICPLAN_SECRET_KEY, always from the environment: every process of an installation must
    sign with the same key, and none may invent its own. The `civicplan` command and `make run`
    set one kept under var/ on a machine that has none (civicplan.cli)."""
    key = os.environ.get("CIVICPLAN_SECRET_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "CIVICPLAN_SECRET_KEY is not set (see docs/deploy.md); the `civicplan` command "
            "and `make run` set one from var/secret-key on a developer machine."
        )
    return key


def _time_zone(name: str, default: str) -> str:
    """An IANA time zone name from the environment, checked against the zoneinfo database at
    start-up, so that a mistyped zone stops every process at once rather than a calendar."""
    value = os.environ.get(name, default).strip() or default
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a time zone of the zoneinfo database (an IANA name such "
            "as Europe/Moscow or Asia/Yekaterinburg; see docs/deploy.md)."
        ) from error
    return value


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _list("CIVICPLAN_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # The project's apps, from the bottom layer up (pyproject.toml's import contract).
    "civicplan.audit",
    "civicplan.outbox",
    "civicplan.directory",
    "civicplan.plans",
    "civicplan.accounts",
    "civicplan.newsroom",
    "civicplan.reports",
    "civicplan.contests",
    "civicplan.mailintake",
    "civicplan.notifications",
    "civicplan.operations",
    "civicplan.web",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # The security headers are added outside the page cache, so cached pages carry them too.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and CSRF: an anonymous visitor's page can come from the cache.
    "civicplan.common.pagecache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first (it refuses a locked-out login before the password is checked), then the
# object permissions of civicplan.*.rules, then Django's model permissions.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "civicplan.accounts.throttle.AddressThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "civicplan.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "civicplan.common.owner.context",
            ],
        },
    },
]

WSGI_APPLICATION = "civicplan.wsgi.application"

_SQLITE_URL = f"sqlite:///{VAR_DIR / 'civicplan.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _SQLITE_URL))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while the importer writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
# Persistent connections: a page from the cache costs one query, not a connection and a query.
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The caches. By default each process keeps its own (local memory); with several processes or
# machines set CIVICPLAN_CACHE_URL (redis://host:6379/0) and they share one: the public page
# cache (civicplan.common.pagecache; CIVICPLAN_PAGE_CACHE=off turns it off) and the counters of
# login failures per address (civicplan.accounts.throttle).
_CACHE_URL = os.environ.get("CIVICPLAN_CACHE_URL", "")
_CACHE_PREFIX = os.environ.get("CIVICPLAN_CACHE_PREFIX", "civicplan")  # one Redis, many sites
_PAGE_CACHE_OFF = os.environ.get("CIVICPLAN_PAGE_CACHE") == "off"


def _cache(name: str, timeout: int | None = 300, entries: int = 1000) -> dict:
    if _CACHE_URL:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _CACHE_URL,
            "KEY_PREFIX": f"{_CACHE_PREFIX}:{name}",
            "TIMEOUT": timeout,
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": name,
        "TIMEOUT": timeout,
        "OPTIONS": {"MAX_ENTRIES": entries},
    }


CACHES = {
    "default": _cache("default"),
    "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if _PAGE_CACHE_OFF
    else _cache("pages", timeout=3600, entries=300),
}
CIVICPLAN_PAGE_CACHE = "pages"
CIVICPLAN_PAGE_CACHE_MAX_BYTES = 1024 * 1024  # larger responses are not kept

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from here after collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
# Static files (CSS, fonts, scripts) are served by the application itself through WhiteNoise,
# so `make run` and a bare gunicorn need no separate web server.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

# The organisation whose plans these are (created on first import), its name in English, and
# the short name the site and its letters are signed with (civicplan.common.owner).
CIVICPLAN_OWNER = os.environ.get(
    "CIVICPLAN_OWNER",
    "Ассоциация по улучшению состояния здоровья и качества жизни населения "
    "«Здоровые города, районы и посёлки»",
)
CIVICPLAN_OWNER_EN = os.environ.get(
    "CIVICPLAN_OWNER_EN",
    "Association for Improving the Health and Quality of Life of the Population "
    "“Healthy Cities, Districts and Settlements”",
)
CIVICPLAN_OWNER_SHORT = os.environ.get("CIVICPLAN_OWNER_SHORT", "Здоровые города")
CIVICPLAN_OWNER_SHORT_EN = os.environ.get("CIVICPLAN_OWNER_SHORT_EN", "Healthy Cities")
# The time zone of the plans' times of day ("15.03.2026 10:00"): their calendar events are timed
# in it (DTSTART;TZID=… with its VTIMEZONE). One zone for every plan of the installation.
CIVICPLAN_PLAN_TIME_ZONE = _time_zone("CIVICPLAN_PLAN_TIME_ZONE", "Europe/Moscow")
# A plan with more rows than this is written to a file by a background task (its download page
# waits for it), not in the visitor's request (civicplan.plans.downloads).
CIVICPLAN_EXPORT_INLINE_ROWS = int(os.environ.get("CIVICPLAN_EXPORT_INLINE_ROWS", "500"))
# Uploaded plans: the readers refuse larger files too (civicplan.plandoc.readers).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Security. Behind a TLS proxy (docs/deploy.md) set CIVICPLAN_HTTPS=1: the proxy's
# X-Forwarded-Proto says the request was HTTPS, cookies are sent over HTTPS only, HTTP is
# redirected and HSTS tells browsers to keep to HTTPS (CIVICPLAN_HSTS_SECONDS, a year by default).
HTTPS = _flag("CIVICPLAN_HTTPS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe may come over HTTP
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("CIVICPLAN_HSTS_SECONDS", "31536000")) if HTTPS else 0
# The site's own host name (plan.example.org) has no subdomains of its own to spare from HTTPS,
# and may be preloaded; set either to 0 when the site lives on a shared domain.
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and _flag("CIVICPLAN_HSTS_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = HTTPS and _flag("CIVICPLAN_HSTS_PRELOAD", default=True)
# Origins a POST may come from besides the site's own host (https://plan.example.org).
CSRF_TRUSTED_ORIGINS = _list("CIVICPLAN_CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): the pages load nothing but the site's own files, and no
# inline script or style is left in them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:account"
LOGOUT_REDIRECT_URL = "web:home"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Login throttling: five wrong passwords for one user name from one address lock them out for
# a quarter of an hour (django-axes); twenty from one address, whatever the names, lock the
# address (civicplan.accounts.throttle). The address is the client's, behind
# CIVICPLAN_PROXY_COUNT proxies of ours (civicplan.common.clients).
CIVICPLAN_PROXY_COUNT = int(os.environ.get("CIVICPLAN_PROXY_COUNT", "0"))
CIVICPLAN_LOGIN_ADDRESS_FAILURE_LIMIT = int(
    os.environ.get("CIVICPLAN_LOGIN_ADDRESS_FAILURE_LIMIT", "20")
)
AXES_CLIENT_IP_CALLABLE = "civicplan.common.clients.client_address"
AXES_FAILURE_LIMIT = int(os.environ.get("CIVICPLAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Background tasks live in the database (django-tasks-db): no broker to run beside the site.
# `civicplan worker` runs them and enqueues the scheduled notifications; a task still running
# after the lease is taken to have lost its worker and is run again.
CIVICPLAN_TASK_LEASE_SECONDS = int(os.environ.get("CIVICPLAN_TASK_LEASE_SECONDS", "600"))
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CIVICPLAN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

# Outgoing mail: every letter is kept in the outbox (civicplan.outbox, /staff/outbox/) and sent
# by SMTP when CIVICPLAN_SMTP_HOST is set; without it letters are held there, readable by staff,
# so invitations and password resets work on a fresh machine. EMAIL_BACKEND is the transport.
EMAIL_HOST = os.environ.get("CIVICPLAN_SMTP_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "CIVICPLAN_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "civicplan.outbox.delivery.HeldBackend",
)
EMAIL_USE_SSL = _flag("CIVICPLAN_SMTP_SSL")  # SMTPS, port 465
EMAIL_PORT = int(os.environ.get("CIVICPLAN_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CIVICPLAN_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CIVICPLAN_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _flag("CIVICPLAN_SMTP_STARTTLS")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("CIVICPLAN_FROM_EMAIL", "CivicPlan <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Addresses that get a letter (through the outbox) about every server error.
ADMINS = [("", address) for address in _list("CIVICPLAN_ADMINS")]
# A letter being sent is taken to be lost with its sender after this many seconds, and sent by
# the worker's sweep; sent letters are kept this long in the outbox (held and failed ones stay
# until staff act).
CIVICPLAN_MAIL_LEASE_SECONDS = int(os.environ.get("CIVICPLAN_MAIL_LEASE_SECONDS", "300"))
CIVICPLAN_OUTBOX_RETENTION_DAYS = int(os.environ.get("CIVICPLAN_OUTBOX_RETENTION_DAYS", "90"))
# The address of the site, for links in e-mails (no request to take it from).
CIVICPLAN_SITE_URL = os.environ.get("CIVICPLAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Incoming mail (civicplan mail_intake): the addresses it accepts mail for, where the raw
# messages are kept, and the largest message it takes (the SMTP SIZE limit).
CIVICPLAN_NEWS_ADDRESSES = [a.lower() for a in _list("CIVICPLAN_NEWS_ADDRESSES", "news@localhost")]
CIVICPLAN_MAIL_DIR = Path(os.environ.get("CIVICPLAN_MAIL_DIR", VAR_DIR / "mail"))
CIVICPLAN_MAIL_MAX_BYTES = int(os.environ.get("CIVICPLAN_MAIL_MAX_BYTES", str(25 * 1024 * 1024)))
# Bounds on what senders may do (0 turns one off): connections at once, in total and from one
# address (SMTP), letters a minute from one address (SMTP), seconds a connection may be idle.
CIVICPLAN_MAIL_MAX_CONNECTIONS = int(os.environ.get("CIVICPLAN_MAIL_MAX_CONNECTIONS", "100"))
CIVICPLAN_MAIL_MAX_CONNECTIONS_PER_ADDRESS = int(
    os.environ.get("CIVICPLAN_MAIL_MAX_CONNECTIONS_PER_ADDRESS", "10")
)
CIVICPLAN_MAIL_MAX_LETTERS_PER_MINUTE = int(
    os.environ.get("CIVICPLAN_MAIL_MAX_LETTERS_PER_MINUTE", "60")
)
CIVICPLAN_MAIL_IDLE_TIMEOUT = int(os.environ.get("CIVICPLAN_MAIL_IDLE_TIMEOUT", "300"))

# Attachments of submissions, by form or by e-mail: each at most this size.
CIVICPLAN_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("CIVICPLAN_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024))
)

# Closing reports: at most this many materials (files and links) each; a photo at most this many
# pixels (a bigger one is refused before it is decoded).
CIVICPLAN_REPORT_MAX_MATERIALS = int(os.environ.get("CIVICPLAN_REPORT_MAX_MATERIALS", "20"))
CIVICPLAN_REPORT_MAX_PIXELS = int(os.environ.get("CIVICPLAN_REPORT_MAX_PIXELS", str(50_000_000)))

# Notifications: reminders this many days before an activity (comma-separated).
CIVICPLAN_REMINDER_DAYS = [int(d) for d in _list("CIVICPLAN_REMINDER_DAYS", "7")]
# The weekly digest's day (0 = Monday) and how long after an activity's end its post-release is
# asked for (a new installation does not ask about last year).
CIVICPLAN_DIGEST_WEEKDAY = int(os.environ.get("CIVICPLAN_DIGEST_WEEKDAY", "0"))
CIVICPLAN_POST_RELEASE_WINDOW_DAYS = int(os.environ.get("CIVICPLAN_POST_RELEASE_WINDOW_DAYS", "30"))

# Logging: warnings and errors to stderr, each request's error with its method, path, user and
# address (civicplan.common.logs); CIVICPLAN_LOG_JSON=1 for one JSON object a line; errors also
# to ADMINS by mail, through the outbox.
_LOG_FIELDS = "%(asctime)s %(levelname)s %(name)s %(method)s %(path)s user=%(user)s %(client)s"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request": {"()": "civicplan.common.logs.RequestContext"},
        "not_debug": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "text": {"format": _LOG_FIELDS + ": %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": _LOG_FIELDS + " %(message)s",
        },
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "filters": ["request"],
            "formatter": "json" if _flag("CIVICPLAN_LOG_JSON") else "text",
        },
        "admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["not_debug"],
            "email_backend": "civicplan.outbox.delivery.OutboxBackend",
        },
    },
    "root": {
        "handlers": ["stderr"],
        "level": os.environ.get("CIVICPLAN_LOG_LEVEL", "WARNING").upper(),
    },
    "loggers": {
        "django.request": {"handlers": ["stderr", "admins"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}

# /healthz (civicplan.operations.health) fails when a disk has less free space than this, when
# the oldest ready task has waited longer (no worker runs), or an accepted letter has waited
# longer to be processed (the mail intake is stuck).
CIVICPLAN_HEALTH_MIN_FREE_MB = int(os.environ.get("CIVICPLAN_HEALTH_MIN_FREE_MB", "500"))
CIVICPLAN_HEALTH_MAX_QUEUE_AGE = int(os.environ.get("CIVICPLAN_HEALTH_MAX_QUEUE_AGE", "900"))
CIVICPLAN_HEALTH_MAX_LETTER_AGE = int(os.environ.get("CIVICPLAN_HEALTH_MAX_LETTER_AGE", "900"))

# Operations (civicplan.operations): how many days the raw .eml of a processed letter is kept
# after processing (`civicplan prune` deletes older ones; 0 keeps them for ever).
CIVICPLAN_MAIL_RETENTION_DAYS = int(os.environ.get("CIVICPLAN_MAIL_RETENTION_DAYS", "365"))
# A plan uploaded for import and never confirmed is deleted after this many days.
CIVICPLAN_IMPORT_RETENTION_DAYS = int(os.environ.get("CIVICPLAN_IMPORT_RETENTION_DAYS", "2"))
