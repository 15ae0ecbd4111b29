from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from konnaxion.users.models import User
from konnaxion.users.services import user_deactivate


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
