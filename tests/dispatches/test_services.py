"""Schedules are checked before they are saved; beat makes one dispatch per schedule and
period, however often it ticks and however late; sending is claimed once."""
from datetime import datetime

import pytest
from flask_babel import force_locale

from app.dispatches import services
from app.dispatches.models import Dispatch, DispatchState
from app.dispatches.validation import ScheduleError
from app.extensions import db as _db
from tenants import system_scope

VALID = {"period_type": "quarter", "days_after_deadline": 5, "recipient_name": "Sở LĐTBXH Thanh Hóa",
         "recipient_emails": "bdg@soldtbxh.thanhhoa.gov.vn, so@thanhhoa.gov.vn", "formats": ["xlsx", "docx"],
         "mode": "review"}
# Every 2023 quarter is due by then; only Q1 and Q2 on 15 October 2023 at 06:59 ICT.
LONG_AFTER, MID_OCTOBER = datetime(2030, 1, 1), datetime(2023, 10, 14, 23, 59)


def _create(template, user=None, **changes):
    """Messages read in English here; the catalogue test keeps their Vietnamese complete."""
    with system_scope("test"), force_locale("en"):
        return services.create_schedule(template, {**VALID, **changes}, user)


def test_a_valid_schedule_is_saved_with_clean_addresses(template, db):
    schedule = _create(template, recipient_emails="BDG@SoLDTBXH.ThanhHoa.gov.vn; so@thanhhoa.gov.vn")
    assert schedule.emails == ["BDG@soldtbxh.thanhhoa.gov.vn", "so@thanhhoa.gov.vn"]
    assert [file_format.value for file_format in schedule.format_list] == ["xlsx", "docx"]


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"recipient_emails": "so-ldtbxh@"}, "recipient_emails", "so-ldtbxh@"),
    ({"recipient_emails": ""}, "recipient_emails", "at least one"),
    ({"period_type": "month"}, "period_type", "Quarter"),
    ({"formats": []}, "formats", "format"),
    ({"formats": ["pdf"]}, "formats", "format"),
    ({"days_after_deadline": -1}, "days_after_deadline", "0"),
    ({"days_after_deadline": "năm"}, "days_after_deadline", "0"),
    ({"recipient_name": "  "}, "recipient_name", "office"),
    ({"mode": "fax"}, "mode", "automatically"),
])
def test_bad_input_is_refused_by_field_and_nothing_is_saved(template, db, changes, field, words):
    with pytest.raises(ScheduleError) as raised:
        _create(template, **changes)
    assert field in raised.value.fields and words in raised.value.fields[field]


def test_a_schedule_for_the_year_is_allowed(template, db):
    assert _create(template, period_type="year").period_type == "year"


def test_a_second_active_schedule_to_the_same_address_is_refused_naming_the_first(template, db):
    first = _create(template)  # to Sở LĐTBXH Thanh Hóa
    with pytest.raises(ScheduleError) as twice:
        _create(template, recipient_emails="khac@thanhhoa.gov.vn, SO@thanhhoa.gov.vn")
    assert twice.value.fields == {"recipient_emails": "The schedule sending these reports to Sở LĐTBXH Thanh Hóa "
                                                      "already sends them to so@thanhhoa.gov.vn: change that one instead."}
    # Another period type, another office, or a paused one: each e-mails a report once.
    assert _create(template, period_type="year").id
    other_office = _create(template, recipient_emails="ubnd@thanhhoa.gov.vn")
    assert _create(template, active=False).id
    with pytest.raises(ScheduleError), system_scope("test"), force_locale("en"):
        services.update_schedule(other_office, {**VALID, "recipient_emails": "so@thanhhoa.gov.vn"}, None)
    with system_scope("test"), force_locale("en"):
        assert services.update_schedule(first, {**VALID, "days_after_deadline": 7}, None).days_after_deadline == 7


def test_only_the_districts_office_may_schedule(template, users, db):
    with pytest.raises(services.DispatchRefused) as refused:
        _create(template, users["editor"])
    assert refused.value.status == 403
    assert _create(template, users["officer"]).id


def _dispatches(db) -> list[tuple[str, str]]:
    with system_scope("test"):
        return sorted((dispatch.period, dispatch.state) for dispatch in db.session.execute(db.select(Dispatch)).scalars())


def test_beat_ticking_twice_or_late_makes_one_dispatch_per_period(template, db):
    schedule = _create(template)
    with system_scope("beat"):
        assert [dispatch.period for dispatch in services.prepare_due([schedule], MID_OCTOBER)] == ["2023Q1", "2023Q2"]
        db.session.commit()
        assert services.prepare_due([schedule], MID_OCTOBER) == []  # the second tick
        # Beat was down until 2030: it catches up on what it missed, once.
        assert [dispatch.period for dispatch in services.prepare_due([schedule], LONG_AFTER)] == ["2023Q3", "2023Q4"]
        db.session.commit()
    assert _dispatches(db) == [(period, "preparing") for period in ("2023Q1", "2023Q2", "2023Q3", "2023Q4")]


def test_two_ticks_at_the_same_instant_are_kept_apart_by_the_unique_key(template, db):
    schedule = _create(template)
    with system_scope("beat"):
        db.session.add(Dispatch(unit_id=schedule.unit_id, schedule=schedule, period="2023Q1"))
        db.session.flush()  # another tick's row, unseen by the read that decides
        assert services._new_dispatch(schedule, "2023Q1") is None
        db.session.commit()
    assert _dispatches(db) == [("2023Q1", "preparing")]


def test_a_paused_schedule_prepares_nothing(template, db):
    schedule = _create(template, active=False)
    with system_scope("beat"):
        assert services.prepare_due([schedule], LONG_AFTER) == []


def test_sending_is_claimed_once(template, db):
    schedule = _create(template)
    with system_scope("test"):
        dispatch = services.prepare_due([schedule], LONG_AFTER)[0]
        dispatch.state = DispatchState.PREPARED
        db.session.commit()
        assert services.claim_for_sending(dispatch.id)
        assert not services.claim_for_sending(dispatch.id)  # a second worker, a retry, a second tick
        db.session.commit()
        _db.session.expire_all()
        assert (dispatch.state, dispatch.attempts) == ("sending", 1)


def test_send_now_refuses_a_period_the_schedule_has_not_and_a_sent_report(template, users, db):
    schedule = _create(template)
    with system_scope("test"):
        with pytest.raises(services.DispatchRefused) as refused:
            services.dispatch_now(schedule, "2024Q1", users["officer"])
        assert refused.value.status == 422
        dispatch = services.dispatch_now(schedule, "2023Q3", users["officer"])
        dispatch.state, dispatch.sent_at = DispatchState.SENT, datetime(2023, 10, 16)
        db.session.commit()
        with pytest.raises(services.DispatchRefused) as refused, force_locale("en"):
            services.dispatch_now(schedule, "2023Q3", users["officer"])
        assert "never sent twice" in refused.value.message
