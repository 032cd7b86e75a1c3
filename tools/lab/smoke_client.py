"""Runs a notebook through a running Jupyter server, as JupyterLab does.

usage: smoke_client.py BASE_URL TOKEN NOTEBOOK [TIMEOUT_SECONDS]

NOTEBOOK is a path relative to the server's root. The client waits for the
server, checks that GET /api/kernelspecs lists gonb, opens a session for the
notebook with the gonb kernel (POST /api/sessions), checks that JupyterLab
would show the new kernel's status (Idle, not Unknown) before any cell runs,
sends every code cell over the kernel's websocket, then runs the last code
cell a second time (a warm cell), and checks the notebook's declared
expectations (metadata "dlgo": {"expect": {"images": N, "lines": [regexps]}}).
It prints each cell's latency and exits 1 on any failure, naming the cell.

It uses only the standard library and tornado, which Jupyter Server needs.
"""

import asyncio
import html
import json
import re
import sys
import time
import urllib.request
import uuid

import kernel_messages
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect


def api(base, token, method, path, body=None):
    req = urllib.request.Request(
        base + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": "token " + token, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:
        data = r.read()
    return json.loads(data) if data else None


def wait_for_server(base, token, timeout=90):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return api(base, token, "GET", "/api/status")
        except OSError as e:
            if time.monotonic() > deadline:
                sys.exit("smoke: the server did not answer within %ds: %s" % (timeout, e))
            time.sleep(0.5)


def page_config(base, token):
    """JupyterLab's page config (the jupyter-config-data of /lab), or None
    when the page cannot be read."""
    req = urllib.request.Request(base + "/lab", headers={"Authorization": "token " + token})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            page = r.read().decode()
    except OSError as e:
        print("smoke: GET %s/lab: %s" % (base, e))
        return None
    m = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(html.unescape(m.group(1))) if m else None


async def shown_status(ws, session, untracked, timeout=60):
    """Sends kernel_info_request, as JupyterLab does when it connects, and
    returns the kernel status JupyterLab would then show: that of the last
    iopub status message it does not skip (it skips those whose parent's type
    is in the server's untracked_message_types), or "unknown"."""
    msg_id, msg = kernel_messages.request(session, msg_type="kernel_info_request", username="smoke")
    await ws.write_message(json.dumps(msg))
    shown, replied, idle = "unknown", False, False
    end = time.monotonic() + timeout
    while not (replied and idle):
        left = end - time.monotonic()
        if left <= 0:
            break
        try:
            raw = await asyncio.wait_for(ws.read_message(), left)
        except asyncio.TimeoutError:
            break
        if raw is None:
            raise ConnectionError("the kernel's websocket closed")
        m = json.loads(raw)
        parent = m.get("parent_header") or {}
        if m["header"]["msg_type"] == "status" and parent.get("msg_type") not in untracked:
            shown = m["content"]["execution_state"]
        if parent.get("msg_id") != msg_id:
            continue
        if m["header"]["msg_type"] == "kernel_info_reply":
            replied = True
        elif m["header"]["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            idle = True
    return shown


async def execute(ws, session, code, timeout):
    """Runs code; returns (seconds, outputs, reply status)."""
    msg_id, msg = kernel_messages.request(session, code, username="smoke")
    reply = kernel_messages.Reply(msg_id)
    start = time.monotonic()
    await ws.write_message(json.dumps(msg))
    while not reply.done:
        left = timeout - (time.monotonic() - start)
        if left <= 0:
            raise TimeoutError("no reply within %ds" % timeout)
        raw = await asyncio.wait_for(ws.read_message(), left)
        if raw is None:
            raise ConnectionError("the kernel's websocket closed")
        reply.add(json.loads(raw))
    return time.monotonic() - start, reply.outputs, reply.status


def problems(outputs):
    """Error outputs and stderr of one cell."""
    found = []
    for t, c in outputs:
        if t == "error":
            found.append("%s: %s" % (c.get("ename"), c.get("evalue")))
        elif t == "stream" and c.get("name") == "stderr":
            found.append("stderr: " + c.get("text", "").strip())
    return found


async def run(base, token, path, timeout):
    status = wait_for_server(base, token)
    print("smoke: server up (%s kernels running)" % status.get("kernels"))
    specs = api(base, token, "GET", "/api/kernelspecs")["kernelspecs"]
    if "gonb" not in specs:
        sys.exit("smoke: /api/kernelspecs lists %s, not gonb" % sorted(specs))
    print("smoke: /api/kernelspecs lists gonb (%s)" % specs["gonb"]["spec"]["display_name"])

    with urllib.request.urlopen(
        urllib.request.Request(base + "/api/contents/" + path, headers={"Authorization": "token " + token}),
        timeout=30,
    ) as r:
        nb = json.loads(r.read())["content"]
    cells = [(i, "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
             for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]
    expect = nb["metadata"].get("dlgo", {}).get("expect")
    if expect is None:
        sys.exit("smoke: %s declares no expectations" % path)

    sess = api(base, token, "POST", "/api/sessions",
               {"path": path, "type": "notebook", "name": path, "kernel": {"name": "gonb"}})
    kernel_id = sess["kernel"]["id"]
    ws_base = base.replace("http", "ws", 1)
    ws = await websocket_connect(
        HTTPRequest(
            "%s/api/kernels/%s/channels?session_id=%s" % (ws_base, kernel_id, uuid.uuid4().hex),
            headers={"Authorization": "token " + token},
            connect_timeout=30,
        ),
        max_message_size=256 << 20,
    )
    session = uuid.uuid4().hex
    failed = False
    images, texts = 0, []
    try:
        config = page_config(base, token)
        if config is None:
            print("smoke: %s: no JupyterLab page config; kernel status before the first cell not checked" % path)
        else:
            shown = await shown_status(ws, session, config.get("untracked_message_types", []))
            if shown != "idle":
                print("smoke: %s: before the first cell JupyterLab would show the kernel status %r, not 'Idle' "
                      "(see tools/lab/jupyter_server_config.py)" % (path, shown.capitalize()))
                return 1
            print("smoke: %s: kernel status before the first cell: Idle" % path)
        runs = cells + [cells[-1]]  # the last cell once more: a warm run
        for n, (i, code) in enumerate(runs):
            label = "cell %d%s" % (i + 1, " again (warm)" if n == len(cells) else "")
            try:
                secs, outputs, reply = await execute(ws, session, code, timeout)
            except (TimeoutError, asyncio.TimeoutError) as e:
                print("smoke: %s: %s, FAILED: timeout: %s" % (path, label, e))
                failed = True
                break
            bad = problems(outputs)
            print("smoke: %s: %s: %.1fs%s" % (path, label, secs, "" if not bad else ", FAILED"))
            for b in bad:
                print("    " + b.replace("\n", "\n    "))
            if bad or reply != "ok":
                failed = True
                break
            if n < len(cells):
                im, tx = kernel_messages.shown(outputs)
                images += im
                texts += tx
    finally:
        ws.close()
        api(base, token, "DELETE", "/api/sessions/" + sess["id"])
    if failed:
        return 1
    text = "\n".join(texts)
    if images < expect.get("images", 0):
        print("smoke: %s: %d image(s), want at least %d" % (path, images, expect["images"]))
        failed = True
    for line in expect.get("lines", []):
        if not re.search(line, text, re.M):
            print("smoke: %s: no text output matches %r" % (path, line))
            failed = True
    if failed:
        return 1
    print("smoke: %s: ok, with the declared outputs (%d image(s), %d line pattern(s))"
          % (path, images, len(expect.get("lines", []))))
    return 0


def main():
    base, token, path = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    timeout = int(sys.argv[4]) if len(sys.argv) > 4 else 300
    sys.exit(asyncio.run(run(base, token, path, timeout)))


if __name__ == "__main__":
    main()
