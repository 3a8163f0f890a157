"""The one settings module. Every value comes from the environment with a working local default."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from jianbao.config.secret_key import resolve_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
CHECKOUT_DIR = BASE_DIR.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("JIANBAO_DATA_DIR", CHECKOUT_DIR / "var")).resolve()
FONTS_DIR = Path(os.environ.get("JIANBAO_FONTS_DIR", CHECKOUT_DIR / "var" / "fonts")).resolve()

DEBUG = _env_bool("JIANBAO_DEBUG", False)
# Production mode (issue 15): on with JIANBAO_PRODUCTION, and by default whenever
# JIANBAO_SECURE_COOKIES is on (the site is served over HTTPS). In production SECRET_KEY must be
# set and not public, or the server refuses to start; locally a random key is kept in DATA_DIR.
JIANBAO_PRODUCTION = _env_bool("JIANBAO_PRODUCTION", _env_bool("JIANBAO_SECURE_COOKIES", False))
SECRET_KEY = resolve_secret_key(
    env_value=os.environ.get("SECRET_KEY"), data_dir=DATA_DIR, production=JIANBAO_PRODUCTION
)
ALLOWED_HOSTS = os.environ.get("JIANBAO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("JIANBAO_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "jianbao.accounts",
    "jianbao.submissions",
    "jianbao.search",
    "jianbao.bulletins",
    "jianbao.proofreading",
    "jianbao.archive",
    "jianbao.assessment",  # 考核: scoring facts, rule sets, ledger, objections
    "jianbao.commissions",
    "jianbao.notifications",  # 消息提醒: in-app, e-mail, office webhooks
    "jianbao.workbench",  # 工作台: the per-person home page
    "jianbao.distribution",  # 分发签收
    "jianbao.instructions",  # 批示督办
    "jianbao.emergency",  # 紧急信息
    "jianbao.forwarding",  # 转报
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jianbao.config.input_guard.InputGuardMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "jianbao.accounts.session_policy.IdentityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jianbao.accounts.middleware.HtmxMiddleware",
    # Last: axes turns a locked-out login into its lockout response (jianbao/accounts/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "jianbao.config.urls"
WSGI_APPLICATION = "jianbao.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jianbao.accounts.context_processors.session_timeout",
                "jianbao.workbench.context_processors.menu_counts",
            ],
        },
    },
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'jianbao.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite), conn_max_age=60, conn_health_checks=True
    )
}
# --- Concurrency (SQLite under load; jianbao/accounts/services.py, jianbao/search/services.py) ---
# SQLite: how long a writer waits for the write lock before 「database is locked」 (ms). SQLite's
# busy handler is not a queue: under sustained writes a waiter lost the race for over 5 s in the
# concurrency benchmark, so it waits longer (still well under gunicorn's 30 s timeout).
JIANBAO_SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("JIANBAO_SQLITE_BUSY_TIMEOUT_MS", "15000"))
# An API token's last use is recorded at most once per this many minutes, and skipped when the
# database is busy: reads with a token never wait on (or fail for) the write lock.
JIANBAO_TOKEN_TOUCH_MINUTES = float(os.environ.get("JIANBAO_TOKEN_TOUCH_MINUTES", "5"))
# `jianbao reindex`: documents per committed write step (tokens are computed before the step).
JIANBAO_REINDEX_BATCH = int(os.environ.get("JIANBAO_REINDEX_BATCH", "50"))

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # Every connection (web, worker, CLI): WAL lets the worker write while pages read; the
        # busy timeout makes a writer wait its turn; IMMEDIATE avoids lock upgrades (which fail
        # at once instead of waiting).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA busy_timeout={JIANBAO_SQLITE_BUSY_TIMEOUT_MS};"
        ),
        "timeout": JIANBAO_SQLITE_BUSY_TIMEOUT_MS / 1000,
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Identity (issue 15, 等保 2.0 level 3; jianbao/accounts/passwords.py, lockout.py,
# session_policy.py, sessions.py, two_factor.py, hashers.py; tokens in services.py) ---
# Argon2id first (OWASP parameters, jianbao/accounts/hashers.py); existing PBKDF2 hashes still
# verify and are upgraded at the next login.
PASSWORD_HASHERS = [
    "jianbao.accounts.hashers.JianbaoArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
JIANBAO_PASSWORD_MIN_LENGTH = int(os.environ.get("JIANBAO_PASSWORD_MIN_LENGTH", "8"))
# How many of the four classes (lower case, upper case, digits, other) a password needs.
JIANBAO_PASSWORD_MIN_CLASSES = int(os.environ.get("JIANBAO_PASSWORD_MIN_CLASSES", "3"))
# A new password may not be one of the user's last N (0 = no history check).
JIANBAO_PASSWORD_HISTORY = int(os.environ.get("JIANBAO_PASSWORD_HISTORY", "5"))
# A password older than this must be changed before anything else (0 = never expires).
JIANBAO_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("JIANBAO_PASSWORD_MAX_AGE_DAYS", "90"))
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": JIANBAO_PASSWORD_MIN_LENGTH},
    },
    {
        "NAME": "jianbao.accounts.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": JIANBAO_PASSWORD_MIN_CLASSES},
    },
    {"NAME": "jianbao.accounts.passwords.UsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "jianbao.accounts.passwords.PasswordHistoryValidator",
        "OPTIONS": {"count": JIANBAO_PASSWORD_HISTORY},
    },
]
# Login lockout (django-axes): this many failures for one account from one address within
# JIANBAO_LOGIN_LOCKOUT_MINUTES lock that account there for as long; an address that fails
# JIANBAO_LOGIN_IP_FAILURE_LIMIT times across any accounts is locked as a whole.
JIANBAO_LOGIN_FAILURE_LIMIT = int(os.environ.get("JIANBAO_LOGIN_FAILURE_LIMIT", "5"))
JIANBAO_LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("JIANBAO_LOGIN_IP_FAILURE_LIMIT", "20"))
JIANBAO_LOGIN_LOCKOUT_MINUTES = float(os.environ.get("JIANBAO_LOGIN_LOCKOUT_MINUTES", "15"))
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = _env_bool("JIANBAO_LOGIN_LOCKOUT", True)
AXES_HANDLER = "jianbao.accounts.lockout.WeightedLockoutHandler"
AXES_FAILURE_LIMIT = JIANBAO_LOGIN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_COOLOFF_TIME = JIANBAO_LOGIN_LOCKOUT_MINUTES / 60  # hours
# A successful login does not wipe the failures counted for its address (spraying with one valid
# account in hand would otherwise reset the address limit).
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "jianbao.accounts.lockout.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
# Behind a reverse proxy, set how many proxies add X-Forwarded-For (unset: REMOTE_ADDR only).
AXES_IPWARE_PROXY_COUNT = (
    int(os.environ["JIANBAO_PROXY_COUNT"]) if os.environ.get("JIANBAO_PROXY_COUNT") else None
)
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)
# Sessions: signed out after this long without a request, and this long after sign-in at most.
JIANBAO_SESSION_IDLE_MINUTES = float(os.environ.get("JIANBAO_SESSION_IDLE_MINUTES", "30"))
JIANBAO_SESSION_MAX_HOURS = float(os.environ.get("JIANBAO_SESSION_MAX_HOURS", "12"))
# The page warns this many seconds before the idle timeout.
JIANBAO_SESSION_WARN_SECONDS = int(os.environ.get("JIANBAO_SESSION_WARN_SECONDS", "120"))
SESSION_COOKIE_AGE = int(JIANBAO_SESSION_MAX_HOURS * 3600)
# Roles that must sign in with a second factor (TOTP): chief, admin, auditor by default.
JIANBAO_OTP_REQUIRED_ROLES = [
    role.strip()
    for role in os.environ.get("JIANBAO_OTP_REQUIRED_ROLES", "chief,admin,auditor").split(",")
    if role.strip()
]
OTP_TOTP_ISSUER = os.environ.get("JIANBAO_OTP_ISSUER", "政务信息简报系统")
# API tokens expire after this many days (the owner may choose fewer).
JIANBAO_TOKEN_DAYS = int(os.environ.get("JIANBAO_TOKEN_DAYS", "90"))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = os.environ.get("JIANBAO_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
JIANBAO_MAX_ATTACHMENT_BYTES = int(
    os.environ.get("JIANBAO_MAX_ATTACHMENT_BYTES", str(20 * 1024 * 1024))
)

# --- Bad input (jianbao/config/input_guard.py) ---
# Longest request URI (path + query string, in characters) the app accepts; longer ones get a
# Chinese 414 page (gunicorn runs without its own request-line limit so the app can answer).
JIANBAO_MAX_URI_LENGTH = int(os.environ.get("JIANBAO_MAX_URI_LENGTH", "4096"))

# --- Untrusted files (jianbao/parsing.py, jianbao/text/limits.py) ---
# Archive imports and .docx uploads are parsed in a forked child under these limits; a file
# over any of them is refused with a Chinese message naming the limit.
JIANBAO_PARSE_MAX_FILE_BYTES = int(os.environ.get("JIANBAO_PARSE_MAX_FILE_BYTES", str(20 << 20)))
JIANBAO_PARSE_MAX_TEXT_BYTES = int(os.environ.get("JIANBAO_PARSE_MAX_TEXT_BYTES", str(5 << 20)))
JIANBAO_PARSE_MAX_PARAGRAPHS = int(os.environ.get("JIANBAO_PARSE_MAX_PARAGRAPHS", "20000"))
JIANBAO_PARSE_DOCX_MAX_MEMBERS = int(os.environ.get("JIANBAO_PARSE_DOCX_MAX_MEMBERS", "1000"))
JIANBAO_PARSE_DOCX_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("JIANBAO_PARSE_DOCX_MAX_UNCOMPRESSED_BYTES", str(100 << 20))
)
JIANBAO_PARSE_DOCX_MAX_RATIO = int(os.environ.get("JIANBAO_PARSE_DOCX_MAX_RATIO", "100"))
JIANBAO_PARSE_DOCX_MAX_XML_BYTES = int(
    os.environ.get("JIANBAO_PARSE_DOCX_MAX_XML_BYTES", str(20 << 20))
)
JIANBAO_PARSE_DOCX_MAX_ELEMENTS = int(os.environ.get("JIANBAO_PARSE_DOCX_MAX_ELEMENTS", "200000"))
JIANBAO_PARSE_PDF_MAX_PAGES = int(os.environ.get("JIANBAO_PARSE_PDF_MAX_PAGES", "300"))
JIANBAO_PARSE_TIMEOUT_SECONDS = float(os.environ.get("JIANBAO_PARSE_TIMEOUT_SECONDS", "20"))
JIANBAO_PARSE_MEMORY_MB = int(os.environ.get("JIANBAO_PARSE_MEMORY_MB", "1024"))
# An archive upload is parsed inside the request only when it has at most this many files
# AND at most this many bytes in all; anything more goes to the background worker.
JIANBAO_INLINE_PARSE_FILES = int(os.environ.get("JIANBAO_INLINE_PARSE_FILES", "3"))
JIANBAO_INLINE_PARSE_BYTES = int(os.environ.get("JIANBAO_INLINE_PARSE_BYTES", str(2 << 20)))

TASKS = {
    "default": {
        "BACKEND": os.environ.get("JIANBAO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

# --- Background worker and crash recovery (jianbao/operations/stale_tasks.py, task_worker.py,
# jianbao/cli/commands/serve.py) ---
# A running task whose worker is on another host (its process cannot be checked) counts as
# interrupted after this long; on the worker's own host a dead process is noticed at once.
JIANBAO_STALE_TASK_SECONDS = int(os.environ.get("JIANBAO_STALE_TASK_SECONDS", str(6 * 3600)))
# An archive batch pending or running with no queued task and no progress for this long (its
# work ran in a web request or `jianbao import` that died) counts as interrupted.
JIANBAO_STALE_BATCH_SECONDS = int(os.environ.get("JIANBAO_STALE_BATCH_SECONDS", "300"))
# How often a running worker looks for stale tasks (it also looks once at start-up).
JIANBAO_STALE_CHECK_SECONDS = float(os.environ.get("JIANBAO_STALE_CHECK_SECONDS", "60"))
# Longest pause of the worker's back-off after database errors, and of `serve --with-worker`
# before it restarts a worker that died.
JIANBAO_WORKER_MAX_BACKOFF_SECONDS = float(
    os.environ.get("JIANBAO_WORKER_MAX_BACKOFF_SECONDS", "30")
)
# `jianbao serve` on SIGTERM/Ctrl+C: requests in flight and the worker's current file get this
# long to finish before they are killed (the whole stop stays under 5 s).
JIANBAO_STOP_TIMEOUT_SECONDS = float(os.environ.get("JIANBAO_STOP_TIMEOUT_SECONDS", "4"))

# --- Backups and repairs (jianbao/operations/backup.py, restore.py, doctor.py) ---
# `jianbao backup` without --to writes JIANBAO_BACKUP_DIR/<timestamp>.
JIANBAO_BACKUP_DIR = Path(os.environ.get("JIANBAO_BACKUP_DIR", DATA_DIR / "backups")).resolve()
# `jianbao doctor --repair` moves files no row refers to here (never deletes them).
JIANBAO_QUARANTINE_DIR = Path(
    os.environ.get("JIANBAO_QUARANTINE_DIR", DATA_DIR / "quarantine")
).resolve()
# The doctor leaves files younger than this alone (a publish or upload may still be under way).
JIANBAO_DOCTOR_GRACE_SECONDS = float(os.environ.get("JIANBAO_DOCTOR_GRACE_SECONDS", "600"))

# --- Commissions 约稿 (jianbao/commissions) ---
# How often the worker sweeps commissions: due-tomorrow and overdue reminders (each sent once),
# unanswered units past the deadline marked 逾期未报. 0 turns the sweep off in the worker
# (`jianbao commissions sweep` still runs it by hand or from cron).
JIANBAO_COMMISSION_SWEEP_SECONDS = float(os.environ.get("JIANBAO_COMMISSION_SWEEP_SECONDS", "600"))
# How often the worker refreshes SQLite's query-planner statistics (jianbao/operations/
# query_statistics.py; 0 = never; PostgreSQL keeps its own).
JIANBAO_ANALYZE_SECONDS = float(os.environ.get("JIANBAO_ANALYZE_SECONDS", str(6 * 3600)))

# --- Notifications (jianbao/notifications/; README "Notifications") ---
# E-mail is offered only when JIANBAO_EMAIL_HOST is set; without it, and without an office
# webhook, notifications stay in-app and nothing touches the network.
JIANBAO_EMAIL_HOST = os.environ.get("JIANBAO_EMAIL_HOST", "")
EMAIL_HOST = JIANBAO_EMAIL_HOST or "localhost"
EMAIL_PORT = int(os.environ.get("JIANBAO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("JIANBAO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("JIANBAO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("JIANBAO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("JIANBAO_EMAIL_FROM", "jianbao@localhost")
# Links in e-mails and webhook messages start with this (e.g. https://jianbao.example.gov.cn);
# empty: messages carry no link.
JIANBAO_SITE_URL = os.environ.get("JIANBAO_SITE_URL", "")
# Each SMTP or webhook attempt gives up after this many seconds.
JIANBAO_NOTIFY_TIMEOUT_SECONDS = float(os.environ.get("JIANBAO_NOTIFY_TIMEOUT_SECONDS", "5"))
# A failed delivery is retried after 1, 4, 16 … times this many seconds, this many times in all.
JIANBAO_NOTIFY_RETRY_SECONDS = float(os.environ.get("JIANBAO_NOTIFY_RETRY_SECONDS", "60"))
JIANBAO_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("JIANBAO_NOTIFY_MAX_ATTEMPTS", "5"))

# --- Scoring 考核 (jianbao/assessment, jianbao/scoring) ---
# Largest scan or photo accepted as evidence of an outside adoption or an instruction (bytes).
JIANBAO_MAX_EVIDENCE_BYTES = int(os.environ.get("JIANBAO_MAX_EVIDENCE_BYTES", str(10 << 20)))

# --- Distribution 分发签收 (jianbao/distribution) ---
# The office may remind (催阅) the readers of one issue at most once in this many minutes.
JIANBAO_DISTRIBUTION_REMIND_MINUTES = int(
    os.environ.get("JIANBAO_DISTRIBUTION_REMIND_MINUTES", "30")
)
# A distribution still not delivered this long after its task was queued is queued again by
# the worker's periodic check (its task is idempotent).
JIANBAO_DISTRIBUTION_REQUEUE_SECONDS = float(
    os.environ.get("JIANBAO_DISTRIBUTION_REQUEUE_SECONDS", "300")
)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("JIANBAO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "SAMEORIGIN"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIANBAO_LOG_LEVEL", "WARNING")},
}


# --- HTTP hardening and the audit trail (issue 15; jianbao/config/secret_key.py,
# jianbao/accounts/middleware.py, docs/security.md) ---
# Every audit event records the client's address (AuditContextMiddleware).
MIDDLEWARE.insert(1, "jianbao.accounts.middleware.AuditContextMiddleware")
# Content-Security-Policy on every response (django-csp): scripts only from this server, no
# inline script and no eval anywhere (htmx runs with allowEval off); inline style attributes are
# still allowed. The published HTML of an issue carries its own stricter policy.
INSTALLED_APPS.append("csp")
MIDDLEWARE.insert(1, "csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
# HTTPS in production: HSTS, Secure cookies, redirect to https behind a proxy that sets
# X-Forwarded-Proto (nginx: proxy_set_header X-Forwarded-Proto $scheme;). /healthz stays plain.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("JIANBAO_SECURE_COOKIES", JIANBAO_PRODUCTION)
SECURE_HSTS_SECONDS = int(
    os.environ.get("JIANBAO_HSTS_SECONDS", "31536000" if SESSION_COOKIE_SECURE else "0")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("JIANBAO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _env_bool("JIANBAO_HSTS_PRELOAD", True)
SECURE_SSL_REDIRECT = _env_bool("JIANBAO_SSL_REDIRECT", SESSION_COOKIE_SECURE)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# X-Frame-Options stays SAMEORIGIN on purpose: the reading page frames the issue's own HTML.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
if _env_bool("JIANBAO_BEHIND_PROXY", SESSION_COOKIE_SECURE):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Audit events are never deleted; this is the minimum retention the deployment promises (days).
# Nothing in Jianbao purges audit events at all (GB/T 22239: at least 180 days).
JIANBAO_AUDIT_RETENTION_DAYS = max(180, int(os.environ.get("JIANBAO_AUDIT_RETENTION_DAYS", "180")))

# --- User guide 使用指南 (jianbao/guide, issue 18) ---
INSTALLED_APPS.append("jianbao.guide")
# The Markdown chapters served at /help/ (their screenshots are read from ../screenshots/).
JIANBAO_GUIDE_DIR = Path(
    os.environ.get("JIANBAO_GUIDE_DIR") or str(BASE_DIR.parent / "docs" / "guide")
)

# --- Instructions 批示督办, emergency reports 紧急信息/送阅件 (jianbao/instructions,
# jianbao/emergency) ---
# An emergency report's first written report (初报) is due this many minutes after it starts,
JIANBAO_EMERGENCY_FIRST_MINUTES = int(os.environ.get("JIANBAO_EMERGENCY_FIRST_MINUTES", "60"))
# then a follow-up (续报) every this many hours until the final report (终报).
JIANBAO_EMERGENCY_FOLLOWUP_HOURS = float(os.environ.get("JIANBAO_EMERGENCY_FOLLOWUP_HOURS", "4"))
