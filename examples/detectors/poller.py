#!/usr/bin/env python3
"""A detector as a separate program, in Python 3 with the standard library only.

It polls the Office 365 Management Activity API and the Graph activity logs that Entra diagnostic
settings archive to a storage account, as a production collector does, and alerts on bulk
directory listings. Configured by the environment enumbench gives a `process:` detector
(docs/detectors.md); pointed at the real services it runs unchanged:

    npx enumbench run scenarios/quickstart.yaml --detector process:"python3 examples/detectors/poller.py"

Options: POLL_SECONDS (5); MIN_OBJECTS (500 directory objects listed by one session within
WINDOW_MINUTES, 15); ALERT_ON=all alerts on every record fetched (a test of the bench). Logs: stderr.
"""
import calendar, json, os, re, sys, time
import urllib.error, urllib.parse, urllib.request

env = os.environ
TENANT, LOGIN, API = env["ENUMBENCH_TENANT_ID"], env["ENUMBENCH_LOGIN_URL"], env["ENUMBENCH_MANAGEMENT_URL"]
POLL_S = float(env.get("POLL_SECONDS", "5"))
MIN_OBJECTS, WINDOW_S = int(env.get("MIN_OBJECTS", "500")), int(env.get("WINDOW_MINUTES", "15")) * 60
ALERT_ON_ALL = env.get("ALERT_ON") == "all"
CONTENT_TYPES = ["Audit.AzureActiveDirectory", "Audit.Exchange", "Audit.SharePoint", "Audit.General", "DLP.All"]

def http(url, method="GET", body=None, headers=None, tries=6):
    """One request; throttling (429, AF429's 403), server errors and resets are retried with backoff."""
    for attempt in range(1, tries + 1):
        req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=60) as res:
                return res.status, res.headers, res.read()
        except urllib.error.HTTPError as e:
            status, headers_, data = e.code, e.headers, e.read()
            if attempt == tries or not (status == 429 or status >= 500 or b"AF429" in data):
                return status, headers_, data
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if attempt == tries:
                raise
        time.sleep(0.2 * 2**attempt)

# OAuth 2.0 client credentials (learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow)
token = {"value": "", "until": 0.0}

def bearer():
    if time.time() >= token["until"]:
        form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": env["ENUMBENCH_CLIENT_ID"],
                                       "client_secret": env["ENUMBENCH_CLIENT_SECRET"],
                                       "scope": "https://manage.office.com/.default"}).encode()
        _, _, data = http(f"{LOGIN}/{TENANT}/oauth2/v2.0/token", "POST", form)
        j = json.loads(data)
        token.update(value=j["access_token"], until=time.time() + int(j["expires_in"]) - 300)
    return {"Authorization": "Bearer " + token["value"]}

# Management Activity API: start the subscriptions, list available content (paging with the
# NextPageUri header), fetch each content blob once
FEED = f"{API}/api/v1.0/{TENANT}/activity/feed"
seen_blobs = set()

def poll_audit(on_record):
    for ct in CONTENT_TYPES:
        url = f"{FEED}/subscriptions/content?contentType={ct}"
        while url:
            status, headers, data = http(url, headers=bearer())
            if status != 200:
                break
            for blob in json.loads(data):
                if blob["contentId"] in seen_blobs or (got := http(blob["contentUri"], headers=bearer()))[0] != 200:
                    continue  # already fetched; or expired or failing: listed again on the next pass
                seen_blobs.add(blob["contentId"])
                for r in json.loads(got[2]):
                    on_record("ual", r.get("Id"), r)
            url = headers.get("NextPageUri")

# Diagnostic-settings storage (Blob REST API): hourly PT1H.json append blobs, read from the last offset
storage = urllib.parse.urlsplit(env["ENUMBENCH_DIAGNOSTICS_URL"])
SAS, BASE = storage.query, f"{storage.scheme}://{storage.netloc}{storage.path.rstrip('/')}"
offsets = {}

tags = lambda xml, tag: [m.replace("&amp;", "&") for m in re.findall(f"<{tag}>([^<]*)</{tag}>", xml)]
def poll_graph(on_record):
    _, _, data = http(f"{BASE}/?comp=list&{SAS}")
    for c in (n for n in tags(data.decode(), "Name") if n.startswith("insights-logs-")):
        marker = ""
        while True:  # List Blobs pages with NextMarker
            _, _, xml = http(f"{BASE}/{c}?restype=container&comp=list&marker={urllib.parse.quote(marker)}&{SAS}")
            xml = xml.decode()
            for blob in xml.split("<Blob>")[1:]:
                name, length = tags(blob, "Name")[0], int(tags(blob, "Content-Length")[0])
                key = f"{c}/{name}"
                if (start := offsets.get(key, 0)) >= length:
                    continue
                status, _, text = http(f"{BASE}/{c}/{urllib.parse.quote(name)}?{SAS}", headers={"x-ms-range": f"bytes={start}-"})
                if status not in (200, 206):
                    continue  # failing: read again from the same offset on the next pass
                complete = text[: text.rfind(b"\n") + 1]  # a line still being written waits
                offsets[key] = start + len(complete)
                for r in (json.loads(line) for line in complete.decode().splitlines() if line.strip()):
                    on_record(r.get("category"), r["properties"].get("requestId") or r["properties"].get("id"), r)
            if not (marker := (tags(xml, "NextMarker") or [""])[0]):
                break

# The rule: one session listing many directory objects over Microsoft Graph within a window
LISTING = re.compile(r"^/(v1\.0|beta)/(users|groups|servicePrincipals|devices|applications|directoryRoles|contacts)/?$", re.I)
sessions, seen_ids, alerts = {}, set(), []

def on_record(source, rid, r):
    if not rid or rid in seen_ids:
        return  # the services deliver some records twice: dedupe on the id
    seen_ids.add(rid)
    if ALERT_ON_ALL:
        alerts.append({"rule": "every-record", "evidence": [rid]})
    if source != "MicrosoftGraphActivityLogs":
        return
    p = r.get("properties", {})
    uri = urllib.parse.urlsplit(p.get("requestUri", ""))
    if p.get("requestMethod") != "GET" or not LISTING.match(uri.path):
        return
    principal = p.get("UserPrincipalObjectID") or p.get("servicePrincipalId") or p.get("appId")
    session = p.get("c_Sid") or p.get("signInActivityId") or ""
    t = calendar.timegm(time.strptime((p.get("timeGenerated") or r["time"])[:19], "%Y-%m-%dT%H:%M:%S"))
    objects = int(urllib.parse.parse_qs(uri.query).get("$top", ["100"])[0])
    s = sessions.setdefault((principal, session), {"hits": [], "alerted": False})
    s["hits"] = [h for h in s["hits"] if t - h[0] <= WINDOW_S] + [(t, objects, rid)]
    if sum(h[1] for h in s["hits"]) >= MIN_OBJECTS and not s["alerted"]:
        s["alerted"] = True
        alerts.append({"rule": "graph-bulk-listing", "principal": principal, "sessionId": session,
                       "ip": p.get("ipAddress"), "evidence": [h[2] for h in s["hits"]]})

def send_alerts():  # POST to ENUMBENCH_ALERTS_URL: one alert object, an array or JSON lines
    if alerts and (got := http(env["ENUMBENCH_ALERTS_URL"], "POST", json.dumps(alerts).encode()))[0] >= 300:
        print(f"alerts refused: HTTP {got[0]} {got[2].decode()[:500]}", file=sys.stderr)
    alerts.clear()

for ct in CONTENT_TYPES:
    http(f"{FEED}/subscriptions/start?contentType={ct}", "POST", b"", bearer())  # AF20024 (already on) is fine
# enumbench's clock says when the replay is over; in lockstep each tick is acknowledged once collected
CLOCK, LOCKSTEP = env.get("ENUMBENCH_CLOCK_URL"), env.get("ENUMBENCH_LOCKSTEP_URL")
while True:
    state = json.loads(http(LOCKSTEP or CLOCK)[2]) if CLOCK else {"done": False}
    poll_audit(on_record)
    poll_graph(on_record)
    send_alerts()
    if state["done"]:
        break  # everything was published before this pass: nothing more will come
    if LOCKSTEP:
        http(LOCKSTEP, "POST", json.dumps({"tick": state["tick"]}).encode())
    else:
        time.sleep(POLL_S)
