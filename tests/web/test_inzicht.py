"""Team insight: anonymous aggregates only (no label, no user id, no text), as server-rendered SVG."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.testclient import TestClient

from bot.followup.insight import TeamInsight

LABEL = "Gezin-Vertrouwelijk-Q7"
USER = 77_123_456_789


def test_aggregates_without_labels_or_user_ids(admin: TestClient, web_services) -> None:
    store = web_services.store
    start = datetime(2026, 3, 2, tzinfo=UTC)
    ids = [store.add_referral(USER, service_id="schuldhulp", service_name="Schuldhulpverlening Inzicht",
                              domain="financien", case_label=LABEL, now=start) for _ in range(4)]  # fmt: skip
    store.set_referral_status(ids[0], "afgerond", now=start + timedelta(days=4))
    store.set_referral_status(ids[1], "afgerond", now=start + timedelta(days=6))
    store.add_contact_failure(store.get_referral(ids[2]), now=start + timedelta(days=1))
    store.add_feedback(USER, "t1:extractive:p1", 1)
    store.add_feedback(USER, "t2:extractive:p2", -1)
    admin.post("/chat", data={"text": "Hoe maak ik tijd vrij voor overleg met de huisarts?",
                              "csrf": admin.get("/").text.split('name="csrf" value="')[1].split('"')[0]})  # fmt: skip

    figures = TeamInsight(web_services.settings.database_path).collect()
    partner = next(p for p in figures.partners if p.partner == "Schuldhulpverlening Inzicht")
    assert (partner.referrals, partner.with_feedback, partner.failed) == (4, 2, 1)
    assert partner.median_days == 5.0 and partner.feedback_share == 0.5 and partner.failure_rate == 0.25
    assert figures.per_partner_month[("Schuldhulpverlening Inzicht", "2026-03")] == 4
    assert sum(figures.questions_by_chapter.values()) >= 1
    assert figures.feedback_up >= 1 and figures.feedback_down >= 1

    page = admin.get("/beheer/inzicht")
    assert page.status_code == 200 and page.text.count("<svg") >= 6
    assert "Schuldhulpverlening Inzicht" in page.text and "50%" in page.text
    assert LABEL not in page.text and str(USER) not in page.text
    assert "huisarts?" not in page.text


def test_partner_names_are_escaped_in_charts(admin: TestClient, web_services) -> None:
    web_services.store.add_referral(5, service_id="x", service_name='<script>alert("p")</script>')
    page = admin.get("/beheer/inzicht").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page
