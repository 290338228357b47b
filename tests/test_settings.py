"""Settings that would only fail later (on the first deadline, the first export) are refused when they load."""

import pytest
from pydantic import ValidationError

from app.config import Settings


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({"timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"work_periods": "8-12"}, "expected HH:MM-HH:MM"),
        ({"work_periods": "12:00-08:00"}, "ordered and disjoint"),
        ({"work_periods": "08:00-12:00,11:00-13:00"}, "ordered and disjoint"),
        ({"work_weekdays": [7]}, "less than or equal to 6"),
        ({"work_weekdays": []}, "at least 1 item"),
        ({"work_weekdays": [1, 1]}, "a weekday named twice"),
        ({"layer_precedence": ["moon"]}, "layer_precedence"),
        ({"layer_precedence": ["grid", "grid"]}, "layers named twice"),
    ],
)
def test_a_setting_that_cannot_work_is_refused_on_load(given, named):
    with pytest.raises(ValidationError, match=named):
        Settings(**given)


def test_the_defaults_load_and_a_partial_precedence_is_allowed():
    assert Settings().timezone == "Asia/Shanghai"
    assert Settings(layer_precedence=["road", "grid"]).layer_precedence == ["road", "grid"]


def test_the_environment_is_read_too(monkeypatch):
    monkeypatch.setenv("XUNCHA_WORK_PERIODS", "09:00-17:00")
    assert Settings().work_periods == "09:00-17:00"
    monkeypatch.setenv("XUNCHA_TIMEZONE", "Nowhere/Atlantis")
    with pytest.raises(ValidationError, match="unknown time zone"):
        Settings()
