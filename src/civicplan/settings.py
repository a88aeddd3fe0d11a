"""Django settings. Everything secret or machine-specific comes from the environment."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CIVICPLAN_VAR_DIR", PROJECT_DIR / "var"))

DEBUG = os.environ.get("CIVICPLAN_DEBUG", "0") == "1"


def _secret_key() -> str:
    """The key from CIVICPLAN_SECRET_KEY; on a developer machine, one generated once under var/."""
    key = os.environ.get("CIVICPLAN_SECRET_KEY")
    if key:
        return key
    key_file = VAR_DIR / "secret-key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("CIVICPLAN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

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
    "civicplan.mailintake",
    "civicplan.notifications",
    "civicplan.operations",
    "civicplan.web",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and CSRF: an anonymous visitor's page can come from the cache.
    "civicplan.common.pagecache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first (it refuses a locked-out login before the password is checked), then the
# object permissions of civicplan.*.rules, then Django's model permissions.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
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

# Public pages as anonymous visitors see them (civicplan.common.pagecache), per process;
# CIVICPLAN_PAGE_CACHE=off turns the cache off (the benchmark measures pages both ways).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.dummy.DummyCache"
        if os.environ.get("CIVICPLAN_PAGE_CACHE") == "off"
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
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
# Uploaded plans: the readers refuse larger files too (civicplan.plandoc.readers).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:account"
LOGOUT_REDIRECT_URL = "web:home"
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600

# Login throttling: five wrong passwords for one user name from one address lock them out for
# a quarter of an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("CIVICPLAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Background tasks live in the database (django-tasks-db): no broker to run beside the site.
# `civicplan worker` runs them and enqueues the scheduled notifications.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CIVICPLAN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

# Outgoing mail: SMTP to the host and port from the environment (a local relay by default).
EMAIL_BACKEND = os.environ.get(
    "CIVICPLAN_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("CIVICPLAN_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("CIVICPLAN_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CIVICPLAN_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CIVICPLAN_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("CIVICPLAN_SMTP_STARTTLS", "0") == "1"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("CIVICPLAN_FROM_EMAIL", "CivicPlan <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address of the site, for links in e-mails (no request to take it from).
CIVICPLAN_SITE_URL = os.environ.get("CIVICPLAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Incoming mail (civicplan mail_intake): the addresses it accepts mail for, where the raw
# messages are kept, and the largest message it takes (the SMTP SIZE limit).
CIVICPLAN_NEWS_ADDRESSES = [
    a.strip().lower()
    for a in os.environ.get("CIVICPLAN_NEWS_ADDRESSES", "news@localhost").split(",")
    if a.strip()
]
CIVICPLAN_MAIL_DIR = Path(os.environ.get("CIVICPLAN_MAIL_DIR", VAR_DIR / "mail"))
CIVICPLAN_MAIL_MAX_BYTES = int(os.environ.get("CIVICPLAN_MAIL_MAX_BYTES", str(25 * 1024 * 1024)))

# Attachments of submissions, by form or by e-mail: each at most this size.
CIVICPLAN_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("CIVICPLAN_ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024))
)

# Notifications: reminders this many days before an activity (comma-separated).
CIVICPLAN_REMINDER_DAYS = [
    int(d) for d in os.environ.get("CIVICPLAN_REMINDER_DAYS", "7").split(",") if d.strip()
]
# The weekly digest's day (0 = Monday) and how long after an activity's end its post-release is
# asked for (a new installation does not ask about last year).
CIVICPLAN_DIGEST_WEEKDAY = int(os.environ.get("CIVICPLAN_DIGEST_WEEKDAY", "0"))
CIVICPLAN_POST_RELEASE_WINDOW_DAYS = int(os.environ.get("CIVICPLAN_POST_RELEASE_WINDOW_DAYS", "30"))

# Operations (civicplan.operations): how many days the raw .eml of a processed letter is kept
# after processing (`civicplan prune` deletes older ones; 0 keeps them for ever).
CIVICPLAN_MAIL_RETENTION_DAYS = int(os.environ.get("CIVICPLAN_MAIL_RETENTION_DAYS", "365"))
