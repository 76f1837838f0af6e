#!/usr/bin/python3
"""Drives the studio page in a real headless Chromium against a real `pstudio serve` on 127.0.0.1.

Usage: studio_test.py --bin PSTUDIO [--xunit results-browser.xml] [--artifacts DIR]

Starts the server (port 0, a fresh database) and chromedriver, stops both by PID at the end (chromedriver
takes its Chromium with it), and writes one xUnit test case per check so Scripts/test counts them. Exit 0
when every check passed, 1 when one failed, 77 when Chromium, chromedriver or selenium are missing.
"""
import argparse
import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

try:
    from selenium import webdriver
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    print("studio_test: python3-selenium is not installed", file=sys.stderr)
    sys.exit(77)

BROKEN = 'import keys from "grand";\nmelody { keys C4 0; keyz E4 1; }\n'
# The misspelt instrument is on line 2, column 21 (1-based, as the API counts).
BROKEN_AT = (2, 21)
VALID = (
    'import keys from "grand";\nimport kit from "drums";\ntempo 120;\n'
    "melody { keys C4 0; keys E4 1 dur=2; keys G4'maj 2 dur=2; }\n"
    "rhythm { repeat 4 every 1 { kit Kick 0; kit HiHat 1/2 vel=0.4; } }\n"
)
SHARED = "// opened from a link\nmelody { saw A3 0 dur=2; saw C4 2; }\n"


class Checks:
    """Named checks, each a test case; a failing one is recorded and the run goes on where it can."""

    def __init__(self):
        self.cases = []

    def run(self, name, fn):
        started = time.time()
        try:
            fn()
            self.cases.append((name, time.time() - started, None))
            print(f"  ok    {name}")
            return True
        except Exception as e:  # noqa: BLE001 - every failure is reported as the case's failure
            detail = "".join(traceback.format_exception_only(type(e), e)).strip()
            self.cases.append((name, time.time() - started, detail))
            print(f"  FAIL  {name}: {detail}")
            return False

    def write_xunit(self, path):
        suite = ET.Element("testsuite", name="StudioBrowser", tests=str(len(self.cases)),
                           failures=str(sum(1 for c in self.cases if c[2])))
        for name, seconds, failure in self.cases:
            case = ET.SubElement(suite, "testcase", classname="StudioBrowser", name=name, time=f"{seconds:.3f}")
            if failure:
                ET.SubElement(case, "failure", message=failure[:500]).text = failure
        root = ET.Element("testsuites")
        root.append(suite)
        ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def start_server(binary, db, extra=()):
    proc = subprocess.Popen(
        [binary, "serve", "--port", "0", "--db", db, *extra], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = proc.stdout.readline()
        m = re.search(r"listening on (http://[0-9.]+:\d+)", line or "")
        if m:
            return proc, m.group(1)
        if proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError("pstudio serve did not start")


def descendants(pid):
    """Every process below `pid` (from /proc), children first."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(0), []):
            found.append(child)
            queue.append(child)
    return found


def post(base, path, body):
    request = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=60) as r:
        return json.loads(r.read())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--xunit")
    parser.add_argument("--artifacts", default="out/artifacts")
    args = parser.parse_args()
    for tool in ("/usr/bin/chromedriver",):
        if not os.path.exists(tool):
            print(f"studio_test: {tool} is missing (apt install chromium chromium-driver)", file=sys.stderr)
            sys.exit(77)
    os.makedirs(args.artifacts, exist_ok=True)
    checks = Checks()
    work = tempfile.mkdtemp(prefix="studio-test-")
    server, base = start_server(args.bin, os.path.join(work, "studio.sqlite"))
    print(f"studio_test: pstudio serve (pid {server.pid}) at {base}")
    options = webdriver.ChromeOptions()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--autoplay-policy=no-user-gesture-required", "--window-size=1280,900",
              "--disable-background-networking", "--disable-component-update", "--no-first-run",
              "--disable-default-apps", "--disable-sync", "--disable-features=Translate,OptimizationHints"):
        options.add_argument(a)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = Service("/usr/bin/chromedriver", log_output=os.path.join(work, "chromedriver.log"))
    driver = None
    browser_pids = []
    # The group setup: serve --auth on a database of its own, a user made with `pstudio users add` (password on
    # stdin), and a second browser (its own profile: no session) for the share link.
    auth_db = os.path.join(work, "auth.sqlite")
    subprocess.run([args.bin, "users", "add", "tess", "--db", auth_db], input="tess-password\n", text=True,
                   check=True, capture_output=True)
    auth_server, auth_base = start_server(args.bin, auth_db, ["--auth"])
    print(f"studio_test: pstudio serve --auth (pid {auth_server.pid}) at {auth_base}")
    service2 = Service("/usr/bin/chromedriver", log_output=os.path.join(work, "chromedriver2.log"))
    driver2 = None
    try:
        driver = webdriver.Chrome(service=service, options=options)
        browser_pids = descendants(service.process.pid)
        print(f"studio_test: chromedriver (pid {service.process.pid}), Chromium (pids {browser_pids[:3]} …)")
        run_checks(checks, driver, base, args.artifacts)
        driver2 = webdriver.Chrome(service=service2, options=options)
        browser_pids += descendants(service2.process.pid)
        run_auth_checks(checks, driver, driver2, auth_base, args.artifacts)
    finally:
        for d in (driver, driver2):
            if d is not None:
                d.quit()
        # Stop by PID whatever quit() left: chromedriver, every Chromium process it started, the servers.
        for proc in (service.process if getattr(service, "process", None) else None,
                     service2.process if getattr(service2, "process", None) else None, server, auth_server):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        for pid in browser_pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    if args.xunit:
        checks.write_xunit(args.xunit)
    failed = sum(1 for c in checks.cases if c[2])
    print(f"studio_test: {len(checks.cases) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


def run_checks(checks, driver, base, artifacts):
    wait = WebDriverWait(driver, 30)

    def viewport(width, height, mobile=False):
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def js(script, *a):
        return driver.execute_script(script, *a)

    def editor():
        return driver.find_element(By.ID, "editor")

    def type_song(text):
        area = editor()
        area.click()
        area.send_keys(Keys.CONTROL, "a")
        area.send_keys(Keys.DELETE)
        # Typed key by key (Enter included: the editor keeps a line's indentation, and these lines have none).
        area.send_keys(text)

    viewport(1280, 720)
    driver.get("about:blank")
    driver.get(base + "/")

    def page_loads():
        wait.until(lambda d: js("return document.querySelectorAll('#instruments button').length") > 0)
        assert driver.title == "Pattern Studio"
        for element_id in ("editor", "render", "save", "status", "player", "waveform", "roll", "diagnostics",
                           "instruments"):
            assert driver.find_elements(By.ID, element_id), f"#{element_id} is missing"
        headers = urllib.request.urlopen(base + "/").headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "media-src 'self' blob:" in csp, csp
    checks.run("the page loads with every element id and its CSP", page_loads)

    def diagnostics_at_line_and_column():
        type_song(BROKEN)
        assert editor().get_attribute("value") == BROKEN, repr(editor().get_attribute("value"))
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#diagnostics li[data-line]"))
        entry = driver.find_element(By.CSS_SELECTOR, "#diagnostics li[data-line]")
        at = (int(entry.get_attribute("data-line")), int(entry.get_attribute("data-col")))
        assert at == BROKEN_AT, f"diagnostic at {at}, expected {BROKEN_AT}"
        assert "keyz" in entry.text, entry.text
        underlined = js("return [...document.querySelectorAll('#highlight .d-error')].map(e => e.textContent).join('')")
        assert underlined == "keyz", f"underlined {underlined!r}"
        marker = js("return document.querySelectorAll('#gutter .error')[0]?.textContent")
        assert marker == "2", f"gutter marker on line {marker}"
        # The entry moves the cursor to the place.
        entry.click()
        start = js("return document.getElementById('editor').selectionStart")
        assert BROKEN[start:start + 4] == "keyz", f"cursor at {start}"
        # Typing before the mistake carries its underline along (until the next parse answers).
        area = editor()
        area.send_keys(Keys.CONTROL, Keys.HOME)
        area.send_keys(Keys.DOWN, "  ")
        underlined = js("return [...document.querySelectorAll('#highlight .d-error')].map(e => e.textContent).join('')")
        assert underlined == "keyz", f"after an edit, underlined {underlined!r}"
        area.send_keys(Keys.BACKSPACE, Keys.BACKSPACE)
    checks.run("diagnostics of a broken song: underline, gutter, list entry at line 2 col 21", diagnostics_at_line_and_column)

    def diagnostics_after_an_emoji():
        # Columns count code points; JavaScript strings count UTF-16 units. chromedriver types only the BMP, so
        # the text goes in as one paste-like input event.
        text = "// \U0001F3B9 piano \U0001F3B9\nmelody { pianoo C4 0; }\n"
        js("const a = document.getElementById('editor'); a.focus(); a.value = arguments[0];"
           "a.dispatchEvent(new Event('input', {bubbles: true}));", text)
        wait.until(lambda d: "pianoo" in d.find_element(By.ID, "diagnostics").text)
        entry = driver.find_element(By.CSS_SELECTOR, "#diagnostics li[data-line]")
        assert (entry.get_attribute("data-line"), entry.get_attribute("data-col")) == ("2", "10")
        underlined = js("return [...document.querySelectorAll('#highlight .d-error')].map(e => e.textContent).join('')")
        assert underlined == "pianoo", f"underlined {underlined!r}"
        # The copy under the textarea has exactly its text: nothing split, nothing shifted.
        copy = js("return document.getElementById('highlight').textContent")
        assert copy == text + "\n", repr(copy)
    checks.run("a diagnostic after astral characters lands on the right characters", diagnostics_after_an_emoji)

    def diagnostics_clear():
        type_song(VALID)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#diagnostics li.clean"))
        assert not driver.find_elements(By.CSS_SELECTOR, "#diagnostics li[data-line]")
        assert not js("return document.querySelectorAll('#highlight .d-error, #gutter .error').length")
    checks.run("diagnostics clear when the code is valid", diagnostics_clear)

    def renders():
        editor().send_keys(Keys.CONTROL, Keys.ENTER)
        wait.until(lambda d: (d.find_element(By.ID, "player").get_attribute("src") or "").startswith("blob:"))
        wait.until(lambda d: "realtime" in d.find_element(By.ID, "status").text)
        status = driver.find_element(By.ID, "status").text
        assert re.search(r"\d+\.\d+ s at 48 kHz", status), status
        drawn = js("""const c = document.getElementById('waveform'); const g = c.getContext('2d');
            const d = g.getImageData(0, 0, c.width, c.height).data; let n = 0;
            for (let i = 0; i < d.length; i += 4) if (d[i + 2] > 200 && d[i + 1] > 150) n++; return n;""")
        assert drawn > 500, f"only {drawn} waveform pixels drawn"
        duration = js("return document.getElementById('player').duration")
        assert duration and 2.0 < duration < 3.0, f"audio duration {duration}"
    checks.run("Ctrl+Enter renders: blob: audio, status with rate and speed, a drawn waveform", renders)

    def waveform_seeks():
        js("document.getElementById('player').pause()")
        canvas = driver.find_element(By.ID, "waveform")
        width = canvas.size["width"]
        webdriver.ActionChains(driver).move_to_element_with_offset(canvas, int(width * 0.25), 0).click().perform()
        duration = js("return document.getElementById('player').duration")
        now = js("return document.getElementById('player').currentTime")
        # The click lands at 3/4 of the width (offsets count from the centre).
        assert abs(now - 0.75 * duration) < 0.05 * duration, f"at {now} of {duration}"
        canvas.send_keys(Keys.HOME)
        assert js("return document.getElementById('player').currentTime") == 0
        assert canvas.get_attribute("aria-valuetext").startswith("0:00 of 0:02"), canvas.get_attribute("aria-valuetext")
    checks.run("the waveform seeks on a click and from the keyboard", waveform_seeks)

    def roll_matches_events():
        expected = post(base, "/api/events", {"pattern_code": VALID})["events"]
        rects = driver.find_elements(By.CSS_SELECTOR, "#roll rect.note")
        assert len(rects) == len(expected) == 13, f"{len(rects)} rects, {len(expected)} events"
        lines = sorted(int(r.get_attribute("data-line")) for r in rects)
        assert lines == sorted(e["line"] for e in expected)
        # Clicking a note moves the cursor to its line.
        target = [r for r in rects if r.get_attribute("data-line") == "5"][0]
        driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", target)
        offset = js("return document.getElementById('editor').selectionStart")
        assert VALID[:offset].count("\n") + 1 == 5, f"cursor on line {VALID[:offset].count(chr(10)) + 1}"
    checks.run("the roll draws one rect per /api/events event; a click finds the line", roll_matches_events)

    def playhead_lights_notes():
        js("const p = document.getElementById('player'); p.pause(); p.currentTime = 0.6;")
        wait.until(lambda d: js("return document.querySelectorAll('#roll rect.note.on').length") > 0)
        lit = js("return [...document.querySelectorAll('#roll rect.note.on')].map(r => r.dataset.line)")
        assert "4" in lit, f"lit {lit}"
    checks.run("the playhead lights the notes it crosses", playhead_lights_notes)

    def failed_render_keeps_audio():
        src = driver.find_element(By.ID, "player").get_attribute("src")
        type_song(BROKEN)
        driver.find_element(By.ID, "render").click()
        wait.until(lambda d: "Render failed" in d.find_element(By.ID, "status").text)
        assert driver.find_element(By.ID, "player").get_attribute("src") == src
        assert "previous audio is kept" in driver.find_element(By.ID, "status").text
    checks.run("a failed render keeps the previous audio", failed_render_keeps_audio)

    def save_and_reload():
        type_song(VALID)
        name = driver.find_element(By.ID, "name")
        name.clear()
        name.send_keys("Browser test song")
        editor().send_keys(Keys.CONTROL, "s")
        wait.until(lambda d: "?id=" in d.current_url)
        pattern_id = driver.current_url.split("?id=")[1]
        js("localStorage.clear()")
        driver.get("about:blank")
        driver.get(base + "/?id=" + pattern_id)
        wait.until(lambda d: editor().get_attribute("value") == VALID)
        assert driver.find_element(By.ID, "name").get_attribute("value") == "Browser test song"
        stored = json.loads(urllib.request.urlopen(base + "/api/patterns/" + pattern_id).read())
        assert stored["pattern_code"] == VALID and stored["version"] == 1
        # Saving again is a new version of the same pattern (the address stays its link).
        editor().send_keys(Keys.CONTROL, Keys.END)
        editor().send_keys("// v2")
        editor().send_keys(Keys.CONTROL, "s")
        wait.until(lambda d: "version 2" in d.find_element(By.ID, "status").text)
        assert driver.current_url.endswith("?id=" + pattern_id)
        stored = json.loads(urllib.request.urlopen(base + "/api/patterns/" + pattern_id).read())
        assert stored["version"] == 2 and stored["pattern_code"] == VALID + "// v2"
    checks.run("Ctrl+S saves; /?id= loads it back; saving again makes version 2", save_and_reload)

    def downloads():
        folder = tempfile.mkdtemp(prefix="studio-downloads-")
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": folder})
        for button, name in (("download-flac", "Browser test song.flac"), ("download-midi", "Browser test song.mid"),
                             ("download-wav", "Browser test song.wav")):
            driver.find_element(By.ID, button).click()
            path = os.path.join(folder, name)
            WebDriverWait(driver, 30).until(lambda d: os.path.exists(path) and os.path.getsize(path) > 0
                                            and not os.path.exists(path + ".crdownload"))
        with open(os.path.join(folder, "Browser test song.mid"), "rb") as f:
            assert f.read(4) == b"MThd"
        with open(os.path.join(folder, "Browser test song.wav"), "rb") as f:
            head = f.read(12)
            assert head[:4] == b"RIFF" and head[8:12] == b"WAVE"
        if shutil.which("flac"):
            subprocess.run(["flac", "-t", "-s", os.path.join(folder, "Browser test song.flac")], check=True)
    checks.run("WAV, FLAC and MIDI downloads are named after the song and are valid files", downloads)

    def unknown_id():
        driver.get("about:blank")
        driver.get(base + "/?id=nosuchpattern0")
        wait.until(lambda d: "Could not open" in d.find_element(By.ID, "status").text)
        assert "error" in driver.find_element(By.ID, "status").get_attribute("class")
        assert editor().get_attribute("value").strip() != ""
    checks.run("an unknown id shows an error, not a blank editor", unknown_id)

    def code_link():
        encoded = base64.urlsafe_b64encode(SHARED.encode()).decode().rstrip("=")
        driver.get("about:blank")
        driver.get(base + "/#name=Shared&code=" + encoded)
        wait.until(lambda d: editor().get_attribute("value") == SHARED)
        assert driver.find_element(By.ID, "name").get_attribute("value") == "Shared"
        # The page's own share link round-trips.
        driver.find_element(By.ID, "share").click()
        link = driver.find_element(By.ID, "share-link").get_attribute("value")
        assert link.startswith(base + "/#") and "code=" in link, link
        driver.get("about:blank")
        driver.get(link)
        wait.until(lambda d: editor().get_attribute("value") == SHARED)
    checks.run("a #code= link opens its code; Share makes one", code_link)

    def keys():
        area = editor()
        area.click()
        area.send_keys(Keys.CONTROL, Keys.HOME)
        area.send_keys(Keys.DOWN)
        area.send_keys(Keys.CONTROL, "/")
        assert editor().get_attribute("value").split("\n")[1].startswith("// melody"), editor().get_attribute("value")
        area.send_keys(Keys.CONTROL, "/")
        assert editor().get_attribute("value") == SHARED
        area.send_keys(Keys.HOME, Keys.TAB)
        assert editor().get_attribute("value").split("\n")[1].startswith("  melody")
        area.send_keys(Keys.BACKSPACE, Keys.BACKSPACE, Keys.ESCAPE, Keys.TAB)
        assert js("return document.activeElement.id") != "editor", "Esc then Tab must leave the editor"
        editor().click()
        webdriver.ActionChains(driver).send_keys(Keys.ESCAPE).key_down(Keys.SHIFT).send_keys(Keys.TAB) \
            .key_up(Keys.SHIFT).perform()
        assert js("return document.activeElement.id") != "editor", "Esc then Shift+Tab must leave the editor"
        assert editor().get_attribute("value") == SHARED
        driver.find_element(By.TAG_NAME, "body").send_keys("?")
        wait.until(lambda d: js("return document.getElementById('keys').open"))
        driver.find_element(By.ID, "keys-close").click()
    checks.run("Ctrl+/ comments, Tab indents, Esc+Tab leaves, ? lists the keys", keys)

    def screenshots():
        # A first visit (no draft): the welcome song, rendered, the playhead a few seconds in. The storage is
        # cleared from a page of this origin that runs no script (the studio's draft timer could refill it).
        driver.get(base + "/favicon.svg")
        js("localStorage.clear()")
        driver.get(base + "/")
        wait.until(lambda d: js("return document.querySelectorAll('#instruments button').length") > 0)
        assert "Welcome" in editor().get_attribute("value"), editor().get_attribute("value")[:80]
        driver.find_element(By.ID, "render").click()
        wait.until(lambda d: "realtime" in d.find_element(By.ID, "status").text)
        js("const p = document.getElementById('player'); p.pause(); p.currentTime = 4.2;")
        time.sleep(0.3)
        for width, height, mobile in ((1280, 720, False), (390, 844, True)):
            viewport(width, height, mobile)
            time.sleep(0.5)
            overflow = js("return document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{width}×{height}: {overflow} px wider than the screen"
            for element_id in ("editor", "render", "player", "waveform"):
                box = js("const r = document.getElementById(arguments[0]).getBoundingClientRect();"
                         "return [r.width, r.height]", element_id)
                assert box[0] > 40 and box[1] > 20, f"#{element_id} is {box} at {width}×{height}"
            path = os.path.join(artifacts, f"studio-{width}x{height}.png")
            driver.save_screenshot(path)
            print(f"studio_test: screenshot {path}")
        viewport(1280, 720)
    checks.run("layouts at 1280×720 and 390×844 (screenshots saved)", screenshots)

    def console_and_origins():
        errors = []
        for entry in driver.get_log("browser"):
            if entry["level"] != "SEVERE":
                continue
            # Chrome's own line for an answer the page expected: 422 for broken code (parse, events, render),
            # 404 for the unknown id. Any other 4xx is a bug.
            expected = (r"/api/(parse|events|render) - Failed to load resource: the server responded with a "
                        r"status of 422", r"/api/patterns/nosuchpattern0 - Failed to load resource: the server "
                        r"responded with a status of 404")
            if any(re.search(p, entry["message"]) for p in expected):
                continue
            errors.append(entry["message"])
        assert not errors, f"console errors: {errors}"
        foreign = []
        for entry in driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                url = message["params"]["request"]["url"]
                if not (url.startswith(base + "/") or url.startswith(("blob:" + base, "data:", "about:"))):
                    foreign.append(url)
        assert not foreign, f"requests to other origins: {foreign[:5]}"
    checks.run("no console errors and only same-origin requests", console_and_origins)


def run_auth_checks(checks, driver, driver2, base, artifacts):
    """The studio page against `serve --auth`: log in, save, share, open the link in a browser with no session."""
    # The page reloads itself after a login or logout: an element found just before may go stale.
    wait = WebDriverWait(driver, 30, ignored_exceptions=(StaleElementReferenceException,))
    wait2 = WebDriverWait(driver2, 60, ignored_exceptions=(StaleElementReferenceException,))
    shared = {}

    def editor(d=driver):
        return d.find_element(By.ID, "editor")

    def put_code(text):
        driver.execute_script(
            "const a = document.getElementById('editor'); a.focus(); a.value = arguments[0];"
            "a.dispatchEvent(new Event('input', {bubbles: true}));", text)

    def asks_to_log_in():
        driver.get("about:blank")
        driver.get(base + "/")
        wait.until(lambda d: d.execute_script("return document.getElementById('login').open"))
        wait.until(lambda d: "Not signed in" in d.find_element(By.ID, "who").text)
        wait.until(lambda d: "asks for an account" in d.find_element(By.ID, "status").text)
        driver.save_screenshot(os.path.join(artifacts, "studio-login.png"))
        try:
            urllib.request.urlopen(base + "/api/patterns")
            raise AssertionError("anonymous GET /api/patterns was answered")
        except urllib.error.HTTPError as e:
            assert e.code == 401, e.code
    checks.run("--auth: the page asks to log in; the API answers 401 to strangers", asks_to_log_in)

    def logs_in():
        driver.find_element(By.ID, "login-name").send_keys("tess")
        driver.find_element(By.ID, "login-password").send_keys("wrong")
        driver.find_element(By.ID, "login-submit").click()
        wait.until(lambda d: "Wrong name or password" in d.find_element(By.ID, "login-error").text)
        field = driver.find_element(By.ID, "login-password")
        field.clear()
        field.send_keys("tess-password")
        driver.find_element(By.ID, "login-submit").click()
        wait.until(lambda d: "Signed in as tess" in d.find_element(By.ID, "who").text)
        assert driver.find_element(By.ID, "logout").is_displayed()
        wait.until(lambda d: d.execute_script("return document.querySelectorAll('#instruments button').length") > 0)
        cookie = driver.get_cookie("pstudio_session")
        assert cookie and cookie["httpOnly"] and cookie.get("sameSite") == "Strict", cookie
        assert driver.execute_script("return document.cookie") == "", "the session cookie must be HttpOnly"
    checks.run("--auth: logging in (a wrong password first) sets an HttpOnly SameSite=Strict session", logs_in)

    def saves_and_shares():
        put_code(VALID)
        name = driver.find_element(By.ID, "name")
        name.clear()
        name.send_keys("Group song")
        driver.find_element(By.ID, "save").click()
        wait.until(lambda d: "?id=" in d.current_url)
        shared["id"] = driver.current_url.split("?id=")[1]
        # The owner's page listens on its pattern with the session cookie (a same-origin WebSocket).
        wait.until(lambda d: d.execute_script("return document.body.dataset.live") == "ready")
        driver.find_element(By.ID, "share").click()
        wait.until(lambda d: "/?share=" in (d.find_element(By.ID, "share-link").get_attribute("value") or ""))
        link = driver.find_element(By.ID, "share-link").get_attribute("value")
        assert link.startswith(base + "/?share="), link
        assert "read-only" in driver.find_element(By.ID, "share-label").text
        shared["link"] = link
    checks.run("--auth: saving, then Share makes a server link (/?share=…)", saves_and_shares)

    def opens_share_link_without_session():
        driver2.get("about:blank")
        driver2.get(shared["link"])
        wait2.until(lambda d: editor(d).get_attribute("value") == VALID)
        assert driver2.find_element(By.ID, "name").get_attribute("value") == "Group song"
        assert driver2.get_cookie("pstudio_session") is None, driver2.get_cookie("pstudio_session")
        status = driver2.find_element(By.ID, "status").text
        assert "share link" in status, status
        assert not driver2.execute_script("return document.getElementById('login').open")
        # Renders through the link (POST /api/render {"share"}), with the progress bar reaching 100 %.
        driver2.execute_script(
            "window.__progress = []; new MutationObserver(() => window.__progress.push("
            "document.getElementById('render-progress').value)).observe(document.getElementById('render-progress'),"
            " {attributes: true});")
        driver2.find_element(By.ID, "render").click()
        wait2.until(lambda d: "realtime" in d.find_element(By.ID, "status").text)
        assert (driver2.find_element(By.ID, "player").get_attribute("src") or "").startswith("blob:"), "no audio"
        progress = driver2.execute_script("return window.__progress")
        assert progress and max(progress) == 100, progress
        driver2.save_screenshot(os.path.join(artifacts, "studio-shared-link.png"))
    checks.run("--auth: the share link opens and renders in a second browser without a session",
               opens_share_link_without_session)

    def live_save_reaches_the_link():
        put_code(VALID + "// v2\n")
        driver.find_element(By.ID, "save").click()
        wait.until(lambda d: "version 2" in d.find_element(By.ID, "status").text)
        wait2.until(lambda d: d.find_element(By.ID, "live-note").is_displayed())
        assert "Version 2" in driver2.find_element(By.ID, "live-text").text
        # The link cannot write: saving from it is refused (no account), and the pattern is unchanged.
        driver2.find_element(By.ID, "save").click()
        wait2.until(lambda d: "Save failed" in d.find_element(By.ID, "status").text)
    checks.run("--auth: a save by the owner is announced live to the link's page, which cannot write",
               live_save_reaches_the_link)

    def logs_out():
        driver.find_element(By.ID, "logout").click()
        wait.until(lambda d: "Not signed in" in d.find_element(By.ID, "who").text)
        assert driver.get_cookie("pstudio_session") is None or driver.get_cookie("pstudio_session")["value"] == ""
    checks.run("--auth: Log out ends the session", logs_out)


if __name__ == "__main__":
    main()
