from django.db import models


class IntegrationMapping(models.Model):
    """How a module declares a votable target type: `target_type` = "<module_name>.<context_type>".

    `mapping_details` may hold `model` ("app_label.ModelName", targets must exist), `modality`
    (the modality of every vote on this type, "approval" by default), `category_field` (the
    target's field holding its ExpertiseCategory) or `category` (an ISCED-F code for all targets).
    """

    module_name = models.CharField(max_length=64)
    context_type = models.CharField(max_length=64)
    mapping_details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("module_name", "context_type")
        constraints = [
            models.UniqueConstraint(
                fields=["module_name", "context_type"],
                name="smart_vote_integrationmapping_module_context_unique",
            )
        ]

    def __str__(self) -> str:
        return self.target_type

    @property
    def target_type(self) -> str:
        return f"{self.module_name}.{self.context_type}"
