import contextlib

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from rest_framework.authtoken.models import TokenProxy

from konnaxion.users.models import PersonalToken, User
from konnaxion.users.services import user_deactivate
from konnaxion.users.tokens import personal_token_revoke


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Profile", {"fields": ("name",)}))
    list_display = ("username", "email", "name", "is_staff", "is_active", "date_joined")
    search_fields = ("username", "email", "name")
    actions = ("deactivate",)

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Unticking "active" closes the account the one way: tokens and sockets too.
            user_deactivate(user=obj)

    @admin.action(description="Deactivate the selected accounts")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        closed = 0
        for user in queryset.filter(is_active=True):
            user_deactivate(user=user)
            closed += 1
        self.message_user(request, f"{closed} account(s) deactivated.", messages.SUCCESS)


@admin.register(PersonalToken)
class PersonalTokenAdmin(admin.ModelAdmin):
    """Staff see tokens (never a key: only its digest is stored) and may revoke them."""

    list_display = ("name", "owner", "prefix", "read_only", "created_at", "last_used_at")
    list_filter = ("read_only",)
    search_fields = ("name", "prefix", "owner__username")
    list_select_related = ("owner",)
    fields = (
        "owner",
        "name",
        "prefix",
        "read_only",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    readonly_fields = fields
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[PersonalToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True).select_related("owner"):
            personal_token_revoke(owner=token.owner, token_id=token.pk)
        self.message_user(request, "Tokens revoked.", messages.SUCCESS)


# DRF's authtoken keys are no longer used (docs/accounts.md, "API tokens"): not offered in the
# admin, where a key made there would authenticate nobody.
with contextlib.suppress(admin.sites.NotRegistered):
    admin.site.unregister(TokenProxy)
