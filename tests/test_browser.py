"""The download page in a real browser (Debian's headless Chromium through Selenium, offline, over file://):
the dictionary search filters rows as you type, in English and Chinese; the panel chart has a size; the
console stays clean; a full-page screenshot is saved to tests/artifacts/download_page.png.
Skipped when Chromium or chromedriver is missing, unless REQUIRE_BROWSER=1 (CI) makes that a failure."""
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT
from pipeline.release.page import normalise_query, row_text, write_index
from pipeline.release.versioning import latest
from schemas.dictionary import dictionary

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOT = ROOT / "tests" / "artifacts" / "download_page.png"
ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
        "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--hide-scrollbars", "--lang=en-US")

VISIBLE_ROWS = """return Array.prototype.slice.call(document.querySelectorAll('#dict tbody tr'))
  .filter(function (r) { return r.getClientRects().length > 0; })
  .map(function (r) { return r.querySelector('.tbl').textContent + '.' + r.querySelector('.mono').textContent; });"""


def _missing() -> str:
    gone = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        gone.append("the selenium package")
    return ", ".join(gone)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    missing = _missing()
    if missing:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {missing} is missing (apt-get install chromium chromium-driver)")
        pytest.skip(f"no browser to drive: {missing} missing (set REQUIRE_BROWSER=1 to make this a failure)")
    os.environ["SE_OFFLINE"] = "true"      # Selenium Manager must never download a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ARGS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_window_size(1280, 1000)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("site") / "dist"
    shutil.copytree(ROOT / "dist", dist, symlinks=True)
    write_index(dist)
    return dist


@pytest.fixture(scope="module")
def opened(browser, site):
    browser.get((site / "index.html").as_uri())
    return browser


def _expected(query: str) -> list[str]:
    """Rows whose text holds every term of the query, computed from the schemas, not from the page."""
    terms = normalise_query(query).split()
    return [f"{d.table}.{d.name}" for cols in dictionary().values() for d in cols
            if all(t in normalise_query(row_text(d)) for t in terms)]


def _search(driver, query: str) -> tuple[list[str], str]:
    from selenium.webdriver.common.by import By
    box = driver.find_element(By.ID, "dict-q")
    box.clear()
    if query:
        box.send_keys(query)
    else:   # clear() fires no input event
        driver.execute_script("arguments[0].dispatchEvent(new Event('input'))", box)
    return driver.execute_script(VISIBLE_ROWS), driver.find_element(By.ID, "dict-count").text


TOTAL = sum(len(cols) for cols in dictionary().values())


@pytest.mark.parametrize("query, shown", [
    ("indicator_code", ["metrics.indicator_code", "indicators.indicator_code", "panel.indicator_code"]),
    ("郑州市", ["documents.issuer", "documents.city"]),
    ("metrics unit", None),
    ("PERIOD", None),
    ("zzqx-no-such-column", []),
], ids=["column-name", "chinese", "two-terms", "upper-case", "nothing"])
def test_dictionary_search_filters_rows(opened, query, shown):
    expected = _expected(query)
    if shown is not None:
        assert sorted(expected) == sorted(shown)        # the test data is what we think it is
    rows, count = _search(opened, query)
    assert rows == expected
    assert count == f"{len(expected)} of {TOTAL} columns match"
    empty = opened.find_element("id", "dict-empty")
    assert empty.is_displayed() == (not expected)


def test_traditional_characters_find_simplified_text(opened):
    rows, _ = _search(opened, "餘")                      # the dictionary writes 余
    assert rows == _expected("余") and len(rows) >= 2


def test_clearing_the_search_shows_every_row(opened):
    _search(opened, "laws")
    rows, count = _search(opened, "")
    assert len(rows) == TOTAL and count == f"{TOTAL} columns"


def test_chart_is_drawn(opened, site):
    panel = pd.read_parquet(latest(site) / "panel.parquet")
    size = opened.execute_script("var r = document.querySelector('svg.chart').getBoundingClientRect();"
                                 "return [r.width, r.height];")
    assert size[0] > 600 and size[1] > 200
    bars = opened.execute_script("return Array.prototype.filter.call(document.querySelectorAll('svg.chart rect.bar'),"
                                 "function (b) { var r = b.getBoundingClientRect(); return r.width > 0 && r.height > 0; }).length;")
    assert bars == len(panel)
    # one chart per indicator and period: a term total never shares a scale with a single year, and every bar's
    # label says the years it covers, as the browser renders it
    charts = opened.execute_script(
        "return Array.prototype.map.call(document.querySelectorAll('svg.chart g.panel'), function (g) {"
        "  return [g.getAttribute('data-indicator'), g.getAttribute('data-period'),"
        "    Array.prototype.map.call(g.querySelectorAll('rect.bar'), function (b) { return b.getAttribute('data-period'); }),"
        "    Array.prototype.map.call(g.querySelectorAll('text.blabel'), function (t) { return t.textContent; })]; });")
    assert len(charts) == len(panel.groupby(["indicator_code", "period"]))
    years = {(r.indicator_code, r.period): set() for r in panel.itertuples()}
    for r in panel.itertuples():
        years[(r.indicator_code, r.period)].add(str(r.year_end) if r.year_start == r.year_end
                                                else f"{r.year_start}–{r.year_end}")
    for code, period, bar_periods, labels in charts:
        assert set(bar_periods) == {period}
        assert {label.split(" ")[-1] for label in labels} == years[(code, period)]


def test_no_console_errors_and_screenshot(opened):
    try:
        logs = opened.get_log("browser")
    except Exception:   # a driver without the log endpoint: nothing to check
        logs = []
    assert [entry for entry in logs if entry.get("level") == "SEVERE"] == []
    _search(opened, "")
    opened.execute_script("document.getElementById('table-panel').open = true; window.scrollTo(0, 0);")
    height = opened.execute_script("return document.documentElement.scrollHeight;")
    opened.set_window_size(1280, min(height + 40, 16000))
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    assert opened.save_screenshot(str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 50_000
    opened.set_window_size(1280, 1000)
