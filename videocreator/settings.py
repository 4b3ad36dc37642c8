"""Video Creator settings, read from the environment (12-factor).

Every setting that differs between a laptop and production comes from an environment
variable; README.md lists them all. Defaults are the embedded ones `make run` uses: SQLite,
Celery's file-system broker, local media, console e-mail.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from videocreator.content_security import (
    STRIPE_FORM_ORIGINS,
    content_security_policy,
    origin_of,
    storage_origins,
)
from videocreator.settings_analytics import analytics_settings
from videocreator.settings_database import database_settings
from videocreator.settings_growth import growth_settings
from videocreator.settings_plugins import plugin_settings
from videocreator.settings_webhooks import webhooks_settings

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -------------------------------------------------------------------

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long "
            "random string (for example: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'), or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sites",
    # third party
    "allauth",
    "allauth.account",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "storages",
    "csp",
    # ours
    "videocreator",
    "accounts",
    "teams",
    "videos",
    "integrations",
    "billing",
    "growth",
    "growth.referrals",
    "growth.feedback",
    "analytics",
    "analytics.metrics",
    "integrations.webhooks",
]

MIDDLEWARE = [
    # First, so no other middleware reads a header or cookie with a NUL in it.
    "videocreator.nul.NulMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.SessionAuthenticationMiddleware",
    "accounts.middleware.UserLocaleMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "analytics.middleware.VisitorMiddleware",  # last: page views need request.user
]

ROOT_URLCONF = "videocreator.urls"
WSGI_APPLICATION = "videocreator.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "teams.context_processors.workspaces",
                "videocreator.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

VAR_DIR.mkdir(exist_ok=True)
DATABASES = database_settings(env, VAR_DIR)  # DATABASE_URL, CONN_MAX_AGE, DATABASE_JIT
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "videocreator",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication ---------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Video Creator] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Failed logins are limited per IP and per account (allauth's cache-based limiter).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": env.str("LOGIN_FAILED_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("de", _("German")),
    ("pt", _("Portuguese")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("zh-hans", _("Simplified Chinese")),
    ("hi", _("Hindi")),
]
LANGUAGE_COOKIE_NAME = "django_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")

AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default=None)
    AWS_QUERYSTRING_AUTH = True
    AWS_S3_SIGNATURE_VERSION = "s3v4"
    # Presigned download links stay valid for an hour.
    AWS_QUERYSTRING_EXPIRE = env.int("AWS_QUERYSTRING_EXPIRE", default=3600)
    AWS_DEFAULT_ACL = None
    AWS_S3_FILE_OVERWRITE = False
    DEFAULT_STORAGE_BACKEND = "storages.backends.s3.S3Storage"
    STORAGE_ORIGINS = storage_origins(
        AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME
    )  # presigned links point here (the Content-Security-Policy allows them)
else:
    DEFAULT_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"
    STORAGE_ORIGINS = []
STORAGES = {
    "default": {"BACKEND": DEFAULT_STORAGE_BACKEND},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}

# --- E-mail -----------------------------------------------------------------

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Video Creator <noreply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Celery -----------------------------------------------------------------

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    BROKER_DIR = VAR_DIR / "celery-broker"
    for sub in ("out", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
        # Broadcasts (worker control) too, or kombu writes ./control wherever it was started.
        "control_folder": str(BROKER_DIR / "control"),
    }
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 55 * 60
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker is considered alive when its heartbeat is younger than this.
WORKER_HEARTBEAT_MAX_AGE_SECONDS = env.int("WORKER_HEARTBEAT_MAX_AGE_SECONDS", default=180)

# --- Between apps: what an app needs from the ones above it, as dotted paths -----
vars().update(plugin_settings())  # TEAM_SEAT_LIMIT, PRIVACY_*, REFERRAL_CODE_*, …
vars().update(growth_settings(env))  # REFERRAL_* limits

# --- Rendering --------------------------------------------------------------

# A render whose worker has not reported for this long is queued again.
RENDER_TIMEOUT_SECONDS = env.int("RENDER_TIMEOUT_SECONDS", default=30 * 60)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Payments ---------------------------------------------------------------

# Without a secret key the offline sandbox provider takes payments (clearly labelled).
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="https://api.stripe.com")

# --- Social platforms ------------------------------------------------------

# OAuth tokens are encrypted at rest with Fernet. Comma-separated keys: the first encrypts,
# every one decrypts, so a new key goes first and `manage.py rotate_token_keys` re-encrypts.
# Without keys, one is derived from SECRET_KEY (fine for development; set your own in production).
TOKEN_ENCRYPTION_KEYS = env.list("TOKEN_ENCRYPTION_KEYS", default=[])

# A platform without a client id and secret is shown as "not configured". Every URL can be
# pointed elsewhere (tests run the platforms' protocols on local servers).
SOCIAL_PLATFORMS = {
    "youtube": {
        "client_id": env.str("YOUTUBE_CLIENT_ID", default=""),
        "client_secret": env.str("YOUTUBE_CLIENT_SECRET", default=""),
        "authorize_url": env.str(
            "YOUTUBE_AUTHORIZE_URL", default="https://accounts.google.com/o/oauth2/v2/auth"
        ),
        "token_url": env.str("YOUTUBE_TOKEN_URL", default="https://oauth2.googleapis.com/token"),
        "api_base": env.str("YOUTUBE_API_BASE", default="https://www.googleapis.com"),
        "analytics_base": env.str("YOUTUBE_ANALYTICS_BASE", default=""),  # empty: Google's own
    },
    "facebook": {
        "client_id": env.str("FACEBOOK_APP_ID", default=""),
        "client_secret": env.str("FACEBOOK_APP_SECRET", default=""),
        "authorize_url": env.str(
            "FACEBOOK_AUTHORIZE_URL", default="https://www.facebook.com/v21.0/dialog/oauth"
        ),
        "api_base": env.str("FACEBOOK_GRAPH_BASE", default="https://graph.facebook.com/v21.0"),
    },
    "tiktok": {
        "client_id": env.str("TIKTOK_CLIENT_KEY", default=""),
        "client_secret": env.str("TIKTOK_CLIENT_SECRET", default=""),
        "authorize_url": env.str(
            "TIKTOK_AUTHORIZE_URL", default="https://www.tiktok.com/v2/auth/authorize/"
        ),
        "api_base": env.str("TIKTOK_API_BASE", default="https://open.tiktokapis.com"),
    },
    "x": {
        "client_id": env.str("X_CLIENT_ID", default=""),
        "client_secret": env.str("X_CLIENT_SECRET", default=""),
        "authorize_url": env.str("X_AUTHORIZE_URL", default="https://x.com/i/oauth2/authorize"),
        "api_base": env.str("X_API_BASE", default="https://api.x.com"),
    },
}
# Instagram publishes through the Facebook app (Facebook Login for professional accounts).
SOCIAL_PLATFORMS["instagram"] = dict(SOCIAL_PLATFORMS["facebook"])
SOCIAL_HTTP_TIMEOUT_SECONDS = env.float("SOCIAL_HTTP_TIMEOUT_SECONDS", default=30.0)
# Uploads go in chunks of this size (YouTube wants multiples of 256 KiB; X at most 5 MB).
PUBLISH_CHUNK_BYTES = env.int("PUBLISH_CHUNK_BYTES", default=4 * 1024 * 1024)
# While a platform processes an upload, ask every PUBLISH_POLL_SECONDS, at most this often
# before trying again later.
PUBLISH_POLL_SECONDS = env.float("PUBLISH_POLL_SECONDS", default=5.0)
PUBLISH_POLL_LIMIT = env.int("PUBLISH_POLL_LIMIT", default=60)
# A post "publishing" with no progress for this long lost its worker and is tried again.
PUBLISH_TIMEOUT_SECONDS = env.int("PUBLISH_TIMEOUT_SECONDS", default=30 * 60)
# Retries wait 1, 2 and 4 times this long.
PUBLISH_RETRY_BASE_SECONDS = env.int("PUBLISH_RETRY_BASE_SECONDS", default=60)
# The dispatcher claims due posts this many at a time (each batch its own transaction).
PUBLISH_DISPATCH_BATCH = env.int("PUBLISH_DISPATCH_BATCH", default=500)

vars().update(webhooks_settings(env, debug=DEBUG))  # WEBHOOKS_*

# --- REST API ---------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "videocreator.api.Pagination",
    # DRF's parsers, with JSON nested too deeply refused before it is parsed.
    "DEFAULT_PARSER_CLASSES": [
        "videocreator.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
    },
    "EXCEPTION_HANDLER": "videocreator.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["videocreator.api_renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Video Creator API",
    "DESCRIPTION": "Make, brand, review, schedule and measure short marketing videos.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Webhook choice sets share field names ("status", "kind") with others: name them.
    "ENUM_NAME_OVERRIDES": {
        f"Webhook{name}Enum": f"integrations.webhooks.models.{name}"
        for name in ("EndpointStatus", "EndpointKind", "DeliveryStatus")
    },
}
vars().update(analytics_settings(env, REST_FRAMEWORK, DATABASES))  # ANALYTICS_*, replica, rates

# --- Security ---------------------------------------------------------------

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): our own origin only, plus the S3 bucket for media and
# the payment and OAuth pages that forms redirect to (videocreator/content_security.py).
CONTENT_SECURITY_POLICY = content_security_policy(
    storage=STORAGE_ORIGINS,
    form_targets=[
        *STRIPE_FORM_ORIGINS,
        *(origin_of(spec["authorize_url"]) for spec in SOCIAL_PLATFORMS.values()),
    ],
)

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
