from konnaxion.konnected.models.certification import (
    CertificationPath,
    Evaluation,
    InteropMapping,
    PeerValidation,
)
from konnaxion.konnected.models.cocreation import CoCreationContribution, CoCreationProject
from konnaxion.konnected.models.forums import ForumPost, ForumTopic
from konnaxion.konnected.models.knowledge import (
    KnowledgeRecommendation,
    KnowledgeResource,
    LearningProgress,
    Portfolio,
)

__all__ = [
    "CertificationPath",
    "CoCreationContribution",
    "CoCreationProject",
    "Evaluation",
    "ForumPost",
    "ForumTopic",
    "InteropMapping",
    "KnowledgeRecommendation",
    "KnowledgeResource",
    "LearningProgress",
    "PeerValidation",
    "Portfolio",
]
