"""Settings for the test suite: the real settings with test-friendly environment defaults."""

import os

# A development checkout's .env (written by `make run`) is not the suite's business.
os.environ.setdefault("ENV_FILE", "")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-never-deployed")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
# A fixed address for the ids the tests compute outside a request; tests/config/test_site.py clears it
# to see it derived from the request.
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
# Webhook tests deliver to a receiver on 127.0.0.1 over plain http.
os.environ.setdefault("WEBHOOKS_ALLOW_HTTP_LOOPBACK", "1")

from .settings import *  # noqa: F403

# Hashing strength is not under test; fast hashing keeps user fixtures cheap.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests render pages without running collectstatic first.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns about a missing folder)
# Login lockout is off for the suite (tests log in with force_login and client.login without a
# request); tests/faults turns it on for the server that exercises it.
AXES_ENABLED = False
# The throttles count in the database table unless a test says otherwise (tests/api/test_throttle_counts.py
# runs them against Redis too), whatever REDIS_URL the shell has.
THROTTLE_CACHE = ""
