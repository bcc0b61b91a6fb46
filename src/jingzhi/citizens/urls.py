"""Citizens' pages, mounted under /p/ (the public portal's prefix) with the namespace ``citizens``."""
from django.urls import path

from . import views

app_name = "citizens"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("mine/", views.mine, name="mine"),
    path("account/delete/", views.account_delete, name="account-delete"),
]
