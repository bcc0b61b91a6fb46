"""The 受理立案 (intake) stage gets a clock: categories loaded before it get the shipped default
limits (re-running ``load_catalogue`` sets the catalogue's own), and cases waiting in an intake
state get the clock from their report, as new reports do (so an old backlog shows as overdue
and is escalated, instead of sinking below the timed cases of the queue)."""

from django.db import migrations, models

#: The shipped defaults at the time of this migration (data/cases/catalogue.yaml).
INTAKE_LIMITS = {"normal": {"value": 4, "unit": "working_hours"}, "urgent": {"value": 1, "unit": "natural_hours"}}


def intake_limits_add(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for category in Category.objects.all():
        limits = category.time_limits
        missing = [urgency for urgency in limits if "intake" not in limits[urgency]]
        for urgency in missing:
            limits[urgency]["intake"] = INTAKE_LIMITS.get(urgency, INTAKE_LIMITS["normal"])
        if missing:
            category.save(update_fields=["time_limits"])


INTAKE_STATES = ["reported", "self_handled", "confirming", "accepted"]


def intake_clocks_start(apps, schema_editor):
    """Clock the waiting reports from their report. One already past its deadline is recorded
    as escalated now (an ``escalate`` event, as the job writes) but nobody is notified: the first
    run of the escalation job after the upgrade must not send one notice, email or SMS per old
    report; the backlog shows on the shift chief's overview instead."""
    from django.utils import timezone

    from jingzhi.cases.calendar import calendar_with_days  # the deadline rule the services use

    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    CalendarDay = apps.get_model("cases", "CalendarDay")
    calendar = calendar_with_days(CalendarDay.objects.values_list("date", "is_workday"))
    now = timezone.now()
    waiting = Case.objects.filter(state__in=INTAKE_STATES, stage="").select_related("category")
    cases, events = [], []
    for case in waiting.iterator(chunk_size=1000):
        limits = case.category.time_limits
        limit = (limits.get(case.urgency) or limits.get("normal") or {}).get("intake") or INTAKE_LIMITS["normal"]
        case.stage, case.stage_started_at = "intake", case.created_at
        case.stage_deadline = calendar.deadline(case.created_at, value=limit["value"], unit=limit["unit"])
        if case.stage_deadline < now:
            case.escalated_at = now
            events.append(CaseEvent(
                case=case, action="escalate", from_state=case.state, to_state=case.state, actor=None,
                actor_role="system", created_at=now, stage_deadline=case.stage_deadline,
                data={"deadline": case.stage_deadline.isoformat(), "stage": "intake", "upgrade": True},
            ))
        cases.append(case)
    Case.objects.bulk_update(cases, ["stage", "stage_started_at", "stage_deadline", "escalated_at"], batch_size=1000)
    CaseEvent.objects.bulk_create(events, batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_satisfaction_and_self_handling'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='stage',
            field=models.CharField(blank=True, choices=[('intake', '受理立案'), ('dispatch', '派遣'), ('handle', '处置'), ('verify', '核查')], max_length=10, verbose_name='当前环节'),
        ),
        migrations.RunPython(intake_limits_add, migrations.RunPython.noop),
        migrations.RunPython(intake_clocks_start, migrations.RunPython.noop),
    ]
