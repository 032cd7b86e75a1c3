"""Load test of the class hub: N simulated students at once, through the hub's
REST API and the kernels' websockets, as JupyterLab drives them.

usage (as root, with the hub running; tools/hub/loadtest is the wrapper):
  tools/hub/loadtest [--students 20] [--notebook ko/07_performance.ipynb] [--warm 5]
                     [--keep-users] [--cold-cache] [--json FILE] ...

--students takes a comma list (5,10,20,40): one round per number, each with
new students. In a round every student, all at once:
  1. logs in and starts their server: student 1 through the login form (the
     first-login password is set, the cookie session starts the server and
     opens /user/NAME/lab, as a browser does), the others with an API token of
     their own (made with the admin token);
  2. finds the notebook in their own copy (~/dlgo/ko/...: the first-login copy),
     opens it with the sessions API (so the kernel runs in the notebook's
     folder), and runs every code cell over the kernel's websocket, checking
     the outputs it declares (metadata dlgo.expect) and that no cell fails;
  3. reruns a cheap cell --warm times (warm cells), closes the session, stops
     the server.
Meanwhile /proc is sampled every second: the sum of RSS of each student's
processes, and the load average. Printed per round: time to a ready server,
first Go cell and warm cell latency (p50, p95), the whole notebook, peak
memory per student (sampled RSS; the cgroup's peak, which counts page cache
too), CPU seconds per student (cgroup), failures.

--pace S: each student waits 0.5-1.5 x S seconds before each cell (a class
reading between cells; default: none, every cell at once). --cpu-breakdown:
the students' CPU seconds by process kind (build, kernel, cell programs,
server), from the kernel's process accounting, switched on for the round only.
--cold-cache: students start without the primed build cache.

Everything is bounded: --cell-timeout per cell, --timeout per round; loopback
only. At the end the simulated students' servers are stopped and the users
removed (--keep-users keeps them, with their homes).
"""

import argparse
import atexit
import ctypes
import json
import os
import pwd
import random
import re
import statistics
import struct
import sys
import threading
import time
import traceback
import uuid

import requests
import websocket

HERE = os.path.dirname(os.path.abspath(__file__))
H = os.environ.get("HUB_PREFIX", "/opt/dlgo-hub")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(H, "etc"))
import hubadmin  # noqa: E402

sys.path.insert(0, os.path.join(HERE, "..", "lab"))
import kernel_messages  # noqa: E402  (shared with the lab's smoke client)

PORT = int(os.environ.get("HUB_PORT", "8000"))
BASE = "http://127.0.0.1:%d" % PORT  # through the proxy, as students come in
ADMIN_API = "http://127.0.0.1:%d/hub/api" % (PORT + 1)


def pct(xs, p):
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100.0
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


class Deadline(Exception):
    pass


class Sampler(threading.Thread):
    """Every second: summed RSS of each watched uid's processes; load average."""

    def __init__(self, uids):
        super().__init__(daemon=True)
        self.uids = dict(uids)  # uid -> name
        self.peak = {n: 0 for n in self.uids.values()}
        self.load = []
        self.stop_ev = threading.Event()

    def run(self):
        while not self.stop_ev.wait(1.0):
            sums = {}
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    with open("/proc/%s/status" % pid) as f:
                        uid = rss = None
                        for line in f:
                            if line.startswith("Uid:"):
                                uid = int(line.split()[1])
                            elif line.startswith("VmRSS:"):
                                rss = int(line.split()[1]) * 1024
                                break
                except OSError:
                    continue
                if uid in self.uids and rss:
                    sums[uid] = sums.get(uid, 0) + rss
            for uid, s in sums.items():
                n = self.uids[uid]
                self.peak[n] = max(self.peak[n], s)
            self.load.append(loadavg()[0])


class Accounting:
    """Where the students' CPU time goes, from the kernel's process accounting
    (acct(2), format v3): every process that exits is recorded with its user,
    command name and CPU time. On only during a round with --cpu-breakdown
    (it is machine-wide; it is switched off at the end, also on errors)."""

    FMT = struct.Struct("<ccHIIIIIIf8H16s")
    KINDS = [("go command", ("go",)),
             ("compile", ("compile", "asm", "cgo", "vet", "cover")),
             ("link", ("link",)),
             ("goimports", ("goimports",)),
             ("gopls", ("gopls",)),
             ("gonb kernel", ("gonb",)),
             ("cell programs", ()),
             ("Jupyter server (and student-init)", ("python", "python3", "jupyterhub-sing", "jupyter-lab",
                                                    "jupyter", "dlgo-singleuser")),
             ("setup line (bash)", ("bash", "sh")),
             ("first-login copy (cp)", ("cp",))]

    def __init__(self, path):
        self.path = path
        self.libc = ctypes.CDLL(None, use_errno=True)
        open(path, "wb").close()
        os.chmod(path, 0o600)
        if self.libc.acct(path.encode()) != 0:
            raise OSError(ctypes.get_errno(), "acct(%s)" % path)
        atexit.register(self.off)

    def off(self):
        self.libc.acct(None)

    @staticmethod
    def comp(c):
        return (c & 0x1FFF) << (3 * ((c >> 13) & 7))

    def breakdown(self, uids):
        """{kind: CPU seconds} summed over the students (uids)."""
        self.off()
        out, self.others = {}, {}
        with open(self.path, "rb") as f:
            data = f.read()
        for off in range(0, len(data) - self.FMT.size + 1, self.FMT.size):
            rec = self.FMT.unpack_from(data, off)
            if ord(rec[1]) & 0x0F != 3 or rec[4] not in uids:
                continue
            secs = (self.comp(rec[10]) + self.comp(rec[11])) / 100.0  # AHZ = 100
            comm = rec[18].split(b"\0")[0].decode(errors="replace")
            kind = "other"
            if comm.startswith("gonb_"):
                kind = "cell programs"
            elif comm.startswith("ZMQbg"):  # the server's last thread names it
                kind = "Jupyter server (and student-init)"
            else:
                for k, names in self.KINDS:
                    if comm in names:
                        kind = k
                        break
            if kind == "other":
                self.others[comm] = self.others.get(comm, 0.0) + secs
            out[kind] = out.get(kind, 0.0) + secs
        os.unlink(self.path)
        return out


class Student(threading.Thread):
    def __init__(self, name, index, args, admin, start_barrier, deadline, cg):
        super().__init__(daemon=True)
        self.cg = cg
        self.name, self.index, self.args, self.admin = name, index, args, admin
        self.barrier, self.deadline = start_barrier, deadline
        self.r = {"name": name, "ok": False, "error": "", "cells": [], "warm": []}
        self.token = None

    # --- helpers
    def left(self, cap=None):
        t = self.deadline - time.monotonic()
        if t <= 0:
            raise Deadline("the round's time limit was reached")
        return min(t, cap) if cap else t

    def api(self, method, url, token=None, **kw):
        h = {"Authorization": "token " + (token or self.token)}
        r = requests.request(method, url, headers=h, timeout=self.left(60), **kw)
        if r.status_code >= 400:
            raise RuntimeError("%s %s: %d %s" % (method, url.replace(BASE, ""), r.status_code, r.text[:200]))
        return r.json() if r.content else None

    def wait_ready(self, session=None):
        u = "%s/users/%s" % (ADMIN_API, self.name)
        while True:
            self.left()
            info = requests.get(u, headers={"Authorization": "token " + self.admin}, timeout=self.left(30)).json()
            s = info.get("servers", {}).get("")
            if s and s.get("ready"):
                return
            if s is None and info.get("pending") is None and time.monotonic() - self.t0 > 5:
                raise RuntimeError("the server is neither pending nor running")
            time.sleep(0.25)

    # --- the student
    def run(self):
        try:
            self.barrier.wait(timeout=120)
            self.t0 = time.monotonic()
            self.login_and_start()
            self.r["ready"] = time.monotonic() - self.t0
            self.notebook()
            self.r["ok"] = not self.r["error"]
        except Exception as e:  # a failure of this student, counted
            self.r["error"] = self.r["error"] or ("%s: %s" % (type(e).__name__, e))
            if self.args.verbose:
                traceback.print_exc()
        finally:
            self.r["done"] = time.monotonic() - getattr(self, "t0", time.monotonic())
            if self.cg is not None and self.cg.mode:
                st = self.cg.stats(self.name)  # read before the stop removes the cgroup
                if "mem_peak" in st:
                    self.r["cg_peak"] = st["mem_peak"]
                if "cpu_seconds" in st:
                    self.r["cpu"] = st["cpu_seconds"]
            try:
                self.stop_server()
            except Exception as e:
                self.r["error"] = self.r["error"] or "stopping: %s" % e

    def login_and_start(self):
        # the student's own API token (the admin's token makes it)
        tok = requests.post("%s/users/%s/tokens" % (ADMIN_API, self.name),
                            headers={"Authorization": "token " + self.admin},
                            json={"note": "loadtest", "expires_in": 7200}, timeout=self.left(60))
        if tok.status_code != 201:
            raise RuntimeError("token: %d %s" % (tok.status_code, tok.text[:200]))
        self.token = tok.json()["token"]
        if self.index == 0 and not self.args.no_form_login:
            self.form_login()
        else:
            self.api("POST", "%s/hub/api/users/%s/server" % (BASE, self.name))
            self.wait_ready()

    def browse(self, s, method, url, **kw):
        """A request of the browser-like session s. Like a browser, it retries
        once when a kept-alive connection was closed under it (the proxy closes
        connections idle for 5 s; a loaded machine can hit that race)."""
        for attempt in (1, 2):
            try:
                return s.request(method, url, timeout=self.left(120), **kw)
            except requests.ConnectionError:
                if attempt == 2:
                    raise
                self.r["retries"] = self.r.get("retries", 0) + 1

    def form_login(self):
        """As a browser: the login form (first login sets the password), the
        spawn through the cookie session, then /user/NAME/lab."""
        s = requests.Session()
        r = self.browse(s, "GET", BASE + "/hub/login")
        xsrf = s.cookies.get("_xsrf") or ""
        password = hubadmin.new_password()
        r = self.browse(s, "POST", BASE + "/hub/login?next=", allow_redirects=False,
                        data={"username": self.name, "password": password, "_xsrf": xsrf})
        if r.status_code != 302:
            raise RuntimeError("form login: %d (want a redirect)" % r.status_code)
        r = self.browse(s, "GET", BASE + "/hub/spawn", allow_redirects=False)
        if r.status_code not in (200, 302, 303):
            raise RuntimeError("spawn after login: %d" % r.status_code)
        self.wait_ready()
        r = self.browse(s, "GET", BASE + "/user/%s/lab" % self.name)
        if r.status_code != 200 or "/user/%s/lab" % self.name not in r.url:
            raise RuntimeError("the lab page after a form login: %d at %s" % (r.status_code, r.url))
        # a wrong password is refused
        bad = requests.Session()
        self.browse(bad, "GET", BASE + "/hub/login")
        r = self.browse(bad, "POST", BASE + "/hub/login", allow_redirects=False,
                        data={"username": self.name, "password": password + "x",
                              "_xsrf": bad.cookies.get("_xsrf") or ""})
        if r.status_code == 302:
            raise RuntimeError("a wrong password was accepted")
        self.r["form_login"] = True

    def notebook(self):
        user = "%s/user/%s" % (BASE, self.name)
        path = "dlgo/" + self.args.notebook
        nb = self.api("GET", "%s/api/contents/%s" % (user, path))["content"]
        cells = [(i, "".join(c["source"]) if isinstance(c["source"], list) else c["source"], c.get("id", ""))
                 for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]
        expect = nb.get("metadata", {}).get("dlgo", {}).get("expect", {})
        old_form = '="$(cd "$GONB_DIR" && go list -m -f \'{{.Dir}}\')"'
        new_form = '="${DLGO_ROOT:-$(cd "$GONB_DIR" && go list -m -f \'{{.Dir}}\')}"'
        want = self.args.setup_line
        if want == "mixed":
            want = "dlgo-root" if self.index % 2 else "gonb-dir"
        if want == "dlgo-root":  # the setup line's DLGO_ROOT form (a patched copy of the cell)
            cells[0] = (cells[0][0], cells[0][1].replace(old_form, new_form), cells[0][2])
        elif want == "gonb-dir":  # its earlier form, which finds dl from the notebook's folder
            cells[0] = (cells[0][0], cells[0][1].replace(new_form, old_form), cells[0][2])
        self.r["setup_line"] = "DLGO_ROOT" if "DLGO_ROOT" in cells[0][1] else "GONB_DIR only"
        sess = self.api("POST", user + "/api/sessions",
                        json={"path": path, "type": "notebook", "name": os.path.basename(path),
                              "kernel": {"name": "gonb"}})
        kid = sess["kernel"]["id"]
        ws = websocket.create_connection(
            "ws://127.0.0.1:%d/user/%s/api/kernels/%s/channels?session_id=%s" % (PORT, self.name, kid, uuid.uuid4().hex),
            header=["Authorization: token " + self.token], timeout=self.left(60))
        session = uuid.uuid4().hex
        texts, images = [], 0
        try:
            first_go = None
            for n, (i, code, cid) in enumerate(cells):
                if self.args.pace and n > 0:  # reading the text before the next cell
                    time.sleep(min(self.left(), random.uniform(0.5, 1.5) * self.args.pace))
                secs, outs, status = self.execute(ws, session, code)
                self.r["cells"].append({"cell": i + 1, "id": cid, "secs": secs})
                bad = [o for o in outs if o[0] == "error" or (o[0] == "stream" and o[1].get("name") == "stderr"
                                                            and not expect.get("stderr"))]
                if status != "ok" or bad:
                    detail = bad[0][1] if bad else {}
                    raise RuntimeError("cell %d (%s): %s %s" % (i + 1, cid, status,
                                       (detail.get("evalue") or detail.get("text") or "")[:300].strip()))
                im, tx = kernel_messages.shown(outs)
                images += im
                texts += tx
                if first_go is None and n > 0:
                    first_go = secs
                    self.r["first"] = secs
            self.r["notebook"] = sum(c["secs"] for c in self.r["cells"])
            # warm: a cheap cell again (the first %% cell after the declarations)
            warm = next((c for c in cells[2:] if c[1].lstrip().startswith("%%")), cells[-1])
            for _ in range(self.args.warm):
                if self.args.think or self.args.pace:
                    time.sleep(min(self.left(), self.args.think or random.uniform(0.5, 1.5) * self.args.pace))
                secs, outs, status = self.execute(ws, session, warm[1])
                if status != "ok" or any(o[0] == "error" for o in outs):
                    raise RuntimeError("warm cell %d failed" % (warm[0] + 1))
                self.r["warm"].append(secs)
        finally:
            try:
                ws.close()
            except Exception:
                pass
            try:
                self.api("DELETE", "%s/api/sessions/%s" % (user, sess["id"]))
            except Exception:
                pass
        text = "\n".join(texts)
        missing = [p for p in expect.get("lines", []) if not re.search(p, text, re.M)]
        if images < expect.get("images", 0) or missing:
            self.r["error"] = "declared outputs missing: %d/%d images, lines %s" % (
                images, expect.get("images", 0), missing[:3])

    def execute(self, ws, session, code):
        msg_id, msg = kernel_messages.request(session, code, username=self.name)
        reply = kernel_messages.Reply(msg_id)
        ws.send(json.dumps(msg))
        start = time.monotonic()
        limit = start + self.args.cell_timeout
        while not reply.done:
            left = min(limit - time.monotonic(), self.left())
            if left <= 0:
                raise TimeoutError("no reply within %ds" % self.args.cell_timeout)
            ws.settimeout(left)
            reply.add(json.loads(ws.recv()))
        return time.monotonic() - start, reply.outputs, reply.status

    def stop_server(self):
        h = {"Authorization": "token " + self.admin}
        requests.delete("%s/users/%s/server" % (ADMIN_API, self.name), headers=h, timeout=60)
        end = time.monotonic() + 90
        while time.monotonic() < end:
            info = requests.get("%s/users/%s" % (ADMIN_API, self.name), headers=h, timeout=30).json()
            if not info.get("servers") and not info.get("pending"):
                return
            time.sleep(0.5)
        raise RuntimeError("the server did not stop within 90s")


def make_students(args, n, admin):
    names = ["%s%02d" % (args.prefix, i + 1) for i in range(n)]
    for name in names:
        hubadmin.create_user(name, "loadtest student")
        if args.cold_cache:
            # an empty build cache marked as primed: student-init copies nothing
            pw = pwd.getpwnam(name)
            d = os.path.join(pw.pw_dir, ".cache", "go-build")
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(H, "gocache-primed", "dlgo-primed-id")) as f:
                pid = f.read()
            with open(os.path.join(d, "dlgo-primed-id"), "w") as f:
                f.write(pid)
            for p in (os.path.dirname(d), d, os.path.join(d, "dlgo-primed-id")):
                os.chown(p, pw.pw_uid, pw.pw_gid)
    r = requests.post(ADMIN_API + "/users", headers={"Authorization": "token " + admin},
                      json={"usernames": names}, timeout=60)
    if r.status_code not in (201, 409):
        raise RuntimeError("creating hub users: %d %s" % (r.status_code, r.text[:200]))
    for name in names:  # a user kept from an earlier run may still have a server
        requests.delete("%s/users/%s/server" % (ADMIN_API, name), headers={"Authorization": "token " + admin}, timeout=60)
    return names


def remove_students(names, admin):
    h = {"Authorization": "token " + admin}
    for name in names:
        try:
            requests.delete("%s/users/%s" % (ADMIN_API, name), headers=h, timeout=60)
        except requests.RequestException:
            pass
        hubadmin.clear_password(name)
        try:
            hubadmin.delete_user(name, delete_home=True)
        except (KeyError, ValueError, OSError) as e:
            print("loadtest: %s not removed: %s" % (name, e), file=sys.stderr)


def round_(args, n, admin):
    names = make_students(args, n, admin)
    acct = None
    try:
        uids = {pwd.getpwnam(u).pw_uid: u for u in names}
        sampler = Sampler(uids)
        cg = None
        try:
            import logging
            from hubspawner import Cgroups
            cg = Cgroups(logging.getLogger("loadtest"))
        except Exception:
            pass
        acct = Accounting("/var/tmp/dlgo-loadtest.pacct") if args.cpu_breakdown else None
        load0 = loadavg()
        sampler.start()
        barrier = threading.Barrier(n)
        deadline = time.monotonic() + args.timeout
        studs = [Student(u, i, args, admin, barrier, deadline, cg) for i, u in enumerate(names)]
        t0 = time.monotonic()
        for s in studs:
            s.start()
        for s in studs:
            s.join(max(1, deadline + 120 - time.monotonic()))
        wall = time.monotonic() - t0
        sampler.stop_ev.set()
        sampler.join(5)
        results = [s.r for s in studs]
        cpu_kinds = acct.breakdown(set(uids)) if acct else None
    finally:  # also on errors and Ctrl-C: no accounting left on, no simulated students left
        if acct:
            acct.off()
        if not args.keep_users:
            remove_students(names, admin)
    row, results = summarize(n, results, sampler, wall, load0, args)
    if cpu_kinds is not None:
        row["cpu_breakdown_s"] = {k: round(v / n, 2) for k, v in sorted(cpu_kinds.items(), key=lambda kv: -kv[1])}
        row["cpu_other_s"] = {k: round(v / n, 2) for k, v in sorted(acct.others.items(), key=lambda kv: -kv[1])[:8]}
    return row, results


def summarize(n, results, sampler, wall, load0, args):
    ok = [r for r in results if r["ok"]]
    fails = [r for r in results if not r["ok"]]
    ready = [r["ready"] for r in results if "ready" in r]
    first = [r["first"] for r in results if "first" in r]
    warm = [w for r in results for w in r["warm"]]
    nb = [r["notebook"] for r in results if "notebook" in r]
    peaks = [sampler.peak.get(r["name"], 0) / 2 ** 20 for r in results]
    cgpeak = [r.get("cg_peak", 0) / 2 ** 20 for r in results if r.get("cg_peak")]
    cpu = [r["cpu"] for r in results if "cpu" in r]
    row = {
        "students": n, "ok": len(ok), "failed": len(fails), "wall_s": round(wall, 1),
        "ready_p50": pct(ready, 50), "ready_p95": pct(ready, 95),
        "first_p50": pct(first, 50), "first_p95": pct(first, 95),
        "warm_p50": pct(warm, 50), "warm_p95": pct(warm, 95),
        "notebook_p50": pct(nb, 50), "notebook_p95": pct(nb, 95),
        "peak_rss_mb_p50": pct(peaks, 50), "peak_rss_mb_max": max(peaks) if peaks else 0,
        "cg_peak_mb_max": max(cgpeak) if cgpeak else None,
        "cg_peak_mb_p50": pct(cgpeak, 50) if cgpeak else None,
        "cpu_s_p50": pct(cpu, 50) if cpu else None,
        "load_start": load0[0], "load_max": max(sampler.load) if sampler.load else None,
        "load_mean": statistics.mean(sampler.load) if sampler.load else None,
        "notebook": args.notebook,
        "errors": sorted(set(r["name"] + ": " + r["error"] for r in fails))[:10],
        "form_login": any(r.get("form_login") for r in results),
        "retries": sum(r.get("retries", 0) for r in results),
    }
    return row, results


def print_table(rows):
    hdr = ("N", "ok", "fail", "ready p50/p95 s", "first cell p50/p95 s", "warm cell p50/p95 s",
           "notebook p50/p95 s", "peak MB/student: RSS p50/max, cgroup max", "CPU s/student", "load start/mean/max",
           "wall s")
    print("| " + " | ".join(hdr) + " |")
    print("|" + "---|" * len(hdr))
    for r in rows:
        f = lambda a, b: "%.1f / %.1f" % (r[a], r[b])  # noqa: E731
        print("| %d | %d | %d | %s | %s | %s | %s | %.0f / %.0f, %s | %s | %.1f / %.1f / %.1f | %.0f |" % (
            r["students"], r["ok"], r["failed"], f("ready_p50", "ready_p95"), f("first_p50", "first_p95"),
            "%.2f / %.2f" % (r["warm_p50"], r["warm_p95"]), f("notebook_p50", "notebook_p95"),
            r["peak_rss_mb_p50"], r["peak_rss_mb_max"],
            "-" if r["cg_peak_mb_max"] is None else "%.0f" % r["cg_peak_mb_max"],
            "-" if r["cpu_s_p50"] is None else "%.0f" % r["cpu_s_p50"],
            r["load_start"], r["load_mean"] or 0, r["load_max"] or 0, r["wall_s"]))
    for r in rows:
        for e in r["errors"]:
            print("  N=%d failure: %s" % (r["students"], e))
        if r.get("retries"):
            print("  N=%d: %d browser request(s) retried after the proxy closed a kept-alive connection" % (
                r["students"], r["retries"]))
        if r.get("cpu_breakdown_s"):
            total = sum(r["cpu_breakdown_s"].values()) or 1
            print("  N=%d CPU seconds per student, by process (process accounting): %s" % (r["students"], ", ".join(
                "%s %.1f (%d%%)" % (k, v, 100 * v / total) for k, v in r["cpu_breakdown_s"].items())))
    sys.stdout.flush()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--students", default="20", help="students at once; a comma list runs several rounds (5,10,20)")
    p.add_argument("--notebook", default="ko/07_performance.ipynb", help="relative to the student's ~/dlgo")
    p.add_argument("--warm", type=int, default=5, help="warm reruns of a cheap cell per student")
    p.add_argument("--think", type=float, default=0, help="seconds between warm reruns")
    p.add_argument("--pace", type=float, default=0,
                   help="a paced class: each student waits 0.5-1.5 times this many seconds before each cell "
                        "(default 0: every cell right after the previous one)")
    p.add_argument("--prefix", default="loadtest", help="user names: PREFIX01, PREFIX02, ...")
    p.add_argument("--keep-users", action="store_true", help="keep the simulated students and their homes")
    p.add_argument("--cold-cache", action="store_true", help="students start with an empty Go build cache")
    p.add_argument("--setup-line", choices=["as-is", "dlgo-root", "gonb-dir", "mixed"], default="as-is",
                   help="run the setup cell in its ${DLGO_ROOT:-...} form, or in its earlier form that finds dl "
                        "from the notebook's folder only (gonb-dir), or mixed: every second student each")
    p.add_argument("--no-form-login", action="store_true")
    p.add_argument("--cpu-breakdown", action="store_true",
                   help="split the students' CPU time by process kind (switches on process accounting during a round)")
    p.add_argument("--cell-timeout", type=int, default=600)
    p.add_argument("--timeout", type=int, default=2400, help="seconds per round, all students")
    p.add_argument("--max-students", type=int, default=100)
    p.add_argument("--pause", type=int, default=90, help="seconds between rounds (the load average settles)")
    p.add_argument("--json", help="write the rows and per-student results here")
    p.add_argument("--verbose", action="store_true")
    args = p.parse_args()
    if os.geteuid() != 0:
        sys.exit("loadtest: run as root (it creates the simulated students' Linux users)")
    counts = [int(x) for x in args.students.split(",") if x.strip()]
    if not counts or min(counts) < 1 or max(counts) > args.max_students:
        sys.exit("loadtest: --students between 1 and %d" % args.max_students)
    admin = hubadmin.admin_token()
    try:
        requests.get(ADMIN_API + "/", timeout=10).raise_for_status()
    except requests.RequestException as e:
        sys.exit("loadtest: the hub does not answer on port %d (tools/hub/start.sh): %s" % (PORT + 1, e))
    rows, allres = [], []
    for k, n in enumerate(counts):
        if k > 0 and args.pause:
            time.sleep(args.pause)  # let the load average forget the previous round
        print("loadtest: %d student(s), %s, load %s" % (n, args.notebook, " ".join("%.2f" % x for x in loadavg())),
              flush=True)
        row, res = round_(args, n, admin)
        rows.append(row)
        allres.append({"row": row, "students": res})
        print_table([row])
    if len(rows) > 1:
        print("\nloadtest: all rounds")
        print_table(rows)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(allres, f, indent=1)
    sys.exit(0 if all(r["failed"] == 0 for r in rows) else 1)


if __name__ == "__main__":
    main()
