"""Settings: the frozen parameters, and a production configuration that passes --deploy."""

import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings

from conftest import process_env

FROZEN = {
    "SEARCH_BACKEND": "postgres",
    "TIME_ZONE": "UTC",
    "DEFAULT_FROM_EMAIL": "noreply@konnaxion.local",
    "EKOH_MIN_MULTIPLIER": 0.20,
    "EKOH_MAX_MULTIPLIER": 1.50,
    "MAX_BLUEPRINT_UPLOAD_MB": 150,
    "ALLOWED_BLUEPRINT_TYPES": [".pdf", ".png", ".jpg", ".glb", ".gltf", ".stl"],
    "COLLAB_SPACE_MEMBER_CAP": 40,
    "AI_SUGGESTION_TOP_N": 8,
    "COLLAB_CANVAS_MAX_USERS": 6,
    "ARTWORK_MAX_IMAGE_MB": 50,
    "ARTWORK_RESOLUTIONS": [256, 1024, 2048],
    "NSFW_FLAG_REQUIRED": False,
    "VOTE_MODALITY_CHOICES": ["approval", "ranking", "rating", "preferential"],
    "EMERGING_EXPERT_THRESHOLD": 0.15,
    "CONSENSUS_STRONG_THRESHOLD": 0.75,
    "ETHIKOS_STANCE_MIN": -3,
    "ETHIKOS_STANCE_MAX": 3,
    "ETHIKOS_EXPERT_QUORUM": 12,
    "ETHIKOS_AUTO_HIDE_REPORTS": 3,
    "CERT_PASS_PERCENT": 80,
    "QUIZ_RETRY_COOLDOWN_MIN": 30,
    "KNOWLEDGE_RESOURCE_TYPES": ["article", "video", "lesson", "quiz", "dataset"],
    "MAX_CONTRIBUTION_DRAFTS": 10,
    "OFFLINE_PACKAGE_CRON": "0 3 * * SUN",
    "SCORE_CONFIGURATION_DEFAULTS": {
        "raw_weight_quality": Decimal("1.000"),
        "raw_weight_expertise": Decimal("1.500"),
        "raw_weight_frequency": Decimal("0.750"),
    },
}


@pytest.mark.parametrize(("name", "value"), FROZEN.items())
def test_frozen_parameter(name, value):
    assert getattr(settings, name) == value


def test_languages_and_channel_layer():
    assert [code for code, _ in settings.LANGUAGES] == ["en", "fr", "es", "ar"]
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == (
        "channels_redis.core.RedisChannelLayer"
    )


def test_the_channel_layer_outwaits_its_own_blocking_reads():
    # channels_redis blocks in BZPOPMIN for `brpop_timeout` seconds: a socket timeout (redis-py's
    # default is as long) would end idle sockets with a TimeoutError, so there is none.
    (host,) = settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"]
    assert host["socket_timeout"] is None


def test_tests_run_on_postgresql():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_production_settings_pass_check_deploy():
    # given a real secret key and host
    env = process_env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="x7!Qp2@vL9#rT4$wZ8^mN1&bC6*hJ3(kF5)dS0_gY-uE+iO=aR]",
        DJANGO_ALLOWED_HOSTS="konnaxion.example.org",
        KONNAXION_STORAGE_KEY="A" * 43 + "=",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    # when
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # then
    assert result.returncode == 0, result.stdout + result.stderr
