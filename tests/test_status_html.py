"""status --format html: one self-contained page, checked as text and in a real headless Chromium.

The browser is driven over the DevTools protocol (a websocket on 127.0.0.1), so
the test sees what a person sees (the text of the cells, what the filters
hide), every console message and exception, and every request the page makes.
Without a Chromium on the machine (Debian: apt-get install chromium-headless-shell)
the browser test skips and says so.
"""
from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")
# Flags for a machine without network: without them Chromium stalls on connections it tries to make.
QUIET_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-extensions", "--disable-default-apps", "--mute-audio")


def page_of(run, source: Path, out: Path, *args) -> str:
    result = run("status", "--source", source, "--format", "html", "--out", out, *args)
    assert result.exit_code == 0, result.stderr
    return out.read_text()


def test_page_is_self_contained_and_links_each_release_to_its_rendered_directory(example, run, tmp_path):
    html = page_of(run, example, tmp_path / "status.html")
    # Nothing for a browser to fetch: no src attributes, stylesheets, imports or url() in styles.
    assert not re.search(r"\ssrc\s*=|<link[^>]+stylesheet|@import|url\(", html, re.I)
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    # Without --link-base: relative links from the page to the local rendered tree (example/../rendered).
    assert 'href="repo/rendered/workloads/prod/prod-eu/fraud-detector/"' in html
    base = "https://github.com/acme/ml-gitops/tree/main/"
    linked = page_of(run, example, tmp_path / "published.html", "--link-base", base)
    assert f'href="{base}rendered/workloads/prod/prod-us/fraud-detector"' in linked
    # Outside Git there is no history to show, and the page says why.
    assert "not in a Git repository" in html


def find_browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """A headless Chromium and one page, over the DevTools protocol."""

    def __init__(self, binary: str, profile: Path):
        import websocket  # websocket-client, installed with the kubernetes client of the test extra

        self.proc = subprocess.Popen([binary, *QUIET_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
                                      # Any websocket client may connect (old websocket-client versions send
                                      # an Origin header Chromium would refuse).
                                      "--remote-allow-origins=*", "--window-size=1280,900", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                     # Its own process group, killed whole by close(): Debian's
                                     # chromium-headless-shell is a shell script that starts the browser,
                                     # and killing the script alone left the browser running after the test.
                                     start_new_session=True)
        url = self._devtools_url(timeout=30)
        self.ws = websocket.create_connection(url, timeout=30)
        self.ids = itertools.count(1)
        self.events: list[dict] = []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)

    def _devtools_url(self, timeout: float) -> str:
        found: list[str] = []

        def read():
            for line in self.proc.stderr:
                match = re.search(r"DevTools listening on (ws://\S+)", line)
                if match:
                    found.append(match.group(1))
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(timeout)
        if not found:
            self.close()
            pytest.fail(f"Chromium did not open its DevTools port within {timeout}s")
        # Keep draining stderr so Chromium never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in self.proc.stderr], daemon=True).start()
        return found[0]

    def call(self, method: str, session: bool = False, **params) -> dict:
        message_id = next(self.ids)
        message = {"id": message_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == message_id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for event in self.events:
                if event.get("method") == method:
                    self.events.remove(event)
                    return event
            self.ws.settimeout(max(deadline - time.monotonic(), 0.01))
            self.events.append(json.loads(self.ws.recv()))
        raise AssertionError(f"no {method} within {timeout}s")

    def open(self, url: str) -> None:
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")

    def js(self, expression: str):
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, and browser log errors (e.g. a CSP violation)."""
        self.js("0")  # flush events queued before this point
        out = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning", "assert"):
                out.append(f"console.{params['type']}: {[a.get('value') for a in params['args']]}")
            elif method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                out.append(f"exception: {(details.get('exception') or {}).get('description') or details.get('text')}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                out.append(f"log: {params['entry']['text']}")
        return out

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        try:
            if getattr(self, "ws", None) is not None:
                self.ws.close()
        finally:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:  # already gone, with all it started
                pass
            self.proc.wait(timeout=30)


@pytest.fixture
def browser(tmp_path):
    binary = find_browser()
    if binary is None:
        pytest.skip("no headless Chromium on this machine (looked for " + ", ".join(BROWSERS)
                    + "); on Debian: apt-get install chromium-headless-shell")
    opened = Browser(binary, tmp_path / "profile")
    yield opened
    opened.close()


VISIBLE_ROWS = """Array.from(document.querySelectorAll('#status tbody tr'))
  .filter(r => r.getClientRects().length).map(r => r.getAttribute('data-model'))"""


def test_the_page_in_a_browser_shows_the_matrix_and_its_filters_work(example, run, tmp_path, browser):
    page = tmp_path / "status.html"
    page_of(run, example, page)
    browser.open(page.as_uri())
    assert browser.problems() == []
    assert browser.requests() == [page.as_uri()]  # the page itself, and nothing else
    # What a person reads: one row per model, one column per environment in promotion order.
    header = browser.js("Array.from(document.querySelectorAll('#status thead th')).map(c => c.innerText)")
    assert [h.split("\n")[0] for h in header] == ["Model", "dev", "staging", "prod"]
    rows = browser.js("""Array.from(document.querySelectorAll('#status tbody tr'))
        .map(r => Array.from(r.cells).map(c => c.innerText.split('\\n')[0]))""")
    assert rows == [["fraud-detector", "1.5.0", "1.5.0", "1.4.2 ← 1.5.0"],
                    ["llm-chat", "0.3.0", "0.3.0", "0.2.1 ← 0.3.0"],
                    ["recommender", "0.9.3", "0.9.3", "0.9.1 ← 0.9.3"],
                    ["sentiment-bert", "2.1.0", "2.0.1 ← 2.1.0", "2.0.1"],
                    ["support-assistant", "not deployed", "v1.2.0 default", "v1.2.0"]]
    prod_cell = browser.js("document.querySelector('#status tbody tr td.c2').innerText")
    assert "kserve · direct" in prod_cell and "prod-eu" in prod_cell and "prod-us" in prod_cell
    assert "4 pending promotions" in browser.js("document.querySelector('.summary').innerText")
    picture = browser.js("Array.from(document.querySelectorAll('#promotion svg text')).map(t => t.textContent)")
    assert picture[:2] == ["dev", "namespace ml-dev"] and "wave 1: prod-us" in picture
    assert browser.js("document.querySelector('#promotion svg').getBoundingClientRect().width") > 300

    # Filter by model name (as typed), then only pending promotions, then hide an environment.
    browser.js("""(() => { const q = document.getElementById('filter-model'); q.value = 'rec';
                   q.dispatchEvent(new Event('input')); })()""")
    time.sleep(0.3)
    assert browser.js(VISIBLE_ROWS) == ["recommender"]
    assert browser.js("document.getElementById('shown').textContent") == "1 of 5 models"
    browser.js("""(() => { const q = document.getElementById('filter-model'); q.value = '';
                   q.dispatchEvent(new Event('input')); document.getElementById('only-pending').click(); })()""")
    time.sleep(0.3)
    assert browser.js(VISIBLE_ROWS) == ["fraud-detector", "llm-chat", "recommender", "sentiment-bert"]
    browser.js("document.querySelector('#filters input.env[value=\"2\"]').click()")  # hide prod
    assert browser.js(VISIBLE_ROWS) == ["sentiment-bert"]  # its pending cell is in staging
    assert browser.js("getComputedStyle(document.querySelector('#status thead th.c2')).display") == "none"
    # The view is in the address, so it can be shared.
    assert browser.js("location.hash") == "#hide=2&pending"
    assert browser.problems() == []
