"""The Compare page reads well: a table per variant with units and names, the probability
of meeting each target, and the same tables as a CSV download (AppTest, as a planner
clicks), plus the table's known answers."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from drills.paths import DB_ENV
from i18n import language
from plans import default_plan_path, load_plan
from reports.compare_table import (
    csv_text,
    difference_text,
    interval,
    kpi_table,
    probability_text,
    target_table,
    value_text,
)
from scenarios import default_scenario_path, load_scenario
from sim.analysis.compare import compare
from sim.analysis.montecarlo import CheckResult
from sim.analysis.targets import plan_targets
from sim.analysis.variants import combinations, parse_vary

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
DURATION = re.compile(r"^(\d+h\d\dm|\d+m|\d+s|-)$")
SHARE = re.compile(r"^\d+\.\d%$")


@pytest.fixture
def served(monkeypatch):
    """file id -> (bytes, file name, mime type) of every file a page offers."""
    files: dict[str, tuple[bytes, str | None, str]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = (bytes(path_or_data), filename, mimetype)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return files


@pytest.fixture(scope="module")
def comparison():
    plan = load_plan(default_plan_path())
    scenario = load_scenario(default_scenario_path())
    combos = combinations([parse_vary("agents=110,140")])
    return plan, compare(plan, scenario, combos, 4, 20260301, workers=1)


def test_compare_page_shows_names_units_probabilities_and_offers_the_csv(
    tmp_path, monkeypatch, served
):
    monkeypatch.setenv(DB_ENV, str(tmp_path / "drills.sqlite"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/compare.py").run()
    at.text_area(key="cmp_vary").set_value("agents=110,140")
    at.number_input(key="cmp_n").set_value(3)
    at.button(key="cmp_run").click().run()
    assert not at.exception
    kpis = at.dataframe[0].value
    assert list(kpis["Settings"]) == ["agents=110", "agents=140"]
    assert {"Service level", "Service level: 95% CI", "Service level: vs baseline"} <= set(kpis)
    assert "service_level" not in kpis and "kpi" not in kpis  # not the long-format dump
    assert all(SHARE.match(v) for v in kpis["Service level"])
    assert all(DURATION.match(v) for v in kpis["RTO achieved"])
    assert not any(" min" in str(v) for v in kpis.to_numpy().ravel())
    assert kpis["Service level: vs baseline"][0] == "(baseline)"
    assert re.match(r"^[+-]\d+\.\d pp \(", kpis["Service level: vs baseline"][1])
    for low in kpis["Longest queue: 95% CI"]:
        assert not low.startswith("-")  # a count's interval never below 0
    targets = at.dataframe[1].value
    assert "P(RTO <= 4h00m)" in targets
    assert all(re.match(r"^\d+% \(\d+% to \d+%\)$", v) for v in targets["P(RTO <= 4h00m)"])
    assert "P(service level >= 80% (answered within 30s))" in targets
    assert "P(objective rto_crm: RTO achieved <= 4h00m)" in targets
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith("-cmp_csv")]
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".", 1)[0]
    data, name, mime = served[file_id]
    assert mime == "text/csv" and name.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["Settings"] for r in rows] == ["agents=110", "agents=140"]
    assert set(kpis) | set(targets) == set(rows[0])
    assert rows[0]["P(RTO <= 4h00m)"] == targets["P(RTO <= 4h00m)"][0]
    at.run()  # a rerun (the download's, or any click) keeps the result on the page
    assert at.dataframe[0].value.equals(kpis)


def test_units_of_the_compare_table():
    assert value_text("service_level", 0.8123) == "81.2%"
    assert value_text("rto", 65.0) == "1h05m"
    assert value_text("asa", 0.5) == "30s"
    assert value_text("max_queue", 12.34) == "12.3"
    assert difference_text("rto", -112.0) == "-1h52m"
    assert difference_text("asa", 0.5) == "+30s"
    assert difference_text("service_level", 0.012) == "+1.2 pp"
    assert difference_text("max_queue", -2.0) == "-2.0"


def test_probability_of_meeting_a_target_with_its_wilson_interval():
    check = plan_targets(load_plan(default_plan_path()))[0]
    assert probability_text(CheckResult(check, 17, 20)) == "85% (64% to 95%)"
    assert probability_text(CheckResult(check, 0, 0)) == "-"


def test_count_intervals_stay_within_the_values_seen(comparison):
    _plan, result = comparison
    for v in result.variants:
        for kpi in ("max_queue", "tickets_late"):
            values = v.result.values(kpi)
            low, high = interval(v, kpi)
            assert values.min() <= low <= high <= values.max()


def test_the_tables_in_chinese_keep_their_shape(comparison):
    plan, result = comparison
    english = kpi_table(result), target_table(result, plan)
    with language("zh-CN"):
        chinese = kpi_table(result), target_table(result, plan)
        text = csv_text(result, plan)
    for en, zh in zip(english, chinese, strict=True):
        assert len(en) == len(zh) and len(en[0]) == len(zh[0])
    assert "服务水平" in text


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_compare_chart_reads_durations_as_people_do_and_labels_do_not_overlap(comparison, lang):
    from reports.compare_figure import compare_chart
    from tests.dashboard.test_debrief_charts import overlaps

    _plan, result = comparison
    with language(lang):
        fig = compare_chart(result, "agents")
        assert overlaps(fig) == []
    if lang == "en":
        assert fig.axes[1].get_title() == "P(RTO <= 4h00m) (Wilson 95% CI)"
