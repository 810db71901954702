"""LandHub settings: one module, driven by ``LANDHUB_*`` environment variables.

Defaults give a working development hub with an embedded SQLite database under ``var/``;
production sets ``LANDHUB_DEBUG=0``, ``LANDHUB_ALLOWED_HOSTS``, ``LANDHUB_DATABASE_URL`` and
the e-mail settings (see docs/deployment.md).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("LANDHUB_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"LANDHUB_{name}", default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(f"LANDHUB_{name}")
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """The configured key, else one generated once into var/ readable only by its owner."""
    configured = env("SECRET_KEY")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # LandHub: shared apps first, then the seven functions.
    "landhub.core",
    "landhub.accounts",
    "landhub.directory",
    "landhub.coordination",
    "landhub.mel",
    "landhub.governance",
    # Wagtail (public site, search backend).
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts and sign-in.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Infrastructure.
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "ninja",
    # Django.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "landhub.core.middleware.UserTimezoneMiddleware",
    "landhub.accounts.middleware.StaffMFARequiredMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "landhub.urls"
WSGI_APPLICATION = "landhub.wsgi.application"
ASGI_APPLICATION = "landhub.asgi.application"

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
                "landhub.core.context_processors.hub",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'landhub.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE transactions take the write lock
    # at BEGIN so two writers queue on the busy timeout instead of failing mid-transaction with
    # "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_SQLITE_NAME", "") or None}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it pays off for long analytical queries, not for pages. A list whose
    # correlated counts make the planner's estimate large got compiled on every request
    # (127 functions, ~70 ms, more than the query itself) — the value overview at scale 10.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
CACHE_URL = env("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
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
LOGIN_REDIRECT_URL = "directory:my_hub"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "landhub.accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so operators can see and tune them here.
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Wrong API tokens allowed per client address in 10 minutes before it gets 429s.
LANDHUB_TOKEN_FAILURES_ALLOWED = int(env("TOKEN_FAILURES_ALLOWED", "20"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "LandHub"
# Hub staff must have TOTP before they reach any hub page (see accounts.middleware).
LANDHUB_STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", True)
INVITATION_DAYS_VALID = int(env("INVITATION_DAYS_VALID", "14"))

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français"), ("pt", "Português")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
# In development (and the browser tests' server) WhiteNoise serves straight from the app
# directories, so nobody has to run collectstatic before `make run`.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Files attached to records (offerings' brochures, manuals …) are read only through views that
# check who may see the record: a location of their own, under MEDIA_ROOT so backups hold them,
# and never served at /media/ (see urls.py; a production web server must deny that folder).
STORAGES["attachments"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": MEDIA_ROOT / "attachments", "base_url": "/no-public-url/"},
}
if env("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": env("S3_BUCKET"), "endpoint_url": env("S3_ENDPOINT") or None},
    }
    STORAGES["attachments"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET"), "endpoint_url": env("S3_ENDPOINT") or None,
            "location": "attachments", "default_acl": "private", "querystring_auth": True,
        },
    }  # fmt: skip
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
# Uploads the hub accepts, by kind; larger files are refused with a message, not a 500.
LANDHUB_MAX_BOUNDARY_BYTES = int(env("MAX_BOUNDARY_BYTES", str(10 * 1024 * 1024)))
LANDHUB_MAX_BOUNDARY_VERTICES = int(env("MAX_BOUNDARY_VERTICES", "200000"))
LANDHUB_MAX_IMPORT_BYTES = int(env("MAX_IMPORT_BYTES", str(20 * 1024 * 1024)))
LANDHUB_MAX_ATTACHMENT_BYTES = int(env("MAX_ATTACHMENT_BYTES", str(20 * 1024 * 1024)))

# Monitoring (MEL): reminders this many days before a reporting period is due; a figure is
# "on track" within this many percentage points of the progress expected; the initiative's
# life, against which a life-of-initiative target's expected progress is measured.
LANDHUB_MEL_REMINDER_DAYS = int(env("MEL_REMINDER_DAYS", "14"))
LANDHUB_MEL_ON_TRACK_MARGIN = env("MEL_ON_TRACK_MARGIN", "10")  # a decimal, as text
LANDHUB_MEL_LIFE = (env("MEL_LIFE_START", "2024-01-01"), env("MEL_LIFE_END", "2030-12-31"))
# A substantiation link (outcome harvesting) works for this many days; the reach figure is
# recomputed at this hour (hub's time zone) after engaged landscapes changed.
LANDHUB_MEL_SUBSTANTIATION_DAYS = int(env("MEL_SUBSTANTIATION_DAYS", "30"))
LANDHUB_MEL_REACH_HOUR = int(env("MEL_REACH_HOUR", "2"))
# Governance: action owners are reminded this many days before an action item is due.
LANDHUB_GOVERNANCE_REMINDER_DAYS = int(env("GOVERNANCE_REMINDER_DAYS", "3"))

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Where Django's file backend (``…filebased.EmailBackend``) writes messages: the browser tests
# read the substantiation link from there.
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "LandHub <hub@landhub.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Maps -----------------------------------------------------------------------------------
# No tile server by default: boundaries still draw on a blank map, and nothing is fetched from
# the internet unless the operator configures a tile server they are allowed to use.
LANDHUB_TILE_URL = env("TILE_URL", "")
LANDHUB_TILE_ATTRIBUTION = env("TILE_ATTRIBUTION", "")

# --- Search ---------------------------------------------------------------------------------
# The database backend uses SQLite FTS5 or PostgreSQL full text, whichever database is in use.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": env("SEARCH_BACKEND", "wagtail.search.backends.database")}
}
if env("SEARCH_URL"):
    WAGTAILSEARCH_BACKENDS["default"].update(
        {"URLS": [env("SEARCH_URL")], "INDEX": env("SEARCH_INDEX", "landhub")}
    )

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "LandHub"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# --- Background tasks -----------------------------------------------------------------------
TASKS = {"default": {"BACKEND": env("TASK_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = int(env("SESSION_DAYS", "14")) * 24 * 3600  # sessions expire
CSRF_COOKIE_HTTPONLY = True  # pages send the token from the template (hx-headers), not JS

SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

NINJA_PAGINATION_PER_PAGE = 50
SILENCED_SYSTEM_CHECKS: list[str] = []

# --- Content-Security-Policy (django-csp) ----------------------------------------------------
# Scripts only from our own static files (no inline scripts, no CDN); images also from the
# configured tile server. Inline *styles* stay allowed: progress bars and Leaflet position
# elements with style attributes. Wagtail's and Django's admin bring inline scripts of their
# own and are left out of the policy; they are staff-only and behind MFA.
_TILE_ORIGIN = ""
if LANDHUB_TILE_URL:
    from urllib.parse import urlsplit

    _parts = urlsplit(LANDHUB_TILE_URL.replace("{s}", "a"))
    _TILE_ORIGIN = f"{_parts.scheme}://{_parts.netloc}".replace("://a.", "://*.")
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ("/cms/", "/django-admin/"),
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
