"""Production settings: every value all processes share is required, Redis has one URL per
purpose derived from REDIS_URL's database, HSTS is opt-in past this host, and `check --deploy`
passes before any migration (docs/deploy.md). Each runs the settings in a process of its own
with exactly the environment given."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from konnaxion.runtime.deployment import (
    database_pool_on,
    database_pool_problems,
    new_storage_key,
    storage_key_problem,
    visibility_timeout_problem,
)
from konnaxion.runtime.services import RedisConfigurationError, redis_purpose_urls

ROOT = Path(__file__).resolve().parent.parent
SECRET = "x7!Qp2@vL9#rT4$wZ8^mN1&bC6*hJ3(kF5)dS0_gY-uE+iO=aR]"
STORAGE_KEY = new_storage_key()
# Nothing listens there: these settings must load, and `check --deploy` pass, without it.
NO_DATABASE = "postgres://konnaxion:secret@127.0.0.1:1/konnaxion"


def production_env(tmp_path: Path, **changes: str | None) -> dict[str, str]:
    """A representative deployment's environment; a change to None removes the variable."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "KONNAXION_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": "konnaxion.example.org",
        "DATABASE_URL": NO_DATABASE,
        "REDIS_URL": "redis://redis.internal:6379/0",
        "KONNAXION_STORAGE_KEY": STORAGE_KEY,
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_python(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def settings_of(env: dict[str, str], *names: str) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run_python(env, "-c", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


# The shared values ---------------------------------------------------------------------------


def test_a_process_without_the_storage_key_refuses_to_start(tmp_path):
    # given a deployment that forgot KONNAXION_STORAGE_KEY
    env = production_env(tmp_path, KONNAXION_STORAGE_KEY=None)
    # when a worker starts
    result = run_python(env, "-m", "konnaxion.cli", "worker")
    # then it refuses, names the variable and says how to make one, and made no key of its own
    assert result.returncode == 2, result.stdout + result.stderr
    assert "KONNAXION_STORAGE_KEY is not set" in result.stderr
    assert "konnaxion storage-key" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data" / "storage_key").exists()


@pytest.mark.parametrize(
    ("key", "said"),
    [("not base64!", "is not base64"), ("A" * 22 + "==", "is 16 bytes, not 32")],
)
def test_a_malformed_storage_key_is_refused(tmp_path, key, said):
    env = production_env(tmp_path, KONNAXION_STORAGE_KEY=key)
    result = run_python(env, "-m", "konnaxion.cli", "serve")
    assert result.returncode == 2
    assert f"KONNAXION_STORAGE_KEY {said}" in result.stderr


def test_a_malformed_former_key_is_refused(tmp_path):
    env = production_env(tmp_path, KONNAXION_STORAGE_OLD_KEYS=f"{new_storage_key()},short")
    result = run_python(env, "-m", "konnaxion.cli", "worker")
    assert result.returncode == 2
    assert "KONNAXION_STORAGE_OLD_KEYS is not base64: each must be a former storage key" in (
        result.stderr
    )


def test_every_missing_shared_value_is_named_at_once(tmp_path):
    env = production_env(
        tmp_path,
        DJANGO_SECRET_KEY=None,
        DJANGO_ALLOWED_HOSTS=None,
        DATABASE_URL=None,
        REDIS_URL=None,
        S3_BUCKET="konnaxion-blobs",
        S3_SECRET_ACCESS_KEY="s3-secret",
    )
    result = run_python(env, "-m", "konnaxion.cli", "beat")
    assert result.returncode == 2
    for said in (
        "DJANGO_SECRET_KEY is not set: make one with `konnaxion secret-key`",
        "DJANGO_ALLOWED_HOSTS is not set",
        "DATABASE_URL is not set",
        "CELERY_BROKER_URL is not set, and neither is REDIS_URL",
        "S3_ACCESS_KEY_ID is not set",
    ):
        assert said in result.stderr
    assert "S3_SECRET_ACCESS_KEY is not set" not in result.stderr


def test_local_blobs_need_a_media_root_named_by_the_deployment(tmp_path):
    result = run_python(production_env(tmp_path, MEDIA_ROOT=None), "-m", "konnaxion.cli", "serve")
    assert result.returncode == 2
    assert "neither S3_BUCKET nor MEDIA_ROOT is set" in result.stderr


def test_a_complete_deployment_loads_with_the_keys_it_was_given(tmp_path):
    loaded = settings_of(production_env(tmp_path), "KONNAXION_STORAGE_KEY", "SECRET_KEY")
    assert loaded == {"KONNAXION_STORAGE_KEY": STORAGE_KEY, "SECRET_KEY": SECRET}
    assert not (tmp_path / "data" / "storage_key").exists()
    assert not (tmp_path / "data" / "secret_key").exists()


def test_storage_key_command_prints_a_new_valid_key():
    keys = [
        run_python({"PATH": "/usr/bin:/bin"}, "-m", "konnaxion.cli", "storage-key").stdout.strip()
        for _ in range(2)
    ]
    assert keys[0] != keys[1]
    assert [storage_key_problem(key) for key in keys] == [None, None]


# Tasks ---------------------------------------------------------------------------------------


def test_the_visibility_timeout_is_its_own_setting_a_minute_by_default(tmp_path):
    # given a deployment that names no visibility timeout, with the longest tasks allowed
    env = production_env(tmp_path, CELERY_TASK_TIME_LIMIT="3600")
    # when its settings load
    loaded = settings_of(env, "CELERY_VISIBILITY_TIMEOUT", "CELERY_BROKER_TRANSPORT_OPTIONS")
    # then a message of a dead worker waits a minute, swept every 10 s, whatever the time limit
    assert loaded == {
        "CELERY_VISIBILITY_TIMEOUT": 60,
        "CELERY_BROKER_TRANSPORT_OPTIONS": {
            "visibility_timeout": 60,
            "unacked_restore_interval": 10,
            "unacked_restore_throttle": 1,
            "unacked_mutex_expire": 10,
        },
    }


def test_a_visibility_timeout_given_is_the_brokers(tmp_path):
    env = production_env(tmp_path, CELERY_VISIBILITY_TIMEOUT="120")
    loaded = settings_of(env, "CELERY_VISIBILITY_TIMEOUT", "CELERY_BROKER_TRANSPORT_OPTIONS")
    assert loaded["CELERY_VISIBILITY_TIMEOUT"] == 120
    assert loaded["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"] == 120


@pytest.mark.parametrize(
    ("value", "said"),
    [("9", "9"), ("0", "0"), ("-60", "-60"), ("ten", "'ten'"), ("1.5", "'1.5'"), ("60s", "'60s'")],
)
def test_a_visibility_timeout_that_is_no_whole_number_of_ten_seconds_or_more_is_refused(
    tmp_path, value, said
):
    # given a deployment with a visibility timeout too short to be kept alive, or not a number
    env = production_env(tmp_path, CELERY_VISIBILITY_TIMEOUT=value, DATABASE_URL=None)
    # when a worker starts
    result = run_python(env, "-m", "konnaxion.cli", "worker")
    # then it refuses before anything starts, naming the value with every other problem
    assert result.returncode == 2, result.stdout + result.stderr
    assert (
        f"CELERY_VISIBILITY_TIMEOUT is {said}: it must be a whole number of seconds, at least 10"
        in (result.stderr)
    )
    assert "DATABASE_URL is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_run_outside_production_refuses_a_bad_visibility_timeout_too(tmp_path):
    env = production_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.base",
        KONNAXION_EMBEDDED="false",
        CELERY_VISIBILITY_TIMEOUT="5",
    )
    result = run_python(env, "-m", "konnaxion.cli", "worker")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "CELERY_VISIBILITY_TIMEOUT is 5: it must be" in result.stderr


def test_visibility_timeout_problem_says_nothing_of_a_good_or_empty_value():
    assert visibility_timeout_problem("") is None
    assert visibility_timeout_problem("10") is None
    assert visibility_timeout_problem(" 3600 ") is None
    assert visibility_timeout_problem("9") is not None


# Redis ---------------------------------------------------------------------------------------


def test_every_redis_purpose_follows_redis_urls_database(tmp_path):
    # given REDIS_URL naming database 8
    env = production_env(tmp_path, REDIS_URL="redis://:pw@redis.internal:6380/8")
    # when the settings load
    loaded = settings_of(env, "CELERY_BROKER_URL", "CACHES", "CHANNEL_LAYERS", "REDIS_PURPOSE_URLS")
    # then the purposes use databases 8 to 12 of that server, in the documented order
    assert loaded["REDIS_PURPOSE_URLS"] == {
        "CELERY_BROKER_URL": "redis://:pw@redis.internal:6380/8",
        "CACHE_REDIS_URL": "redis://:pw@redis.internal:6380/9",
        "CHANNELS_REDIS_URL": "redis://:pw@redis.internal:6380/10",
        "INSIGHTS_REDIS_URL": "redis://:pw@redis.internal:6380/11",
        "COLLAB_ROOMS_REDIS_URL": "redis://:pw@redis.internal:6380/12",
    }
    assert loaded["CELERY_BROKER_URL"].endswith("/8")
    assert loaded["CACHES"]["default"]["LOCATION"].endswith("/9")
    assert loaded["CHANNEL_LAYERS"]["default"]["CONFIG"]["hosts"][0]["address"].endswith("/10")


def test_a_unix_socket_redis_url_keeps_its_database_in_the_query(tmp_path):
    urls = redis_purpose_urls({"REDIS_URL": "unix:///run/redis.sock?db=5"})
    assert urls["CELERY_BROKER_URL"] == "unix:///run/redis.sock?db=5"
    assert urls["COLLAB_ROOMS_REDIS_URL"] == "unix:///run/redis.sock?db=9"
    # Celery spells the socket its own way
    env = production_env(tmp_path, REDIS_URL="unix:///run/redis.sock?db=5")
    assert settings_of(env, "CELERY_BROKER_URL") == {
        "CELERY_BROKER_URL": "redis+socket:///run/redis.sock?db=5"
    }


def test_a_purpose_given_its_own_url_keeps_it():
    urls = redis_purpose_urls(
        {"REDIS_URL": "redis://a:6379/0", "CACHE_REDIS_URL": "redis://cache.internal:6379/0"}
    )
    assert urls["CACHE_REDIS_URL"] == "redis://cache.internal:6379/0"
    assert urls["CHANNELS_REDIS_URL"] == "redis://a:6379/2"


@pytest.mark.parametrize(
    "environ",
    [
        # the cache on the broker's database: clearing the cache would empty the queues
        {"REDIS_URL": "redis://h:6379/8", "CACHE_REDIS_URL": "redis://h/8"},
        # one socket, spelled as Celery and as redis-py spell it
        {"REDIS_URL": "unix:///s.sock?db=0", "INSIGHTS_REDIS_URL": "unix:///s.sock"},
    ],
)
def test_two_purposes_on_one_database_are_refused(environ):
    with pytest.raises(RedisConfigurationError, match="both use database"):
        redis_purpose_urls(environ)


def test_a_clash_stops_the_settings_with_the_names_of_both(tmp_path):
    env = production_env(tmp_path, CHANNELS_REDIS_URL="redis://redis.internal:6379/1")
    result = run_python(env, "-m", "konnaxion.cli", "worker")
    assert result.returncode == 2
    assert "CACHE_REDIS_URL and CHANNELS_REDIS_URL both use database 1" in result.stderr


def test_databases_past_the_servers_are_refused():
    with pytest.raises(RedisConfigurationError, match="database 16 of REDIS_URL"):
        redis_purpose_urls({"REDIS_URL": "redis://h:6379/12"})
    assert redis_purpose_urls({"REDIS_URL": "redis://h:6379/12"}, databases=32)


# The edge ------------------------------------------------------------------------------------

HSTS = ("SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD")


def test_hsts_covers_this_host_only_by_default(tmp_path):
    assert settings_of(production_env(tmp_path), *HSTS) == {
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": False,
    }


def test_hsts_subdomains_and_preload_are_opt_in(tmp_path):
    env = production_env(
        tmp_path,
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        DJANGO_SECURE_HSTS_PRELOAD="true",
    )
    loaded = settings_of(env, *HSTS)
    assert loaded["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert loaded["SECURE_HSTS_PRELOAD"] is True


@pytest.mark.parametrize("opt_in", ["false", "true"])
def test_check_deploy_passes_before_any_database_exists(tmp_path, opt_in):
    # given a deployment whose database is not there yet (nothing listens at its address)
    env = production_env(
        tmp_path,
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS=opt_in,
        DJANGO_SECURE_HSTS_PRELOAD=opt_in,
    )
    # when
    result = run_python(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    # then
    assert result.returncode == 0, result.stdout + result.stderr


# Database connections ------------------------------------------------------------------------

DATABASE_OF = "import json; from django.conf import settings as s; " + (
    "print(json.dumps({k: s.DATABASES['default'].get(k) for k in ('OPTIONS', 'CONN_MAX_AGE')}))"
)


def database_of(env: dict[str, str]) -> dict:
    result = run_python(env, "-c", "import django; django.setup(); " + DATABASE_OF)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_a_deployment_pools_its_connections_by_default(tmp_path):
    assert database_of(production_env(tmp_path)) == {
        "OPTIONS": {"pool": {"min_size": 2, "max_size": 10, "timeout": 10.0}},
        "CONN_MAX_AGE": 0,
    }


def test_the_pool_is_sized_by_the_deployment(tmp_path):
    env = production_env(
        tmp_path,
        DATABASE_POOL="yes",
        DATABASE_POOL_MIN_SIZE="0",
        DATABASE_POOL_MAX_SIZE="4",
        DATABASE_POOL_TIMEOUT="2.5",
    )
    assert database_of(env)["OPTIONS"] == {"pool": {"min_size": 0, "max_size": 4, "timeout": 2.5}}


def test_without_the_pool_connections_are_kept_a_minute_or_as_given(tmp_path):
    # given a deployment that turns the pool off
    env = production_env(tmp_path, DATABASE_POOL="false")
    # then each thread keeps its connection (CONN_MAX_AGE), 60 s unless given
    assert database_of(env) == {"OPTIONS": {}, "CONN_MAX_AGE": 60}
    assert database_of({**env, "CONN_MAX_AGE": "5"})["CONN_MAX_AGE"] == 5


def test_kept_connections_and_the_pool_are_refused_together(tmp_path):
    # given a deployment that keeps connections (CONN_MAX_AGE) with the pool on
    env = production_env(tmp_path, CONN_MAX_AGE="60")
    # when a server starts
    result = run_python(env, "-m", "konnaxion.cli", "serve")
    # then it refuses before anything starts, saying how to choose
    assert result.returncode == 2, result.stdout + result.stderr
    assert "CONN_MAX_AGE is '60' while DATABASE_POOL is on" in result.stderr
    assert "set DATABASE_POOL=false" in result.stderr
    assert "Traceback" not in result.stderr
    # and CONN_MAX_AGE=0 is the pool's own
    assert database_of({**env, "CONN_MAX_AGE": "0"})["CONN_MAX_AGE"] == 0


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"DATABASE_POOL": "maybe"}, "DATABASE_POOL is 'maybe': it must be true or false"),
        ({"DATABASE_POOL_MIN_SIZE": "-1"}, "DATABASE_POOL_MIN_SIZE is -1: it must be a whole"),
        ({"DATABASE_POOL_MAX_SIZE": "0"}, "DATABASE_POOL_MAX_SIZE is 0: it must be a whole"),
        ({"DATABASE_POOL_MAX_SIZE": "ten"}, "DATABASE_POOL_MAX_SIZE is 'ten': it must be a whole"),
        ({"DATABASE_POOL_MAX_SIZE": "1"}, "DATABASE_POOL_MIN_SIZE (2) is above DATABASE_POOL_MAX"),
        ({"DATABASE_POOL_TIMEOUT": "0"}, "DATABASE_POOL_TIMEOUT is '0': it must be a number"),
        ({"DATABASE_POOL_TIMEOUT": "soon"}, "DATABASE_POOL_TIMEOUT is 'soon': it must be"),
    ],
)
def test_a_pool_setting_out_of_range_is_refused(tmp_path, changes, said):
    # given a deployment with one pool setting wrong, and another value missing
    env = production_env(tmp_path, DATABASE_URL=None, **changes)
    # when a server starts
    result = run_python(env, "-m", "konnaxion.cli", "serve")
    # then it refuses, naming both problems at once
    assert result.returncode == 2, result.stdout + result.stderr
    assert said in result.stderr
    assert "DATABASE_URL is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_sizes_of_a_pool_turned_off_are_not_read(tmp_path):
    env = production_env(tmp_path, DATABASE_POOL="off", DATABASE_POOL_MAX_SIZE="none")
    assert database_of(env)["OPTIONS"] == {}


def test_a_run_outside_production_refuses_a_bad_pool_size_too(tmp_path):
    env = production_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="config.settings.base",
        KONNAXION_EMBEDDED="false",
        DATABASE_POOL_MAX_SIZE="0",
    )
    result = run_python(env, "-m", "konnaxion.cli", "serve")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "DATABASE_POOL_MAX_SIZE is 0: it must be a whole number, at least 1" in result.stderr


def test_the_test_settings_keep_no_pool_unless_asked(tmp_path):
    env = production_env(
        tmp_path, DJANGO_SETTINGS_MODULE="config.settings.test", KONNAXION_EMBEDDED="false"
    )
    assert database_of(env)["OPTIONS"] == {}
    assert database_of({**env, "DATABASE_POOL": "true"})["OPTIONS"]["pool"]["max_size"] == 10


def test_database_pool_problems_say_nothing_of_good_or_empty_values():
    assert database_pool_problems({}) == []
    assert database_pool_problems({"DATABASE_POOL": "off", "CONN_MAX_AGE": "60"}) == []
    assert database_pool_problems({"CONN_MAX_AGE": "0", "DATABASE_POOL_MIN_SIZE": "10"}) == []
    assert database_pool_on({}) is True
    assert database_pool_on({}, default=False) is False
    assert database_pool_on({"DATABASE_POOL": " Yes "}, default=False) is True


def test_a_worker_keeps_no_idle_connection_unless_told(tmp_path):
    # given a deployment that leaves the pool's minimum unset, and one that gives it
    for given, expected in ((None, 0), ("3", 3)):
        env = production_env(tmp_path, DATABASE_POOL_MIN_SIZE=given)
        # when a worker loads its settings (its Celery loop replaced by nothing)
        code = (
            "import json\n"
            "import konnaxion.cli as cli\n"
            "from config.celery_app import app\n"
            "app.worker_main = lambda argv: None\n"
            "cli.main(['worker'])\n"
            "from django.conf import settings\n"
            "print(json.dumps(settings.DATABASES['default']['OPTIONS']['pool']))\n"
        )
        result = run_python(env, "-c", code)
        # then its pools keep none idle unless the deployment says otherwise
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout.splitlines()[-1])["min_size"] == expected
