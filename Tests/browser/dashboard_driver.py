#!/usr/bin/env python3
"""Drives headless Chromium over the DevTools protocol to check slowatch's dashboard (GET /).

Python 3 standard library only. Chromium is started with --remote-debugging-pipe: it reads
NUL-terminated JSON commands on its fd 3 and writes NUL-terminated JSON answers and events on
its fd 4, so no websocket client and no port are needed.

Why not `chromium --dump-dom --virtual-time-budget`: virtual time stops while a request is open, and
the dashboard keeps an EventSource open, so that hangs. This driver waits in real time instead.

Steps: open the URL in a viewport of the given size, then for each --wait LABEL=EXPR poll the
JavaScript expression until it is truthy (or the timeout passes) and print one JSON line
{"wait": LABEL, "ok": bool, "ms": elapsed}; then print a last line {"result": <value of --result>,
"exceptions": [...], "console": [...], "screenshot": PATH or null}. The exit status is 0 when every
wait succeeded, 1 when one timed out (the remaining waits are skipped), 2 on a usage or browser error.

A test can act between waits: it reads the lines as they come (each is flushed) and, for example,
restarts the server once a wait has passed; the next wait then checks what the page did.
"""

import argparse
import base64
import ctypes
import fcntl
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

PR_SET_PDEATHSIG = 1  # <sys/prctl.h>


class Browser:
    """A headless Chromium child and its DevTools pipe."""

    def __init__(self, executable, profile):
        # Our end: we write commands to `command_write`, Chromium reads them as its fd 3; it writes to
        # its fd 4, which we read from `answer_read`.
        command_read, command_write = os.pipe()
        answer_read, answer_write = os.pipe()
        # The child's ends are moved to 10 and up first, so the dup2 calls below (in the child, before
        # exec) cannot overwrite one with the other. Every other descriptor Python opens is
        # close-on-exec, so Chromium inherits only these.
        child_in = fcntl.fcntl(command_read, fcntl.F_DUPFD, 10)
        child_out = fcntl.fcntl(answer_write, fcntl.F_DUPFD, 10)
        for fd in (command_read, answer_write):
            os.close(fd)

        def wire_pipe():
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)
            # Chromium dies with the driver, even when a test kills the driver with SIGKILL.
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

        arguments = [
            executable,
            "--headless=new",
            "--remote-debugging-pipe",
            "--no-sandbox",  # Chromium refuses to run as root without it (CI containers run as root)
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-background-timer-throttling",
            "--disable-renderer-backgrounding",
            "--disable-backgrounding-occluded-windows",
            "--hide-scrollbars",
            "--mute-audio",
            "--force-color-profile=srgb",
            "--user-data-dir=" + profile,
            "about:blank",
        ]
        self.process = subprocess.Popen(
            arguments,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipe,
            close_fds=False,
        )
        os.close(child_in)
        os.close(child_out)
        self.writer = os.fdopen(command_write, "wb", buffering=0)
        self.reader = os.fdopen(answer_read, "rb", buffering=0)
        self.messages = queue.Queue()
        self.events = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffer = b""
        while True:
            chunk = self.reader.read(65536)
            if not chunk:
                self.messages.put(None)
                return
            buffer += chunk
            while b"\0" in buffer:
                message, buffer = buffer.split(b"\0", 1)
                self.messages.put(json.loads(message))

    def call(self, method, params=None, session=None, timeout=15.0):
        """Sends one command and returns its result; events that arrive meanwhile are kept."""
        self.next_id += 1
        command = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        self.writer.write(json.dumps(command).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RuntimeError(f"{method}: no answer from Chromium within {timeout} s")
            try:
                message = self.messages.get(timeout=remaining)
            except queue.Empty:
                continue
            if message is None:
                raise RuntimeError(f"{method}: Chromium closed the DevTools pipe")
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Page:
    """One tab, attached with a flat session."""

    def __init__(self, browser):
        self.browser = browser
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Runtime.enable", "Log.enable", "Page.enable"):
            self.call(domain)

    def call(self, method, params=None, timeout=15.0):
        return self.browser.call(method, params, session=self.session, timeout=timeout)

    def evaluate(self, expression):
        """The value of `expression` in the page (JSON-compatible values only)."""
        answer = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in answer:
            details = answer["exceptionDetails"]
            raise RuntimeError(details.get("exception", {}).get("description") or details.get("text"))
        return answer.get("result", {}).get("value")


def problems(events):
    """Uncaught exceptions, and console messages of level warning or error, from the page."""
    exceptions, console = [], []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            exceptions.append(details.get("exception", {}).get("description") or details.get("text"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
            text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
            console.append({"level": params.get("type"), "source": "console-api", "text": text})
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            if entry.get("level") in ("error", "warning"):
                console.append({"level": entry.get("level"), "source": entry.get("source"), "text": entry.get("text")})
    return exceptions, console


def emit(line):
    print(json.dumps(line), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--viewport", default="1280x800", help="WIDTHxHEIGHT in CSS pixels")
    parser.add_argument("--mobile", action="store_true", help="emulate a phone (touch, mobile viewport)")
    parser.add_argument("--scale", type=float, default=1.0, help="device scale factor of the screenshot")
    parser.add_argument("--color-scheme", choices=("light", "dark"), help="emulate prefers-color-scheme")
    parser.add_argument("--wait", action="append", default=[], metavar="LABEL=EXPR")
    parser.add_argument("--result", default="null", help="a JavaScript expression printed as JSON at the end")
    parser.add_argument("--screenshot", help="where to write a PNG of the viewport after the last wait")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds allowed for each wait")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    options = parser.parse_args()
    width, height = (int(part) for part in options.viewport.lower().split("x"))
    waits = []
    for item in options.wait:
        label, separator, expression = item.partition("=")
        if not separator:
            parser.error(f"--wait {item!r}: expected LABEL=EXPR")
        waits.append((label, expression))

    profile = tempfile.mkdtemp(prefix="slowatch-chromium-")
    browser = None
    status = 0
    try:
        browser = Browser(options.chromium, profile)
        page = Page(browser)
        page.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": options.scale, "mobile": options.mobile},
        )
        if options.color_scheme:
            page.call(
                "Emulation.setEmulatedMedia",
                {"features": [{"name": "prefers-color-scheme", "value": options.color_scheme}]},
            )
        page.call("Page.navigate", {"url": options.url})
        for label, expression in waits:
            started = time.monotonic()
            deadline = started + options.timeout
            ok = False
            while time.monotonic() < deadline:
                try:
                    ok = bool(page.evaluate(f"Boolean({expression})"))
                except RuntimeError:
                    ok = False  # the page is still loading, or the element is not there yet
                if ok:
                    break
                time.sleep(0.1)
            emit({"wait": label, "ok": ok, "ms": round((time.monotonic() - started) * 1000)})
            if not ok:
                status = 1
                break
        shot = None
        if options.screenshot:
            data = page.call("Page.captureScreenshot", {"format": "png"})["data"]
            with open(options.screenshot, "wb") as file:
                file.write(base64.b64decode(data))
            shot = options.screenshot
        try:
            result = page.evaluate(options.result)
        except RuntimeError as error:
            result = {"error": str(error)}
        exceptions, console = problems(browser.events)
        emit({"result": result, "exceptions": exceptions, "console": console, "screenshot": shot})
    except Exception as error:  # report, never hang: the Swift test reads this line
        emit({"error": f"{type(error).__name__}: {error}"})
        status = 2
    finally:
        if browser:
            browser.close()
        shutil.rmtree(profile, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
