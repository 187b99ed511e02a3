#!/usr/bin/env python3
"""Starts a built Kura desktop app (an installed binary or an AppImage) the way a person would on
a first run and checks that its window comes up showing the first-run screen:

    scripts/desktop-smoke.py APP --screenshot OUT.png [--env NAME=VALUE]...

The app runs under an X server of its own (Xvfb), with a throwaway home and data folder,
started through tauri-driver and WebKitWebDriver so the page's text can be read. It passes when
the page shows the first-run choice (「デモを試す」 / "Try the demo") and a mapped window titled
"Kura — 蔵" exists (xdotool), and keeps a picture of that window (xwd). Needs what
scripts/desktop-deps.sh installs and xdotool; run it inside a D-Bus session
(scripts/with-keyring.sh), as a desktop session would have.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

FIRST_RUN = ("デモを試す", "Try the demo")
TITLE = "Kura — 蔵"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_xvfb() -> tuple[subprocess.Popen, str]:
    """An X server on the first free display from 90 (as src-tauri/tests/window.rs does)."""
    for n in range(90, 200):
        if Path(f"/tmp/.X{n}-lock").exists():
            continue
        xvfb = subprocess.Popen(
            ["Xvfb", f":{n}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and xvfb.poll() is None:
            if Path(f"/tmp/.X11-unix/X{n}").exists():
                return xvfb, f":{n}"
            time.sleep(0.05)
        xvfb.kill()
        xvfb.wait()
    sys.exit("no free X display between :90 and :199")


def webdriver(method: str, url: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=90) as response:
            return json.load(response)["value"]
    except urllib.error.HTTPError as e:
        raise SystemExit(f"WebDriver {method} {url} failed: {e.code} {e.read().decode(errors='replace')}")
    except (TimeoutError, urllib.error.URLError) as e:
        raise SystemExit(f"WebDriver {method} {url} got no answer ({e}): did the app start?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("app", type=Path, help="the program to start")
    parser.add_argument("--screenshot", type=Path, required=True, help="where to keep a PNG of the window")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the app's environment")
    args = parser.parse_args()
    app = args.app.resolve()
    if not os.access(app, os.X_OK):
        sys.exit(f"{app} is not an executable file")
    driver_bin = shutil.which("tauri-driver") or str(Path.home() / ".cargo/bin/tauri-driver")

    processes: list[subprocess.Popen] = []
    home = tempfile.TemporaryDirectory(prefix="kura-smoke-")
    try:
        xvfb, display = start_xvfb()
        processes.append(xvfb)
        env = dict(os.environ)
        root = Path(home.name)
        env.update(
            DISPLAY=display,
            HOME=str(root),
            XDG_CONFIG_HOME=str(root / "config"),
            XDG_CACHE_HOME=str(root / "cache"),
            XDG_DATA_HOME=str(root / "data"),
            KURA_DATA_DIR=str(root / "kura"),
            KURA_CONFIG_DIR=str(root / "kura-config"),
        )
        env.update(item.split("=", 1) for item in args.env)
        port, native_port = free_port(), free_port()
        # What the app and WebKit print goes to a log, shown only when the check fails.
        log = open(root / "app.log", "wb")
        driver = subprocess.Popen(
            [driver_bin, "--port", str(port), "--native-port", str(native_port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append(driver)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/status", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or driver.poll() is not None:
                    sys.exit("tauri-driver did not come up")
                time.sleep(0.1)

        started = time.monotonic()
        caps = {"capabilities": {"alwaysMatch": {"browserName": "wry", "tauri:options": {"application": str(app)}}}}
        session = f"{base}/session/{webdriver('POST', f'{base}/session', caps)['sessionId']}"
        deadline = time.monotonic() + 60
        text = ""
        while not any(t in text for t in FIRST_RUN):
            if time.monotonic() > deadline:
                sys.exit(f"{app}: the first-run screen did not show within 60 s; the window showed:\n{text}")
            time.sleep(0.2)
            text = webdriver("POST", f"{session}/execute/sync", {"script": "return document.body.innerText", "args": []}) or ""
        shown = time.monotonic() - started

        windows = subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", f"^{TITLE}$"],
            env=env,
            capture_output=True,
            text=True,
        ).stdout.split()
        if not windows:
            sys.exit(f"{app}: the page rendered but no visible window is titled {TITLE!r}")
        args.screenshot.parent.mkdir(parents=True, exist_ok=True)
        # Two animation frames first: the second starts only after the first has been painted.
        paint = "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));"
        webdriver("POST", f"{session}/execute/async", {"script": paint, "args": []})
        # The X server's picture, not WebDriver's (WebKitWebDriver's screenshot command sometimes
        # drops the connection on a busy machine), once it has text in it: many colours, where an
        # unpainted window has one or two.
        deadline = time.monotonic() + 30
        while True:
            xwd = subprocess.run(["xwd", "-silent", "-id", windows[0]], env=env, capture_output=True, check=True)
            subprocess.run(["convert", "xwd:-", str(args.screenshot)], input=xwd.stdout, check=True)
            colours = int(subprocess.run(["identify", "-format", "%k", str(args.screenshot)], capture_output=True, text=True, check=True).stdout)
            if colours > 64:
                break
            if time.monotonic() > deadline:
                sys.exit(f"{app}: the window stayed blank on screen ({colours} colours; see {args.screenshot})")
            time.sleep(0.25)
        webdriver("DELETE", session)
        print(f"{app.name}: window {TITLE!r} up, first-run screen shown after {shown:.1f} s; screenshot {args.screenshot}")
    except BaseException:
        app_log = Path(home.name) / "app.log"
        if app_log.exists():
            tail = app_log.read_text(errors="replace").splitlines()[-40:]
            print("the app's last words:\n" + "\n".join(tail), file=sys.stderr)
        raise
    finally:
        for p in reversed(processes):
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        home.cleanup()


if __name__ == "__main__":
    main()
