from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

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
        return sorted(user_roles(user=user))


class TokenSerializer(serializers.Serializer):
    """What a signed-in API client keeps: the token for ``Authorization: Token <token>``, and when
    it stops working (sign in again before then)."""

    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class CredentialsSerializer(AuthTokenSerializer):
    """Username and password of the token sign-in, bounded like every other text input: a username
    as long as the column, a password as long as anyone types one."""

    username = serializers.CharField(label=AuthTokenSerializer().fields["username"].label, max_length=150,
                                     write_only=True)
    password = serializers.CharField(label=AuthTokenSerializer().fields["password"].label, max_length=128,
                                     style={"input_type": "password"}, trim_whitespace=False, write_only=True)
