from konnaxion.smart_vote.models.experts import EmergingExpert
from konnaxion.smart_vote.models.integration import IntegrationMapping
from konnaxion.smart_vote.models.modalities import VoteModality
from konnaxion.smart_vote.models.votes import Vote, VoteResult

__all__ = ["EmergingExpert", "IntegrationMapping", "Vote", "VoteModality", "VoteResult"]
