"""One unit style on the console's pages: the Scenarios page's objectives read 'RTO achieved
<= 4h00m', not 'rto <= 240'; the Drill page's clock steps read 15m, 1h00m."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from drills.paths import DB_ENV

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def test_scenario_objectives_and_clock_steps_in_one_unit_style(tmp_path, monkeypatch):
    monkeypatch.setenv(DB_ENV, str(tmp_path / "drills.sqlite"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/scenarios.py").run()
    at.selectbox(key="scenario_pick").set_value("crm_outage_monday_peak").run()
    assert not at.exception
    objectives = next(d.value for d in at.dataframe if "objective" in d.value)
    rows = {r["id"]: r for r in objectives.to_dict("records")}
    assert rows["rto_crm"]["metric"] == "RTO achieved"
    assert rows["rto_crm"]["threshold"] == "4h00m"
    assert rows["rto_crm"]["objective"] == "RTO achieved <= 4h00m"
    assert rows["sl_before"]["objective"] == "Service level >= 80.0% from T+0m to T+1h00m"
    assert rows["abandonment_outage"]["threshold"] == "15.0%"
    at.switch_page("pages/drill.py").run()
    at.text_input(key="new_name").set_value("Units")
    at.text_area(key="new_participants").set_value("Li Wei, duty_manager")
    at.button[0].click().run()
    assert at.button(key="advance").label == "Advance 15m"
    assert at.radio(key="clock_step").options == ["5m", "15m", "1h00m"]
