from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("tasks/<int:pk>/", views.task_detail, name="task-detail"),
    path("tasks/<int:pk>/reports/", views.report_create, name="report-create"),
    path("tasks/<int:pk>/notices/", views.notice_create, name="notice-create"),
    path("notices/<int:pk>/reply/", views.notice_reply, name="notice-reply"),
    path("notices/<int:pk>/review/", views.notice_review, name="notice-review"),
    path("checklist/<int:pk>/", views.checklist_mark, name="checklist-mark"),
    path("mine/", views.my_tasks, name="my-tasks"),
    path("lagging/", views.lagging, name="lagging"),
    path("export.xlsx", views.export, name="export"),
    path("files/<str:kind>/<int:pk>/", views.evidence, name="evidence"),
]
