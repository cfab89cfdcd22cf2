"""Settings come from the environment and fail loudly; production settings pass check --deploy."""

import os
import subprocess
import sys

from django.conf import settings

BASE_ENV = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/root")}
PRODUCTION_ENV = {
    **BASE_ENV,
    "DEBUG": "false",
    "SECRET_KEY": "a-production-like-secret-key-with-enough-length-and-randomness-8f3k2j5h7g",
    "ALLOWED_HOSTS": "mumaris.example.sa",
    "DJANGO_SETTINGS_MODULE": "mumaris.settings",
}


def manage(*arguments, env):
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off():
    # Empty rather than absent, so that a developer's .env cannot fill it in.
    result = manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_malformed_value_names_the_variable():
    result = manage("check", env={**PRODUCTION_ENV, "LOGIN_FAILURE_LIMIT": "five"})
    assert result.returncode != 0
    assert "LOGIN_FAILURE_LIMIT" in result.stderr


def test_a_malformed_database_url_names_the_variable():
    result = manage("check", env={**PRODUCTION_ENV, "DATABASE_URL": "nonsense://"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_argon2_is_the_first_password_hasher_in_production():
    from mumaris import settings as production_settings

    assert production_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_postgresql_connections_are_persistent_and_health_checked():
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env={**PRODUCTION_ENV, "DATABASE_URL": "postgres://user:pw@127.0.0.1:5432/db"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == ["60", "True"], result.stderr


def test_documents_go_to_object_storage_when_a_bucket_is_named():
    code = "from django.conf import settings as s; print(s.STORAGES['default']['BACKEND'])"
    for bucket, backend in (
        ("", "django.core.files.storage.FileSystemStorage"),
        ("mumaris-docs", "storages.backends.s3.S3Storage"),
    ):
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            cwd=settings.BASE_DIR,
            env={**PRODUCTION_ENV, "DOCUMENTS_BUCKET": bucket},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.stdout.strip() == backend, result.stderr


def test_migrate_creates_the_database_cache_table(tmp_path):
    """A fresh `migrate` alone, with the default database cache, leaves a working cache."""
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "CACHE_URL": "dbcache://mumaris_cache",
    }
    assert manage("migrate", "--verbosity", "0", env=env).returncode == 0
    probe = "from django.core.cache import cache; cache.set('k', 1); print(cache.get('k'))"
    result = manage("shell", "--verbosity", "0", "-c", probe, env=env)
    assert result.stdout.strip() == "1", result.stderr
