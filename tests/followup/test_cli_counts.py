"""`wijkbot kaart corrections` counts 'contact lukte niet' per service; `wijkbot stats` names the new states."""

from __future__ import annotations

from pathlib import Path

from bot.followup.store import FollowupStore
from tests.conftest import run_cli


def test_corrections_and_stats_show_contact_failures(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = FollowupStore(data / "wijkbot.sqlite3")
    ref = store.add_referral(1, service_id="schuldhulp", service_name="Schuldhulp")
    for _ in range(2):
        store.add_contact_failure(store.get_referral(ref))  # type: ignore[arg-type]
    store.set_referral_status(ref, "hulp_loopt")
    store.add_correction("ggz-crisis", 1, "contactgegevens niet juist")
    store.close()
    corrections = run_cli("kaart", "corrections", data_dir=data)
    assert corrections.returncode == 0, corrections.stderr
    assert "contact lukte niet  schuldhulp  2 keer" in corrections.stdout
    assert "ggz-crisis" in corrections.stdout
    stats = run_cli("stats", data_dir=data)
    assert "hulp loopt: 1" in stats.stdout and "Contact lukte niet: 2 keer" in stats.stdout
