from konnaxion.insights.models.dimensions import DimDate, DimDomain, DimEndpoint
from konnaxion.insights.models.facts import ApiPerfFact, SmartVoteFact, UsageMauFact

__all__ = ["ApiPerfFact", "DimDate", "DimDomain", "DimEndpoint", "SmartVoteFact", "UsageMauFact"]
