from konnaxion.ekoh.models.categories import ExpertiseCategory
from konnaxion.ekoh.models.confidentiality import ConfidentialitySetting
from konnaxion.ekoh.models.configuration import ScoreConfiguration
from konnaxion.ekoh.models.context import ContextAnalysisLog
from konnaxion.ekoh.models.scores import ScoreHistory, UserEthicsScore, UserExpertiseScore

__all__ = [
    "ConfidentialitySetting",
    "ContextAnalysisLog",
    "ExpertiseCategory",
    "ScoreConfiguration",
    "ScoreHistory",
    "UserEthicsScore",
    "UserExpertiseScore",
]
