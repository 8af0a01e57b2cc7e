"""End to end: `vnsearch serve` in a subprocess, driven by Debian's headless Chromium via Playwright.

Nothing downloads a browser: Playwright launches /usr/bin/chromium. JavaScript is switched off,
since the pages must work without it, and every request to another host is refused and recorded.
"""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from vnsearch import Document, Index

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 30_000  # the first query loads the segmenter model

FILLER = "Hội nghị thảo luận nhiều nội dung khác nhau về kinh tế, xã hội và văn hóa của địa phương.\n"
DOCUMENTS = [
    Document(
        id="bct/nq-21",
        title="Nghị quyết về phòng, chống tham nhũng",
        text=FILLER * 60 + "Đấu tranh phòng, chống tham nhũng, lãng phí là nhiệm vụ trọng tâm.",
        date="2022-06-16",
        committee="Bộ Chính trị",
        doc_type="Nghị quyết",
    ),
    Document(
        id="qh/luat-36",
        title="Luật Phòng, chống tham nhũng",
        text="Luật này quy định về phòng ngừa, phát hiện và xử lý tham nhũng.",
        date="2018-11-20",
        committee="Quốc hội",
        doc_type="Luật",
        number="36/2018/QH14",
    ),
] + [
    Document(
        id=f"tin-{n}",
        title=f"Tỉnh ủy họp lần {n} bàn chống tham nhũng",
        text=f"Ban Thường vụ Tỉnh ủy họp lần {n}, bàn biện pháp chống tham nhũng, tiêu cực.",
        date=f"{2015 + n}-03-01",
        committee="Ban Thường vụ Tỉnh ủy",
        doc_type="Tin tức",
        cited_numbers=("36/2018/QH14",),
    )
    for n in range(1, 5)
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"vnsearch serve exited with {process.returncode}: {log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"vnsearch serve did not answer at {url}: {log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    with Index.create(root / "index") as ix:
        ix.add(DOCUMENTS, workers=1)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    log = root / "serve.log"  # a file, not a pipe: request logs must never fill a buffer and stall the server
    with open(log, "wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "vnsearch", "serve", "--index", str(root / "index"), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        _wait_until_up(url, process, log)
        assert f"at {url}" in log.read_text()  # the URL is announced on stderr
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (pip install playwright)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _total(page: Any) -> int:
    return int(page.locator("p.total strong").inner_text().replace(".", ""))



@contextlib.contextmanager
def _page(browser: Any, width: int, height: int) -> Iterator[Any]:
    """A page of a fresh browser context without JavaScript, as the CSP leaves the site."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": height})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()

def test_search_without_diacritics_then_narrow_by_committee(server: str, browser: Any) -> None:
    with _page(browser, 390, 844) as page:
        elsewhere: list[str] = []
        errors: list[str] = []

        def only_this_server(route: Any) -> None:
            if route.request.url.startswith(server):
                route.continue_()
            else:
                elsewhere.append(route.request.url)
                route.abort()

        page.route("**/*", only_this_server)
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

        page.goto(server)
        page.fill("input[name=q]", "tham nhung")
        page.press("input[name=q]", "Enter")
        page.wait_for_url("**/?q=tham+nhung")
        assert _total(page) == len(DOCUMENTS)
        assert page.locator("ol.hits mark").count() > 0
        assert page.locator("ol.hits mark").first.inner_text().lower() == "tham nhũng"
        assert page.input_value("input[name=q]") == "tham nhung"

        page.locator(".facet a", has_text="Bộ Chính trị").click()
        page.wait_for_url("**committee=*")
        assert _total(page) == 1
        assert page.locator("ol.hits li.hit").count() == 1
        assert "Bộ Chính trị" in page.locator("ol.hits .meta").inner_text()
        assert page.locator(".active-filters", has_text="Cơ quan ban hành: Bộ Chính trị").count() == 1

        # The result opens the document at its first match, far down the text, by the URL fragment alone.
        page.locator("ol.hits h2 a").first.click()
        page.wait_for_url("**/doc/**#first-match")
        mark = page.locator("mark#first-match")
        box = mark.bounding_box()
        assert box is not None and 0 <= box["y"] < 844, box

        assert elsewhere == []
        assert errors == []


@pytest.mark.parametrize("width", [390, 1280])
def test_the_logo_is_whole_on_both_pages_even_opened_at_the_first_match(server: str, browser: Any, width: int) -> None:
    height = 844
    with _page(browser, width, height) as page:
        # The search page, then a long document opened at its first match, far down the text.
        for path in ("?q=tham+nhung", "doc/bct/nq-21?q=tham+nhung#first-match"):
            page.goto(server + path)
            box = page.locator("header.site .brand").bounding_box()
            assert box is not None
            assert box["x"] >= 0 and box["y"] >= 0, (path, box)
            assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, (path, box)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path  # no sideways scrolling
            search_box = page.locator("header.site input[name=q]").bounding_box()
            assert search_box is not None and search_box["x"] + search_box["width"] <= width
        mark = page.locator("mark#first-match").bounding_box()
        header = page.locator("header.site").bounding_box()
        assert mark is not None and header is not None
        assert header["y"] + header["height"] <= mark["y"] < height  # the match is not under the header


def test_following_a_cited_by_link_and_back_through_what_it_cites(server: str, browser: Any) -> None:
    with _page(browser, 390, 844) as page:
        page.goto(server + "doc/qh/luat-36")
        cited_by = page.locator("section.cited-by")
        assert "4 văn bản" in cited_by.locator("h2").inner_text()
        cited_by.locator("ul.doc-list a").first.click()  # the newest citing document
        page.wait_for_url("**/doc/tin-4")
        assert page.locator("h1").inner_text() == "Tỉnh ủy họp lần 4 bàn chống tham nhũng"
        page.locator("section.cites a", has_text="Luật Phòng, chống tham nhũng").click()
        page.wait_for_url("**/doc/qh/luat-36")
        page.locator("section.cited-by a", has_text="Xem tất cả").click()
        page.wait_for_url(re.compile(r"[?]q=cites"))
        assert _total(page) == 4
        assert page.locator("ol.hits h2 a").first.inner_text() == "Tỉnh ủy họp lần 4 bàn chống tham nhũng"


def test_a_timeline_bar_narrows_the_list_to_its_year(server: str, browser: Any) -> None:
    with _page(browser, 1280, 900) as page:
        page.goto(server + "?q=tham+nhung")
        assert _total(page) == len(DOCUMENTS)
        in_2018 = [d for d in DOCUMENTS if (d.date or "").startswith("2018")]
        bar = page.locator(".timeline svg a", has_text="Năm 2018")
        assert bar.count() == 1 and bar.is_visible()
        bar.click()
        page.wait_for_url("**from=2018-01-01**")
        assert _total(page) == len(in_2018)
        dates = page.locator("ol.hits .meta span:first-child").all_inner_texts()
        assert len(dates) == len(in_2018) and all(date.endswith("/2018") for date in dates)
        assert page.locator(".active-filters", has_text="Năm 2018").count() == 1
        # Within one year the bars are months: the one of the earliest document leads to that month alone.
        first = min(in_2018, key=lambda d: d.date or "")
        month = page.locator(".timeline svg a", has_text=f"Tháng {int((first.date or '')[5:7])}/2018")
        month.click()
        page.wait_for_url(f"**from={(first.date or '')[:7]}-01**")
        assert _total(page) == sum(1 for d in in_2018 if (d.date or "")[:7] == (first.date or "")[:7])
