from konnaxion.kreative.models.applications import (
    ApplicationAnswer,
    ApplicationArtwork,
    ApplicationAttachment,
    ApplicationQuestion,
    OpportunityApplication,
    OpportunityJuror,
    ReviewCriterion,
    ReviewRound,
    ReviewScore,
)
from konnaxion.kreative.models.artworks import ArtworkDerivative, ArtworkTag, KreativeArtwork
from konnaxion.kreative.models.collab_rooms import CollabChatMessage, CollabDocument
from konnaxion.kreative.models.collab_sessions import CollabSession, CollabSessionParticipant
from konnaxion.kreative.models.endorsements import Endorsement
from konnaxion.kreative.models.follows import Block, Follow
from konnaxion.kreative.models.galleries import Gallery, GalleryArtwork
from konnaxion.kreative.models.opportunities import (
    Opportunity,
    OpportunityAttachment,
    SavedOpportunity,
)
from konnaxion.kreative.models.profiles import (
    PortfolioArtwork,
    PortfolioProject,
    ProfessionalProfile,
)
from konnaxion.kreative.models.saved_searches import (
    OpportunityReminder,
    SavedSearch,
    SavedSearchAlert,
)
from konnaxion.kreative.models.suggestions import (
    PrecomputedSuggestions,
    SuggestionDismissal,
    SuggestionImpression,
)
from konnaxion.kreative.models.traditions import TraditionEntry

__all__ = [
    "ApplicationAnswer",
    "ApplicationArtwork",
    "ApplicationAttachment",
    "ApplicationQuestion",
    "ArtworkDerivative",
    "ArtworkTag",
    "Block",
    "CollabChatMessage",
    "CollabDocument",
    "CollabSession",
    "CollabSessionParticipant",
    "Endorsement",
    "Follow",
    "Gallery",
    "GalleryArtwork",
    "KreativeArtwork",
    "Opportunity",
    "OpportunityApplication",
    "OpportunityAttachment",
    "OpportunityJuror",
    "OpportunityReminder",
    "PortfolioArtwork",
    "PortfolioProject",
    "PrecomputedSuggestions",
    "ProfessionalProfile",
    "ReviewCriterion",
    "ReviewRound",
    "ReviewScore",
    "SavedOpportunity",
    "SavedSearch",
    "SavedSearchAlert",
    "SuggestionDismissal",
    "SuggestionImpression",
    "TraditionEntry",
]
