from konnaxion.ethikos.models.konsultations import (
    CitizenSuggestion,
    Consultation,
    ConsultationResult,
    ConsultationVote,
    ImpactTrack,
)
from konnaxion.ethikos.models.korum import (
    EthikosArgument,
    EthikosArgumentReport,
    EthikosCategory,
    EthikosStance,
    EthikosTopic,
)

__all__ = [
    "CitizenSuggestion",
    "Consultation",
    "ConsultationResult",
    "ConsultationVote",
    "EthikosArgument",
    "EthikosArgumentReport",
    "EthikosCategory",
    "EthikosStance",
    "EthikosTopic",
    "ImpactTrack",
]
