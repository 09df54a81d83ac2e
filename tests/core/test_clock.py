import datetime as dt

from django.utils import timezone

from sinergi.core import clock


def test_real_clock_is_local_date():
    assert clock.today() == timezone.localdate()


def test_setting_pins_the_date_and_time_runs(settings):
    settings.SINERGI_TODAY = "2027-01-31"
    assert clock.today() == dt.date(2027, 1, 31)
    assert timezone.localdate(clock.now()) == dt.date(2027, 1, 31)


def test_setting_pins_an_instant(settings):
    settings.SINERGI_TODAY = "2027-02-01T08:08"
    assert clock.now() == timezone.make_aware(dt.datetime(2027, 2, 1, 8, 8))
    assert clock.today() == dt.date(2027, 2, 1)


def test_travel_moves_and_restores():
    real = clock.today()
    with clock.travel("2030-12-31"):
        assert clock.today() == dt.date(2030, 12, 31)
        with clock.travel(dt.date(2031, 1, 1)):
            assert clock.today() == dt.date(2031, 1, 1)
        assert clock.today() == dt.date(2030, 12, 31)
    assert clock.today() == real


def test_set_now_overrides_setting(settings):
    settings.SINERGI_TODAY = "2027-01-31"
    try:
        clock.set_now("2028-03-01")
        assert clock.today() == dt.date(2028, 3, 1)
    finally:
        clock.reset()
    assert clock.today() == dt.date(2027, 1, 31)
