"""The HTML report in a real headless Chromium (the system's /usr/bin/chromium, driven by chromedriver).

What a reader sees on first load at a phone's width: the failures, not a table of passes; every
link lands on its target; the search box filters; nothing scrolls sideways.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from fluxq_conformance.core.exchange import Redactor
from fluxq_conformance.core.results import RunReport
from fluxq_conformance.report.files import write_html

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
IN_VIEW = "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight;"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A headless Chromium emulating a phone screen, with a fresh empty profile."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        assert Path(binary).exists() or shutil.which(Path(binary).name), (
            f"{binary} is missing: install the Debian packages chromium and chromium-driver (.ci/run does)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.set_page_load_timeout(30)
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(browser: Any, broken_report: RunReport, tmp_path: Path) -> Any:
    path = tmp_path / "report.html"
    write_html(broken_report, path, Redactor(("sk-report-SECRET",)))
    browser.get(path.as_uri())
    return browser


def test_failures_are_visible_on_first_load_at_phone_width(page: Any) -> None:
    assert page.execute_script("return window.innerWidth") == PHONE["width"]
    failures = page.find_element(By.ID, "failures")
    assert failures.is_displayed()
    assert page.execute_script(IN_VIEW, failures), "the failure section is below the fold"
    finding = page.find_element(By.ID, "rule-outputs_size")
    assert finding.is_displayed()
    text = finding.text
    assert "outputs.size" in text
    assert "pixel size matches" in text  # the check's description
    for model in ("flux_2_pro", "flux_kontext_pro", "flux_pro_11"):
        assert text.count(f"result_{model}") >= 1
    assert "$FLUXQ_API_KEY" in text
    assert "sk-report-SECRET" not in page.page_source
    # Readable on a phone: the page never scrolls sideways.
    assert page.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_every_in_page_link_has_a_target_and_the_counts_link_to_their_sections(page: Any) -> None:
    dangling = page.execute_script(
        "return [...document.querySelectorAll('a[href^=\"#\"]')]"
        ".map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id));"
    )
    assert dangling == []
    red = page.find_element(By.CSS_SELECTOR, "nav.counts a.failed")
    assert red.text.startswith("3 failed")
    page.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    red_target = page.find_element(By.ID, "failures")
    assert not page.execute_script(IN_VIEW, red_target)
    page.execute_script("window.scrollTo(0, 0)")
    red.click()
    assert page.execute_script("return location.hash") == "#failures"
    assert page.execute_script(IN_VIEW, red_target)


def test_a_failed_row_links_to_its_rule_and_the_rule_back_to_the_row(page: Any) -> None:
    row = page.find_element(By.ID, "row-outputs_size-flux_pro_11-result_flux_pro_11")
    page.execute_script("arguments[0].scrollIntoView()", row)
    row.find_element(By.CSS_SELECTOR, "a").click()
    assert page.execute_script("return location.hash") == "#rule-outputs_size"
    rule = page.find_element(By.ID, "rule-outputs_size")
    assert page.execute_script(IN_VIEW, rule)
    rule.find_element(By.CSS_SELECTOR, "a[href='#row-outputs_size-flux_pro_11-result_flux_pro_11']").click()
    assert page.execute_script(IN_VIEW, row)


def test_search_box_filters_rows_and_findings(page: Any) -> None:
    box = page.find_element(By.ID, "search")
    box.send_keys("flux_kontext_pro")
    visible_rows = page.execute_script(
        "return [...document.querySelectorAll('tr[data-search]')].filter(r => r.offsetParent !== null)"
        ".map(r => r.textContent)"
    )
    assert visible_rows
    assert [row for row in visible_rows if "flux_kontext_pro" not in row] == []
    assert "match" in page.find_element(By.ID, "matches").text
    box.clear()
    box.send_keys("no-such-thing-anywhere")
    assert not page.find_element(By.ID, "rule-outputs_size").is_displayed()
