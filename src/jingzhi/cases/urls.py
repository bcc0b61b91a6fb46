from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("search/", views.search, name="search"),
    path("export/", views.export, name="export"),
    path("intake/", views.intake, name="intake"),
    path("dispatch/", views.dispatch_console, name="dispatch"),
    path("worklist/", views.worklist, name="worklist"),
    path("tasks/", views.tasks, name="tasks"),
    path("overview/", views.overview, name="overview"),
    path("new/", views.report, name="report"),
    path("<int:pk>/", views.detail, name="detail"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("<int:pk>/act/<str:action>/", views.act, name="act"),
]
