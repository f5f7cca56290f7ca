"""Settings, read from environment variables.

Every variable is documented in docs/configuration.md. Safe defaults apply; a production
install must set SECRET_KEY (the demo and the test suite generate a throwaway one).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("YICHUANG_DATA_DIR", Path.cwd() / "var")).resolve()

DEMO = env_bool("YICHUANG_DEMO")
TESTING = (
    env_bool("YICHUANG_TEST")
    or "PYTEST_XDIST_WORKER" in os.environ
    or (os.environ.get("PYTEST_VERSION") is not None)
)
DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEMO or TESTING or DEBUG:
        SECRET_KEY = secrets.token_urlsafe(50)
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is required outside the demo and the tests (see docs/configuration.md)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if not TESTING else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "yichuang.common",
    "yichuang.identity",
    "yichuang.orgs",
    "yichuang.workdays",
    "yichuang.catalog",
    "yichuang.cases",
    "yichuang.notifications",
    "yichuang.hall",
    "yichuang.web",
    "yichuang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "yichuang.web.middleware.MethodNotAllowedMiddleware",
]

ROOT_URLCONF = "yichuang.config.urls"
WSGI_APPLICATION = "yichuang.config.wsgi.application"
AUTH_USER_MODEL = "identity.User"
LOGIN_URL = "/accounts/login/"
# After login each role lands on its own page (web.views_cases.landing decides).
LOGIN_REDIRECT_URL = "/landing/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Database: DATABASE_URL, default an embedded SQLite file in the data directory.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'yichuang.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Server-side parameter binding, and a query run twice on a connection becomes a
    # prepared statement: PostgreSQL plans it once per connection instead of on every
    # request (the inbox's 8-table join spends 2.5 ms planning, 0.5 ms running;
    # bench/README.md). Off for a pooler that cannot keep prepared statements
    # (PgBouncer in transaction mode before 1.21): YICHUANG_DB_PREPARED_STATEMENTS=0.
    if env_bool("YICHUANG_DB_PREPARED_STATEMENTS", True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=2
        )
    if TESTING:
        # The test database needs no crash durability: commits need not wait for the WAL
        # to reach the disk (a server setting per connection; the data seen is the same).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"
# A streaming replica of the primary (DATABASE_REPLICA_URL): only reports that tolerate a
# few seconds of replication lag read there (`yichuang.common.db.reporting_db`); every
# other read, and everything inside a transaction, stays on the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs PostgreSQL as DATABASE_URL.")
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The tests create hundreds of logins: a fast hasher there only (never in a deployment).
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
with contextlib.suppress(OSError):  # WhiteNoise warns on every start when it is missing
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# Uploaded files: the local disk by default; object storage in a multi-server deployment,
# e.g. YICHUANG_MEDIA_STORAGE=storages.backends.s3.S3Storage (`pip install yichuang[s3]`)
# with YICHUANG_MEDIA_STORAGE_OPTIONS='{"bucket_name": "...", "endpoint_url": "..."}'.
MEDIA_STORAGE = os.environ.get(
    "YICHUANG_MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage"
)
try:
    MEDIA_STORAGE_OPTIONS = json.loads(os.environ.get("YICHUANG_MEDIA_STORAGE_OPTIONS") or "{}")
except ValueError as exc:
    raise ImproperlyConfigured(f"YICHUANG_MEDIA_STORAGE_OPTIONS is not JSON: {exc}") from exc
if not isinstance(MEDIA_STORAGE_OPTIONS, dict):
    raise ImproperlyConfigured("YICHUANG_MEDIA_STORAGE_OPTIONS must be a JSON object.")
STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGE, "OPTIONS": MEDIA_STORAGE_OPTIONS},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG or DEMO
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG or DEMO
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not (DEMO or TESTING or DEBUG))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # fontTools reports every table it subsets (one PDF notice: ~40 lines) at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

# Domain settings (local practice, RULES.md). Each documented in docs/configuration.md.
PDF_FONT_CANDIDATES = [
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),  # fonts-noto-cjk
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),  # fonts-noto-cjk
    Path("/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc"),  # Arch Linux
    Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),  # fonts-wqy-zenhei
    Path("/usr/share/fonts/truetype/arphic/uming.ttc"),  # fonts-arphic-uming
]
YICHUANG = {
    # Whether the day of acceptance counts as day one (民法典 §201: it does not).
    "COUNT_START_DAY": env_bool("YICHUANG_COUNT_START_DAY", False),
    # Largest working-day span the calendar API accepts.
    "MAX_WORKDAYS": 3650,
    # The centre the public portal presents (a centre code); empty: the highest centre
    # that publishes items.
    "PORTAL_CENTRE": os.environ.get("YICHUANG_PORTAL_CENTRE", ""),
    # Warning lights (RULES.md §1, local practice): yellow when at most this many working
    # days are left, or when at least this share of the working days is used.
    "LIGHT_YELLOW_DAYS_LEFT": int(os.environ.get("YICHUANG_LIGHT_YELLOW_DAYS_LEFT", "1")),
    "LIGHT_YELLOW_SHARE_USED": float(os.environ.get("YICHUANG_LIGHT_YELLOW_SHARE_USED", "0.8")),
    # Working days to give the one-time notice (行政许可法 §32, §82); later, the case counts
    # as accepted from the day the materials were received.
    "ONE_TIME_NOTICE_DAYS": int(os.environ.get("YICHUANG_ONE_TIME_NOTICE_DAYS", "5")),
    # Largest file a case material may be (PDF, JPEG or PNG).
    "UPLOAD_MAX_BYTES": int(os.environ.get("YICHUANG_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024))),
    # 容缺受理 not supplied in time (RULES.md §4, local practice): "suspend" the case and
    # return it after PENDING_RETURN_WORKDAYS working days, or "terminate" (return) at once.
    "PENDING_OVERDUE_ACTION": os.environ.get("YICHUANG_PENDING_OVERDUE_ACTION", "suspend"),
    "PENDING_RETURN_WORKDAYS": int(os.environ.get("YICHUANG_PENDING_RETURN_WORKDAYS", "15")),
    # The CJK font embedded in PDF notices (a .ttf/.otf/.ttc file); default: the first of
    # PDF_FONT_CANDIDATES that exists (Debian: fonts-noto-cjk). Empty: notices cannot be
    # printed and say so (pdf_font_missing).
    "PDF_FONT": os.environ.get("YICHUANG_PDF_FONT")
    or next((str(path) for path in PDF_FONT_CANDIDATES if path.is_file()), ""),
    # Where SMS go: a dotted path to a class with `send(*, phone, text)`. The default writes
    # one line per SMS to the log "yichuang.sms" (phone masked).
    "SMS_BACKEND": os.environ.get(
        "YICHUANG_SMS_BACKEND", "yichuang.notifications.sms.LogSmsBackend"
    ),
    # Remind the applicant when a pending-materials deadline is this many working days away.
    "PENDING_REMIND_DAYS": int(os.environ.get("YICHUANG_PENDING_REMIND_DAYS", "2")),
    # API login: consecutive failures before a user name is locked, and for how long.
    "LOGIN_MAX_FAILURES": int(os.environ.get("YICHUANG_LOGIN_MAX_FAILURES", "5")),
    "LOGIN_LOCK_MINUTES": int(os.environ.get("YICHUANG_LOGIN_LOCK_MINUTES", "15")),
    # Lifetime of an API bearer token.
    "API_TOKEN_HOURS": int(os.environ.get("YICHUANG_API_TOKEN_HOURS", "12")),
    # The hall (RULES.md §7). Age from which the ID number alone gives a priority ticket.
    "HALL_PRIORITY_AGE": int(os.environ.get("YICHUANG_HALL_PRIORITY_AGE", "65")),
    # Calls of one ticket before the window may mark it missed (过号).
    "HALL_CALLS_BEFORE_MISSED": int(os.environ.get("YICHUANG_HALL_CALLS_BEFORE_MISSED", "3")),
    # How many of the latest missed tickets of its queues a window may recall or reinsert.
    "HALL_RECALLABLE_MISSED": int(os.environ.get("YICHUANG_HALL_RECALLABLE_MISSED", "5")),
    # A comprehensive window also calls from another queue of its centre when more than
    # this many wait there.
    "HALL_HELP_QUEUE_ABOVE": int(os.environ.get("YICHUANG_HALL_HELP_QUEUE_ABOVE", "10")),
    # Tickets an anonymous client (by IP address) may take per hour through the API and
    # the portal; staff with a token and kiosks are not limited.
    "HALL_ANONYMOUS_TICKETS_PER_HOUR": int(
        os.environ.get("YICHUANG_HALL_ANONYMOUS_TICKETS_PER_HOUR", "5")
    ),
    # Waiting-time target of the hall figures, in minutes.
    "HALL_WAIT_TARGET_MINUTES": int(os.environ.get("YICHUANG_HALL_WAIT_TARGET_MINUTES", "20")),
    # Appointments: bookable slots of a working day ("HH:MM-HH:MM", comma-separated).
    "APPOINTMENT_SLOTS": os.environ.get(
        "YICHUANG_APPOINTMENT_SLOTS",
        "09:00-10:00,10:00-11:00,11:00-12:00,13:30-14:30,14:30-15:30,15:30-16:30,16:30-17:30",
    ),
    # Book at least this many calendar days and at most this many working days ahead.
    "APPOINTMENT_MIN_DAYS_AHEAD": int(os.environ.get("YICHUANG_APPOINTMENT_MIN_DAYS_AHEAD", "1")),
    "APPOINTMENT_MAX_WORKDAYS_AHEAD": int(
        os.environ.get("YICHUANG_APPOINTMENT_MAX_WORKDAYS_AHEAD", "5")
    ),
    # Cancel up to this many hours before the slot starts.
    "APPOINTMENT_CANCEL_HOURS": int(os.environ.get("YICHUANG_APPOINTMENT_CANCEL_HOURS", "2")),
    # Check in from this many minutes before the slot starts until it ends.
    "APPOINTMENT_CHECKIN_EARLY_MINUTES": int(
        os.environ.get("YICHUANG_APPOINTMENT_CHECKIN_EARLY_MINUTES", "30")
    ),
    # NO_SHOW_LIMIT no-shows within NO_SHOW_WINDOW_DAYS suspend booking for
    # NO_SHOW_SUSPEND_DAYS days from the last of them.
    "APPOINTMENT_NO_SHOW_LIMIT": int(os.environ.get("YICHUANG_APPOINTMENT_NO_SHOW_LIMIT", "3")),
    "APPOINTMENT_NO_SHOW_WINDOW_DAYS": int(
        os.environ.get("YICHUANG_APPOINTMENT_NO_SHOW_WINDOW_DAYS", "30")
    ),
    "APPOINTMENT_NO_SHOW_SUSPEND_DAYS": int(
        os.environ.get("YICHUANG_APPOINTMENT_NO_SHOW_SUSPEND_DAYS", "30")
    ),
    # A kiosk signs its user out after this many seconds without a touch.
    "KIOSK_IDLE_SECONDS": int(os.environ.get("YICHUANG_KIOSK_IDLE_SECONDS", "60")),
    # The simulated ID card reader (a button that supplies a demo person) instead of a
    # real reader's local service: on in the demo and the tests only.
    "KIOSK_SIMULATED_READER": env_bool("YICHUANG_KIOSK_SIMULATED_READER", DEMO or TESTING),
}
if YICHUANG["PENDING_OVERDUE_ACTION"] not in {"suspend", "terminate"}:
    raise ImproperlyConfigured("YICHUANG_PENDING_OVERDUE_ACTION must be 'suspend' or 'terminate'.")
