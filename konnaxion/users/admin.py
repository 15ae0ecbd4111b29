from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from konnaxion.users.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Profile", {"fields": ("name",)}))
    list_display = ("username", "email", "name", "is_staff", "is_active", "date_joined")
    search_fields = ("username", "email", "name")
