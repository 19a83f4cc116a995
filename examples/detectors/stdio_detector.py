#!/usr/bin/env python3
"""A detector on stdin/stdout, in Python 3 with the standard library only (docs/detectors.md "stdio:").

    npx enumbench run scenarios/quickstart.yaml --detector stdio:"python3 examples/detectors/stdio_detector.py"

enumbench writes one JSON object per line on stdin, in availability order:
    {"source": "graphActivity", "record": {...}}      a record, exactly as the source emits it
    {"tick": 17, "now": "2026-11-02T14:05:00.000Z"}    simulated time has reached `now`
and reads one JSON object per line on stdout:
    {"rule": "...", "principal": "...", "evidence": ["<record id>"]}   an alert
    {"ack": 17}                                        everything up to tick 17 is handled
Alerts written before {"ack": N} are stamped with tick N's time. End of input ends the replay:
write the last alerts and exit with status 0. Logs go to stderr (stdout is for the protocol).

The rule: one session listing many directory objects over Microsoft Graph within a window
(MIN_OBJECTS, default 500, within WINDOW_MINUTES, default 15).
"""
import json
import os
import re
import sys
from datetime import datetime
from urllib.parse import parse_qs, urlparse

MIN_OBJECTS = int(os.environ.get("MIN_OBJECTS", "500"))
WINDOW_S = int(os.environ.get("WINDOW_MINUTES", "15")) * 60
LISTING = re.compile(r"^/(v1\.0|beta)/(users|groups|servicePrincipals|devices|applications|directoryRoles|contacts)/?$", re.I)

sessions = {}  # (principal, session) -> {"hits": [(t, objects, id)], "alerted": bool}


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def seconds(iso):
    # Graph logs carry 7 fractional digits: keep 6 for fromisoformat
    iso = re.sub(r"(\.\d{6})\d+", r"\1", iso.replace("Z", "+00:00"))
    return datetime.fromisoformat(iso).timestamp()


def on_graph(r):
    p = r.get("properties") or {}
    uri = urlparse(p.get("requestUri") or "")
    if p.get("requestMethod") != "GET" or not LISTING.match(uri.path):
        return
    principal = p.get("UserPrincipalObjectID") or p.get("servicePrincipalId") or p.get("appId")
    session = p.get("c_Sid") or p.get("signInActivityId") or ""
    t = seconds(p.get("timeGenerated") or r["time"])
    objects = int((parse_qs(uri.query).get("$top") or ["100"])[0])
    s = sessions.setdefault((principal, session), {"hits": [], "alerted": False})
    s["hits"] = [h for h in s["hits"] if t - h[0] <= WINDOW_S] + [(t, objects, p.get("requestId"))]
    if not s["alerted"] and sum(h[1] for h in s["hits"]) >= MIN_OBJECTS:
        s["alerted"] = True
        send({"rule": "graph-bulk-listing", "principal": principal, "sessionId": session,
              "ip": p.get("ipAddress"), "evidence": [h[2] for h in s["hits"]]})


for line in sys.stdin:
    msg = json.loads(line)
    if "tick" in msg:
        send({"ack": msg["tick"]})
    elif msg.get("source") == "graphActivity":
        on_graph(msg["record"])
