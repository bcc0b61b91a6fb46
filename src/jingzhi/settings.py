"""Django settings for Jingzhi.

Everything deployment-specific comes from the environment (12-factor):
``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY``, ``DEBUG``, ``ALLOWED_HOSTS``,
``MAP_TILE_URL``. Without them the platform runs on the embedded default:
SQLite under ``var/`` and Celery tasks executed eagerly.
"""
import os
import secrets
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("JINGZHI_VAR_DIR", PROJECT_DIR / "var"))
DATA_DIR = PROJECT_DIR / "data"
SHARED_DIR = Path(os.environ.get("JINGZHI_SHARED_DIR", PROJECT_DIR.parent / "shared"))


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated setting, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = _env_bool("DEBUG", False)


def _local_secret_key() -> str:
    """A random key kept in var/ when SECRET_KEY is not set: never a fixed or committed key.

    Created with a hard link so that concurrent first starts (test workers, web and
    Celery processes) all end up reading the same complete file.
    """
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"secret_key.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "axes",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "jingzhi.core",
    "jingzhi.org",
    "jingzhi.geo",
    "jingzhi.assets",
    "jingzhi.plans",
    "jingzhi.cases",
    "jingzhi.assessment",
    "jingzhi.disclosure",
    "jingzhi.dashboards",
    "jingzhi.citizens",
    "jingzhi.portal",
    "jingzhi.open311",
    "jingzhi.inspections",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "jingzhi.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jingzhi.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jingzhi.core.navigation.navigation",
                "jingzhi.cases.context_processors.inbox",
            ],
        },
    },
]
# Every Django form's fields say （必填） when required and point at their errors (docs/accessibility.md).
FORM_RENDERER = "jingzhi.core.form_errors.FormRenderer"
WSGI_APPLICATION = "jingzhi.wsgi.application"

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'jingzhi.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL + a busy timeout let the dev server and eager Celery tasks share the file; IMMEDIATE makes
    # a writer wait for the lock at BEGIN (up to the timeout) instead of failing on upgrading a read.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No JIT compilation: the site's statements are short, and compiling one the planner costs high
    # (a month of a large city's events) took 2–4 s of an 8 s dashboard query (docs/benchmarks.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    # Not a rule: its password_changed hook revokes the user's API token and login lockout.
    {"NAME": "jingzhi.org.passwords.CredentialsResetOnPasswordChange"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end libraries come from registry packages (XStatic wheels on PyPI), never a CDN.
STATICFILES_DIRS = [("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR)]
# …and from the npm registry (package.json, `npm ci` in bin/setup-env): only the files named here.
NODE_MODULES_DIR = PROJECT_DIR / "node_modules"
NPM_STATIC_FILES = {
    "vendor/echarts/echarts.min.js": "echarts/dist/echarts.min.js",
    "vendor/supercluster/supercluster.min.js": "supercluster/dist/supercluster.min.js",
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "jingzhi.core.staticfiles.NodeModulesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate challenge turns "no credentials" into 401. No HTTP Basic:
    # it skipped CSRF, so a cross-site form could write with a browser's saved credentials.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "jingzhi.org.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Bad input is a 400, never a 500: error answers in the schema, checked limit/offset, a JSON
    # parser with a depth bound (jingzhi.core.schema, jingzhi.core.rest; limits in jingzhi.core.limits).
    "DEFAULT_SCHEMA_CLASS": "jingzhi.core.schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "jingzhi.core.rest.Pagination",
    "DEFAULT_PARSER_CLASSES": [
        "jingzhi.core.rest.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    # Domain errors of every app (jingzhi.core.errors) → 403 / 404 / 409 / 422 with one body shape.
    "EXCEPTION_HANDLER": "jingzhi.core.errors.exception_handler",
    "PAGE_SIZE": 50,
    # Throttles: requests per user (signed in) and per client IP (anonymous: the token login), answered
    # with 429 and Retry-After. An empty value switches that throttle off. Counts live in the cache
    # (CACHES below), shared between processes through Redis when REDIS_URL is set.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute") or None,
        "user": os.environ.get("API_THROTTLE_USER", "600/minute") or None,
        # The citizen portal's public duplicate candidates (per client IP or user; docs/portal.md).
        "portal_duplicates": os.environ.get("PORTAL_DUPLICATES_THROTTLE", "30/minute") or None,
        # Reports sent on the portal's form, per client address (a copy of a sent form does not count).
        "portal_reports": os.environ.get("PORTAL_REPORTS_THROTTLE", "20/hour") or None,
        # Open311 (jingzhi.open311.access): POST requests per client app's key, every call per client IP.
        "open311_key": os.environ.get("OPEN311_THROTTLE_KEY", "120/minute") or None,
        "open311_ip": os.environ.get("OPEN311_THROTTLE_IP", "600/minute") or None,
    },
    # Proxies in front of the app that append to X-Forwarded-For (the client IP is taken before them).
    "NUM_PROXIES": int(os.environ.get("TRUSTED_PROXY_COUNT") or 0) or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "精治 Jingzhi API",
    "DESCRIPTION": "城市精细化管理平台 REST API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets sharing a field name ("state"): the case's keeps its name, the round's is its own.
    "ENUM_NAME_OVERRIDES": {"StateEnum": "jingzhi.cases.workflow.State",
                            "RoundStateEnum": "jingzhi.inspections.lifecycle.RoundState",
                            "AssetStatusEnum": "jingzhi.assets.models.AssetStatus"},
}

# Accounts and sessions: login lockout (django-axes), API throttles, API token lifetime. See docs/accounts.md.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
# LOGIN_FAILURE_LIMIT wrong passwords for one username from one client address lock that pair (login
# page, admin, token login) for LOGIN_COOLOFF_MINUTES after the last failure; any attempt while locked
# starts the cool-off again. Per pair: a stranger cannot lock the shift chief out of the command centre,
# and a bureau's staff behind one NAT address do not lock each other out.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_MINUTES", "30")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "jingzhi.core.views.login_locked"
AXES_CLIENT_IP_CALLABLE = "jingzhi.org.authentication.client_ip"  # the same address the throttles use
# API tokens (POST /api/org/token/) stop working this long after they were issued.
API_TOKEN_TTL_HOURS = float(os.environ.get("API_TOKEN_TTL_HOURS", "168"))

# Background work: Redis broker in production, eager in the embedded default.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# The cache (throttle counts) is shared through the same Redis; per process in the embedded default.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
          if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # Overdue cases → shift chief, once per stage (cases.escalation.cases_escalate_overdue).
    "cases-escalate-overdue": {"task": "cases.tasks.escalate_overdue",
                               "schedule": float(os.environ.get("ESCALATION_INTERVAL_SECONDS", "60"))},
    # New citizen text and photos screened for the public pages (disclosure.services.reviews_screen).
    "disclosure-screen-reviews": {"task": "disclosure.tasks.screen_reviews", "schedule": 60.0},
    # Idempotency keys older than IDEMPOTENCY_KEY_TTL_HOURS (core.idempotency.idempotency_keys_purge).
    "core-purge-idempotency-keys": {"task": "core.tasks.purge_idempotency_keys", "schedule": 3600.0},
    # 月考核: on the 1st at 02:00 the previous month is computed (a draft the office publishes).
    "assessment-month": {"task": "assessment.tasks.assess_previous_month",
                         "schedule": crontab(minute=0, hour=2, day_of_month=1)},
    # 日督查: each morning at 07:30 the daily supervision sheet per district.
    "assessment-daily-sheet": {"task": "assessment.tasks.send_daily_sheets",
                               "schedule": crontab(minute=30, hour=7)},
    # Sign-in codes (phone numbers, client addresses) older than a day (citizens.services.sms_codes_purge).
    "citizens-purge-sms-codes": {"task": "citizens.tasks.purge_sms_codes", "schedule": 3600.0},
}

# Idempotency keys (``Idempotency-Key`` header) are kept this long, then purged by the beat job.
IDEMPOTENCY_KEY_TTL_HOURS = int(os.environ.get("IDEMPOTENCY_KEY_TTL_HOURS", "72"))

# Open311 GeoReport v2 (docs/open311.md): the one jurisdiction served, what discovery tells a
# developer, the most requests one GET answers (the spec's 1000), and how long a public list stays
# cached (seconds; its ETag lets a client revalidate for free).
OPEN311_JURISDICTION_ID = os.environ.get("OPEN311_JURISDICTION_ID", "zhengzhou")
OPEN311_CONTACT = os.environ.get("OPEN311_CONTACT", "郑州市数字化城市管理监督指挥中心")
OPEN311_KEY_SERVICE = os.environ.get("OPEN311_KEY_SERVICE", "向平台管理员申请：后台“Open311 客户端应用”签发 api_key")
OPEN311_MAX_REQUESTS = int(os.environ.get("OPEN311_MAX_REQUESTS", "1000"))
# The oldest a kept public list may be (open311.answers): a change of a case shows at once; this bounds
# how late a case leaves the moving 90-day window.
OPEN311_CACHE_SECONDS = int(os.environ.get("OPEN311_CACHE_SECONDS", "60"))

# Notification channels beyond the in-app inbox, comma-separated dotted paths, e.g.
# "jingzhi.cases.notifications.EmailChannel,jingzhi.cases.notifications.SmsChannel".
CASES_NOTIFICATION_CHANNELS = _env_list("NOTIFICATION_CHANNELS")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jingzhi@localhost")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = float(os.environ.get("SMS_GATEWAY_TIMEOUT", "5"))
SMS_SIGNATURE = os.environ.get("SMS_SIGNATURE", "【精治】")
# How texts leave (jingzhi.core.sms): the HTTP gateway above, or LogBackend (the demo: texts go to the log).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "jingzhi.core.sms.GatewayBackend")

# Citizens sign in with a one-time SMS code (jingzhi.citizens, docs/citizens.md): how long a code
# lives, how many wrong guesses it survives, how soon another may be sent to the same phone, and how
# many codes one phone number and one client address may request in an hour.
CITIZEN_CODE_TTL_SECONDS = int(os.environ.get("CITIZEN_CODE_TTL_SECONDS", "300"))
CITIZEN_CODE_MAX_ATTEMPTS = int(os.environ.get("CITIZEN_CODE_MAX_ATTEMPTS", "5"))
CITIZEN_CODE_RESEND_SECONDS = int(os.environ.get("CITIZEN_CODE_RESEND_SECONDS", "60"))
CITIZEN_CODES_PER_PHONE_HOUR = int(os.environ.get("CITIZEN_CODES_PER_PHONE_HOUR", "5"))
CITIZEN_CODES_PER_IP_HOUR = int(os.environ.get("CITIZEN_CODES_PER_IP_HOUR", "20"))

# Map tiles are a setting: government intranets host their own tile server.
# Empty means "no tiles"; vector layers (boundaries, grids, points) still draw.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "")
# The datum of those tiles: wgs84, or gcj02 for Amap/Tencent-style tiles (a tap on the map is then
# converted to WGS84 with geo/coords.py when a report is stored).
MAP_TILE_COORD_SYSTEM = os.environ.get("MAP_TILE_COORD_SYSTEM", "wgs84")

# The citizen portal (/p/, docs/portal.md): photos one report may carry.
PORTAL_MAX_PHOTOS = int(os.environ.get("PORTAL_MAX_PHOTOS", "3"))

# ── Uploads: photos and evidence (jingzhi.core.uploads, docs/uploads.md) ──
# Accepted by content: JPEG, PNG, WEBP images (evidence also PDF), stored re-encoded without metadata.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# Decoded pixels per image, read from the header before decoding: 40 megapixels (≈120 MB as RGB) admit
# every phone's and most cameras' default photo (12–24 MP, 8000×5000) and refuse decompression bombs.
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", str(40_000_000)))
# Files per request, all file fields together (a WeChat post's nine pictures).
UPLOAD_MAX_FILES = int(os.environ.get("UPLOAD_MAX_FILES", "9"))
# File parts Django parses at all: the allowed files plus the forms' empty file inputs; beyond, a plain 400.
DATA_UPLOAD_MAX_NUMBER_FILES = 2 * UPLOAD_MAX_FILES
# A file over UPLOAD_MAX_BYTES is read but not written to memory or disk (then refused as too large).
FILE_UPLOAD_HANDLERS = [
    "jingzhi.core.uploads.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 32 * 1024 * 1024

# --- Production safety: HTTPS, security headers, Content-Security-Policy, static files (docs/production.md).
# HTTPS=1, the default whenever DEBUG is off, makes the site HTTPS-only: http is redirected, the session,
# CSRF and language cookies are sent over HTTPS only, and browsers are told to stay on HTTPS (HSTS). Only
# a server on plain http (the embedded demo on 127.0.0.1, the test servers) turns it off with HTTPS=0:
# secure cookies are never sent back over http, so signing in there would fail. Behind a TLS-terminating
# proxy gunicorn trusts its X-Forwarded-Proto from FORWARDED_ALLOW_IPS (default: the same host).
HTTPS = _env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_bool("HSTS_PRELOAD", True)


def _origin(url: str) -> list[str]:
    """The CSP source of a Leaflet tile URL template: its origin, Leaflet's {s} subdomains as a wildcard.

    An empty or same-origin (relative) template needs none beyond 'self'.
    """
    scheme, _, rest = url.partition("://")
    if not rest:
        return []
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return [f"{scheme}://{host}"]


# No inline script or style anywhere: pages pass data through json_script and data- attributes to the
# static JS. The API docs pages relax the policy for themselves (see urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *_origin(MAP_TILE_URL)],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Deployments (or test runs) sharing one Redis database keep their Celery tasks apart by queue name.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")

# Static files are served by the application itself through WhiteNoise (no separate web server needed).
# Without DEBUG they are the hashed, compressed copies `collectstatic` writes to STATIC_ROOT.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Registries (docs/assets.md): import bounds. A file over the upload limit is not even kept
# (core.uploads.UploadSizeLimitHandler), so the page's limit is the smaller of the two.
ASSET_IMPORT_MAX_BYTES = int(os.environ.get("ASSET_IMPORT_MAX_BYTES", str(UPLOAD_MAX_BYTES)))
ASSET_IMPORT_MAX_ROWS = int(os.environ.get("ASSET_IMPORT_MAX_ROWS", "200000"))
#: Problems kept with an import's record (and shown/downloaded); the count is always exact.
ASSET_IMPORT_MAX_PROBLEMS = 10000
