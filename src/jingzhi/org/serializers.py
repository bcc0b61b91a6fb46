from rest_framework import serializers

from .models import Unit, User
from .selectors import user_roles


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "full_name", "kind", "code", "parent"]


class MeSerializer(serializers.ModelSerializer):
    unit = UnitSerializer(read_only=True, allow_null=True)  # citizens belong to no unit
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "unit", "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted(user_roles(user))


class TokenSerializer(serializers.Serializer):
    """What a signed-in API client keeps: the token for ``Authorization: Token <token>``, and when
    it stops working (sign in again before then)."""

    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
