"""A call or voicemail asked for instead of a follow-up's own channel keeps to the contact's
call hours (guard.call-hours): the draft warns as it does when a call is the follow-up's own."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from jobnudge.config import Profile, Settings
from jobnudge.domain import Channel
from jobnudge.services import compose as web_compose
from jobnudge.services import drafting, nudges, records
from jobnudge.services.event_log import log_event
from jobnudge.services.session import open_session

NEW_YORK = ZoneInfo("America/New_York")
SETTINGS = Settings(profile=Profile(name="Alex Morgan", tz="America/New_York", country="US"))


@pytest.mark.parametrize("channel", [Channel.CALL, Channel.VOICEMAIL])
def test_a_call_asked_for_at_midnight_where_the_contact_is_warns(
    tmp_path: Path, channel: Channel
) -> None:
    session = open_session(None, settings=SETTINGS, data_dir=tmp_path / "data")
    try:
        session.now = datetime(2026, 12, 7, 15, 30, tzinfo=NEW_YORK)
        records.add_opportunity(session, "Globex", "Data Analyst")
        records.add_contact(session, "Aiko Sato", company="Globex", tz="Asia/Tokyo")
        log_event(session, "globex", "interviewed", at=session.now, with_=["Aiko Sato"], round_=1)
        # Ten days on, 10:00 in New York: midnight in Tokyo, the status check due.
        session.now = datetime(2026, 12, 17, 10, 0, tzinfo=NEW_YORK)
        row = next(i.row for i in nudges.agenda(session) if i.row.rule == "interview.status-check")
        assert row.due <= session.now and row.channel == "email"
        own = drafting.compose(session, row.short_id)
        assert "timing" not in [f.code for f in own.findings]
        asked = drafting.compose(session, row.short_id, channel)
        assert asked.context.blocked_by == ("guard.call-hours",)
        assert "timing" in [f.code for f in asked.findings]
        (said,) = [f.message for f in asked.findings if f.code == "timing"]
        if channel is Channel.CALL:  # a live call wants someone there to pick up
            assert "preferably within their working day (9 am–5 pm)" in said, said
            assert "outside their working day" not in said, said
        else:  # a voicemail waits for them instead of interrupting
            assert "preferably outside their working day (9 am–5 pm)" in said, said
        web = web_compose.compose(session, row.short_id, channel=channel.value)
        assert "timing" in [f.code for f in web.findings]
        session.now += timedelta(hours=9)  # 10:00 in Tokyo: inside call hours
        assert "timing" not in [
            f.code for f in drafting.compose(session, row.short_id, channel).findings
        ]
    finally:
        session.close()
