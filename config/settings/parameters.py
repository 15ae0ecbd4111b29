"""The platform's frozen parameters (spec/parameters.md), each overridable by an env variable.

Settings keep these names and values; `base.py` imports them all.
"""

from decimal import Decimal

import environ

env = environ.Env()

# Core
SEARCH_BACKEND = env("SEARCH_BACKEND", default="postgres")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@konnaxion.local")
TIME_ZONE = env("TIME_ZONE", default="UTC")
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español"), ("ar", "العربية")]
LANGUAGES_BIDI = ["ar"]

# EkoH and Smart Vote
EKOH_MIN_MULTIPLIER = env.float("EKOH_MIN_MULTIPLIER", default=0.20)
EKOH_MAX_MULTIPLIER = env.float("EKOH_MAX_MULTIPLIER", default=1.50)
SCORE_CONFIGURATION_DEFAULTS = {
    "raw_weight_quality": Decimal("1.000"),
    "raw_weight_expertise": Decimal("1.500"),
    "raw_weight_frequency": Decimal("0.750"),
}
EXPERTISE_CATEGORY_COUNT = 26
VOTE_MODALITY_CHOICES = ["approval", "ranking", "rating", "preferential"]
EMERGING_EXPERT_THRESHOLD = env.float("EMERGING_EXPERT_THRESHOLD", default=0.15)
EMERGING_EXPERT_WINDOW_DAYS = env.int("EMERGING_EXPERT_WINDOW_DAYS", default=30)
CONSENSUS_STRONG_THRESHOLD = env.float("CONSENSUS_STRONG_THRESHOLD", default=0.75)

# keenKonnect / Stockage
MAX_BLUEPRINT_UPLOAD_MB = env.int("MAX_BLUEPRINT_UPLOAD_MB", default=150)
ALLOWED_BLUEPRINT_TYPES = env.list(
    "ALLOWED_BLUEPRINT_TYPES", default=[".pdf", ".png", ".jpg", ".glb", ".gltf", ".stl"]
)
COLLAB_SPACE_MEMBER_CAP = env.int("COLLAB_SPACE_MEMBER_CAP", default=40)
# Resumable (tus) uploads one user may have open at once; past it, creation answers 429.
STOCKAGE_MAX_OPEN_UPLOADS_PER_USER = env.int("STOCKAGE_MAX_OPEN_UPLOADS_PER_USER", default=10)
AI_SUGGESTION_TOP_N = env.int("AI_SUGGESTION_TOP_N", default=8)

# Kreative / Kontact
COLLAB_CANVAS_MAX_USERS = env.int("COLLAB_CANVAS_MAX_USERS", default=6)
ARTWORK_MAX_IMAGE_MB = env.int("ARTWORK_MAX_IMAGE_MB", default=50)
ARTWORK_RESOLUTIONS = [int(px) for px in env.list("ARTWORK_RESOLUTIONS", default=[256, 1024, 2048])]
NSFW_FLAG_REQUIRED = env.bool("NSFW_FLAG_REQUIRED", default=False)
# Per-user caps on what one account can make others see or store (docs/permissions.md).
COLLAB_MAX_OPEN_ROOMS_PER_USER = env.int("COLLAB_MAX_OPEN_ROOMS_PER_USER", default=20)
COLLAB_MAX_PENDING_INVITATIONS = env.int("COLLAB_MAX_PENDING_INVITATIONS", default=100)
OPPORTUNITY_MAX_OPEN_PER_USER = env.int("OPPORTUNITY_MAX_OPEN_PER_USER", default=50)
GALLERY_MAX_PER_USER = env.int("GALLERY_MAX_PER_USER", default=200)

# ethiKos
ETHIKOS_STANCE_MIN = -3
ETHIKOS_STANCE_MAX = 3
ETHIKOS_EXPERT_QUORUM = env.int("ETHIKOS_EXPERT_QUORUM", default=12)
ETHIKOS_AUTO_HIDE_REPORTS = env.int("ETHIKOS_AUTO_HIDE_REPORTS", default=3)

# KonnectED
CERT_PASS_PERCENT = env.int("CERT_PASS_PERCENT", default=80)
QUIZ_RETRY_COOLDOWN_MIN = env.int("QUIZ_RETRY_COOLDOWN_MIN", default=30)
KNOWLEDGE_RESOURCE_TYPES = ["article", "video", "lesson", "quiz", "dataset"]
MAX_CONTRIBUTION_DRAFTS = env.int("MAX_CONTRIBUTION_DRAFTS", default=10)
OFFLINE_PACKAGE_CRON = env("OFFLINE_PACKAGE_CRON", default="0 3 * * SUN")
