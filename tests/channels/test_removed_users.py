"""A member removed from WIJKBOT_ALLOWED_USERS gets no reminder after a restart; an allowed member still does.

The bot runs as a real process against the Bot API stand-in."""

from __future__ import annotations

import signal
import time
from datetime import UTC, datetime, timedelta

from bot.followup.store import FollowupStore
from tests.channels.botapi_standin import BotApiStandin
from tests.channels.conftest import ALLOWED
from tests.channels.realstack import DB_NAME, copy_data
from tests.channels.test_restart import REMINDER_TEXT, _start

REMOVED = 222


def test_removed_member_gets_no_reminder_after_restart(prepared_data, tmp_path):
    data_dir = copy_data(prepared_data, tmp_path / "data")
    store = FollowupStore(data_dir / DB_NAME)
    due = datetime.now(UTC) - timedelta(minutes=1)
    for user_id in (ALLOWED, REMOVED):
        store.ensure_user(user_id)
        referral = store.add_referral(user_id, service_id="schuld-1", service_name="Schuldhulp")
        store.add_reminder(referral, user_id, due_at=due)
    store.close()
    with BotApiStandin() as standin:
        bot = _start(standin, data_dir, tmp_path / "bot.log")
        try:
            standin.wait_for(
                lambda calls: any(REMINDER_TEXT in m.text for m in standin.messages_to(ALLOWED)), timeout=30
            )
            time.sleep(2)
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(20)
        assert standin.messages_to(REMOVED) == []
