import datetime as dt

from django.utils import timezone, translation

from sinergi.core.dates import format_date, format_datetime


def test_dates_in_running_text_are_written_out():
    with translation.override("id"):
        assert format_date(dt.date(2026, 11, 13)) == "13 November 2026"
        assert format_date("2020-08-07") == "7 Agustus 2020"
        assert format_date(None) == "–"


def test_times_use_a_dot_and_the_zone_name_in_indonesian():
    moment = timezone.make_aware(dt.datetime(2026, 12, 2, 8, 8))
    with translation.override("id"):
        assert format_datetime(moment) == "2 Desember 2026 08.08 WIB"
    with translation.override("en"):
        assert format_datetime(moment) == "2 December 2026 08:08 WIB"
    # an instant stored in UTC is shown in Jakarta time
    utc = dt.datetime(2026, 12, 2, 1, 8, tzinfo=dt.UTC)
    with translation.override("id"):
        assert format_datetime(utc) == "2 Desember 2026 08.08 WIB"
