"""Settings, read from environment variables.

Every variable is documented in docs/configuration.md. Safe defaults apply; a production
install must set SECRET_KEY (the demo and the test suite generate a throwaway one).
"""

from __future__ import annotations

import contextlib
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
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
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Domain settings (local practice, RULES.md). Each documented in docs/configuration.md.
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
}
