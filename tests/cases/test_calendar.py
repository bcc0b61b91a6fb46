"""Deadlines in natural and working time, across weekends, holidays and adjusted working days.

Office hours are the shipped 08:30–12:00 and 13:30–17:30 (7.5 h a working day). Every expected
value below is worked out by hand in the comment above it.
"""
import datetime as dt

import pytest
from django.utils import timezone

from jingzhi.cases.calendar import TimeUnit, WorkingCalendar, calendar_file_read
from jingzhi.cases.models import CalendarDay
from jingzhi.cases.selectors import working_calendar

PERIODS = ((dt.time(8, 30), dt.time(12)), (dt.time(13, 30), dt.time(17, 30)))


def at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


@pytest.fixture
def calendar():
    return WorkingCalendar(periods=PERIODS)


def test_a_working_day_is_seven_and_a_half_hours(calendar):
    assert calendar.day_length == dt.timedelta(hours=7, minutes=30)


def test_natural_time_ignores_nights_and_weekends(calendar):
    # Friday 2024-06-07 23:55 + 10 natural minutes = Saturday 00:05.
    assert calendar.deadline(at("2024-06-07 23:55"), value=10, unit=TimeUnit.NATURAL_MINUTES) == at("2024-06-08 00:05")
    assert calendar.deadline(at("2024-06-07 23:00"), value=2, unit=TimeUnit.NATURAL_HOURS) == at("2024-06-08 01:00")


def test_working_hours_skip_lunch_and_night(calendar):
    # Tue 2024-06-11 11:00 + 2 h: 11:00–12:00 is 1 h, then 13:30 + 1 h = 14:30.
    assert calendar.deadline(at("2024-06-11 11:00"), value=2, unit=TimeUnit.WORKING_HOURS) == at("2024-06-11 14:30")
    # Tue 17:00 + 1 h: 30 min today, then Wed 08:30 + 30 min = 09:00.
    assert calendar.deadline(at("2024-06-11 17:00"), value=1, unit=TimeUnit.WORKING_HOURS) == at("2024-06-12 09:00")
    # Starting at night counts from the next morning: Tue 22:00 + 1 h = Wed 09:30.
    assert calendar.deadline(at("2024-06-11 22:00"), value=1, unit=TimeUnit.WORKING_HOURS) == at("2024-06-12 09:30")


def test_working_days_skip_a_weekend_and_the_dragon_boat_holiday(calendar):
    # Fri 2024-06-07 16:20 + 2 working days (15 h). Fri: 16:20–17:30 = 1 h 10 min.
    # Sat 8 / Sun 9 weekend, Mon 10 端午节 holiday. Tue 11: 7 h 30 → 8 h 40 done, 6 h 20 left.
    # Wed 12: 08:30–12:00 = 3 h 30 → 2 h 50 left; 13:30 + 2 h 50 = 16:20.
    assert calendar.is_workday(dt.date(2024, 6, 10)) is False
    assert calendar.deadline(at("2024-06-07 16:20"), value=2, unit=TimeUnit.WORKING_DAYS) == at("2024-06-12 16:20")


def test_adjusted_working_saturday_counts(calendar):
    # Sat 2024-09-14 was a working day (调休 for 中秋节 Sun 15–Tue 17).
    # Fri 13 17:00 + 4 h: 30 min Fri, Sat 08:30–12:00 = 3 h 30 → 4 h at 12:00 Saturday.
    assert calendar.is_workday(dt.date(2024, 9, 14)) is True
    assert calendar.deadline(at("2024-09-13 17:00"), value=4, unit=TimeUnit.WORKING_HOURS) == at("2024-09-14 12:00")
    # Sat 14 17:00 + 1 h: 30 min Sat, then Sun–Tue holiday, Wed 18 08:30 + 30 min = 09:00.
    assert calendar.deadline(at("2024-09-14 17:00"), value=1, unit=TimeUnit.WORKING_HOURS) == at("2024-09-18 09:00")


def test_overrides_win_and_unknown_years_count_weekdays():
    # 2099 is beyond chinesecalendar: Mon–Fri. 2099-01-02 is a Friday, 01-05 a Monday.
    plain = WorkingCalendar(periods=PERIODS)
    assert plain.is_workday(dt.date(2099, 1, 2)) and not plain.is_workday(dt.date(2099, 1, 3))
    # Declaring Monday 2099-01-05 a holiday moves Fri 17:00 + 1 h from Mon 09:00 to Tue 09:00.
    holiday = WorkingCalendar(periods=PERIODS, overrides={dt.date(2099, 1, 5): False})
    assert plain.deadline(at("2099-01-02 17:00"), value=1, unit=TimeUnit.WORKING_HOURS) == at("2099-01-05 09:00")
    assert holiday.deadline(at("2099-01-02 17:00"), value=1, unit=TimeUnit.WORKING_HOURS) == at("2099-01-06 09:00")


@pytest.mark.django_db
def test_admin_rows_override_the_package():
    # 2024-06-11 (Tue) made a day off by an admin row: Fri 16:20 + 2 working days ends Thu 13th 16:20.
    CalendarDay.objects.create(date=dt.date(2024, 6, 11), is_workday=False, note="test")
    calendar = working_calendar()
    assert calendar.deadline(at("2024-06-07 16:20"), value=2, unit=TimeUnit.WORKING_DAYS) == at("2024-06-13 16:20")


def test_the_shipped_calendar_file_parses(tmp_path):
    from django.conf import settings

    periods, _days = calendar_file_read(settings.DATA_DIR / "cases" / "calendar.yaml")
    assert periods == PERIODS
    path = tmp_path / "calendar.yaml"
    path.write_text("working_hours: [['09:00', '12:00'], ['11:00', '17:00']]\ndays: []\n", encoding="utf-8")
    with pytest.raises(ValueError):
        calendar_file_read(path)
    path.write_text("working_hours: [['09:00', '17:00']]\ndays:\n  - {date: 2027-01-01, workday: false}\n",
                    encoding="utf-8")
    assert calendar_file_read(path)[1] == {dt.date(2027, 1, 1): False}
