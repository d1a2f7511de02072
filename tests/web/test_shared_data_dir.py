"""The web app and another wijkbot process (the Telegram bot) write to one data dir at the same time:
no 'database is locked', and a kaart change by one process is seen by the other."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from starlette.testclient import TestClient

from tests.conftest import ROOT
from tests.web.conftest import csrf_of

WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from bot.followup.store import FollowupStore
    from bot.followup.insight import TeamInsight
    path = Path(sys.argv[1])
    store, insight = FollowupStore(path), TeamInsight(path)
    print("ready", flush=True)
    for i in range(400):
        referral = store.add_referral(10_000 + i % 7, service_id="schuldhulp", service_name="Parallel")
        store.set_referral_status(referral, "afgerond")
        store.add_feedback(10_000 + i % 7, f"r{i}", 1)
        insight.count_question(3)
    print("done", flush=True)
""")


def test_two_processes_write_without_database_is_locked(admin: TestClient, web_services) -> None:
    database = web_services.settings.database_path
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(database)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    csrf = csrf_of(admin)
    statuses = []
    for i in range(30):
        text = (
            "moeder met schulden, deurwaarder aan de deur" if i % 2 else "Hoe werk ik samen met de huisarts?"
        )
        statuses.append(admin.post("/chat", data={"text": text, "csrf": csrf}).status_code)
        if i % 10 == 0:
            statuses.append(admin.post("/beheer/dienst/schuldhulp/gecontroleerd", data={"csrf": csrf},
                                       follow_redirects=False).status_code)  # fmt: skip
    out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err[-2000:]
    assert "done" in out and "locked" not in err
    assert set(statuses) <= {200, 303}, statuses
    assert admin.get("/beheer/inzicht").status_code == 200


def test_kaart_saved_by_another_process_is_picked_up(admin: TestClient, web_services) -> None:
    from dataclasses import replace

    from bot.kaart.store import KaartStore

    store = KaartStore(directory=web_services.settings.kaart_dir)
    kaart = web_services.kaart.active()
    changed = tuple(
        replace(s, schedule="door ander proces") if s.id == "leerplicht" else s for s in kaart.services
    )
    store.save(replace(kaart, services=changed, content_hash=kaart.content_hash + "x"))
    assert web_services.kaart.get("leerplicht").schedule == "door ander proces"
