"""The review editor as a user starts it: `aligner review … --no-browser` in a subprocess,
its link read from what it prints, plain HTTP requests to it (urllib, no mocks)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

STARTUP_S = 90  # aligning two documents first, on a loaded two-core machine


@dataclass
class Editor:
    proc: subprocess.Popen
    url: str

    @property
    def base(self) -> str:
        return self.url.split("/?", 1)[0]

    @property
    def token(self) -> str:
        return self.url.split("token=", 1)[1]

    def request(self, path: str, body=None, token: str | None = None, headers=None):
        """(status, JSON or text) of one request; ``token`` None sends the right one."""
        token = self.token if token is None else token
        data = json.dumps(body).encode() if body is not None else None
        h = {"Content-Type": "application/json", **({"X-Aligner-Token": token} if token else {}),
             **(headers or {})}  # fmt: skip
        req = urllib.request.Request(self.base + path, data=data, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                status, raw = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode("utf-8", "replace")

    def state(self) -> dict:
        status, st = self.request("/api/state")
        assert status == 200, st
        return st

    def edit(self, op: str, version: int | None = None, **args):
        version = self.state()["version"] if version is None else version
        return self.request("/api/edit", {"op": op, "args": args, "version": version})

    def kill(self) -> None:
        """As a crash or a closed terminal would: no chance to clean up."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> str:
        """Ctrl+C; returns what the command printed on stderr."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            _, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        return err


def start_editor(*args, cwd=None, command: str = "review") -> Editor:
    """Run ``aligner review ARGS --no-browser`` (or ``aligner align ARGS --review``) and
    wait for the link it prints."""
    extra = ["--no-browser"] + (["--review"] if command == "align" else [])
    cmd = [sys.executable, "-m", "aligner", command, *map(str, args), *extra]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        found = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", line)
        if found:
            return Editor(proc, found.group(0))
    proc.kill()
    _, err = proc.communicate()
    raise AssertionError(f"aligner review did not print its link: {err[-2000:]}")
