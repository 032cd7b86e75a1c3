"""The instructor's commands for the class hub (run as root, by the hub's venv
python, through the tools/hub/add-students and tools/hub/hubctl wrappers, which
set HUB_PREFIX, HUB_STATE, HUB_PORT and the other settings of env.sh).

  add-students [--admin NAME] [--passwords] [CLASS.csv ...]
  hubctl status | sync [USER...] | reset-password USER | set-password USER
         | stop USER | remove USER [--delete-home] | api METHOD PATH [JSON]
"""

import argparse
import csv
import dbm
import grp
import json
import os
import pwd
import re
import secrets
import string
import subprocess
import sys
import time

H = os.environ.get("HUB_PREFIX", "/opt/dlgo-hub")
STATE = os.environ.get("HUB_STATE", H + "/state")
GROUP = os.environ.get("HUB_STUDENT_GROUP", "dlgo-students")
PORT = int(os.environ.get("HUB_PORT", "8000"))
NAME_RE = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")
GECOS_MARK = "dlgo-hub"


def die(msg):
    print("hub: " + msg, file=sys.stderr)
    sys.exit(1)


def say(msg):
    print(msg, flush=True)


# ------------------------------------------------------------ the hub's API

def api_base():
    return "http://127.0.0.1:%d/hub/api" % (PORT + 1)  # the hub's own port: no proxy, no TLS


def admin_token():
    try:
        with open(os.path.join(STATE, "admin_token")) as f:
            return f.read().strip()
    except OSError:
        return None


def api(method, path, body=None, timeout=30, ok=(200, 201, 202, 204)):
    import requests
    tok = admin_token()
    if not tok:
        raise RuntimeError("no admin token in %s" % STATE)
    r = requests.request(method, api_base() + path, headers={"Authorization": "token " + tok},
                         json=body, timeout=timeout)
    if r.status_code not in ok:
        raise RuntimeError("%s %s: %d %s" % (method, path, r.status_code, r.text[:300]))
    return r.json() if r.content else None


def hub_running():
    try:
        api("GET", "/")
        return True
    except Exception:
        return False


# ------------------------------------------------------------ passwords (FirstUseAuthenticator's db)

def dbm_path():
    return os.path.join(STATE, "passwords.dbm")


def with_db(fn):
    """Opens the password db (the hub opens it per login: retry when busy)."""
    for attempt in range(20):
        try:
            with dbm.open(dbm_path(), "c", 0o600) as db:
                return fn(db)
        except OSError:
            if attempt == 19:
                raise
            time.sleep(0.2)


def new_password():
    # 12 characters without look-alikes, easy to type from a printed slip
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
    return "".join(secrets.choice(alphabet) for _ in range(12))


def set_password(user, password):
    import bcrypt
    h = bcrypt.hashpw(password.encode(), bcrypt.gensalt())

    def put(db):
        db[user] = h
    with_db(put)


def clear_password(user):
    def delete(db):
        if user.encode() in db:
            del db[user]
            return True
        return False
    return with_db(delete)


# ------------------------------------------------------------ Linux users

def ensure_group(name):
    try:
        grp.getgrnam(name)
    except KeyError:
        subprocess.run(["groupadd", "--system", name], check=True)


def create_user(name, full_name, group=None):
    """Creates the Linux user with a private home (mode 0700) and a locked
    Linux password: students reach the machine through the hub only.
    Returns 'created' or 'exists'; refuses to take over an account that
    add-students did not make."""
    if not NAME_RE.match(name):
        raise ValueError("%r is not a valid user name (lower-case letters, digits, - and _; "
                         "at most 32, not starting with a digit)" % name)
    try:
        pw = pwd.getpwnam(name)
    except KeyError:
        pw = None
    if pw is not None:
        if GECOS_MARK not in pw.pw_gecos:
            raise ValueError("a Linux user %r exists and was not made by add-students: "
                             "choose another name" % name)
        if group:
            subprocess.run(["usermod", "-a", "-G", group, name], check=True)
        os.chmod(pw.pw_dir, 0o700)
        return "exists"
    gecos = "%s,%s" % (full_name.replace(",", " ").replace(":", " ")[:60], GECOS_MARK)
    cmd = ["useradd", "--create-home", "--shell", "/bin/bash", "--comment", gecos, "-K", "HOME_MODE=0700"]
    if group:
        cmd += ["--groups", group]
    subprocess.run(cmd + [name], check=True)
    pw = pwd.getpwnam(name)
    os.chmod(pw.pw_dir, 0o700)
    return "created"


def delete_user(name, delete_home):
    pw = pwd.getpwnam(name)
    if GECOS_MARK not in pw.pw_gecos:
        raise ValueError("%r was not made by add-students: not removing it" % name)
    subprocess.run(["pkill", "-KILL", "-u", name], check=False)
    cmd = ["userdel"] + (["--remove"] if delete_home else []) + [name]
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL if delete_home else None)


def admins():
    names = set(n for n in os.environ.get("HUB_ADMIN", "").replace(",", " ").split() if n)
    try:
        with open(os.path.join(H, "etc", "admins")) as f:
            names |= set(l.strip() for l in f if l.strip() and not l.startswith("#"))
    except OSError:
        pass
    return names


def students():
    try:
        return sorted(grp.getgrnam(GROUP).gr_mem)
    except KeyError:
        return []


def read_class(path):
    """username,name[,...] rows; a header row naming 'username' is skipped;
    blank lines and lines starting with # too."""
    rows = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        for n, row in enumerate(csv.reader(f), 1):
            if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
                continue
            user = row[0].strip().lower()
            if user == "username":
                continue
            full = row[1].strip() if len(row) > 1 else ""
            if not NAME_RE.match(user):
                die("%s line %d: %r is not a valid user name (lower-case letters, digits, - and _)" % (path, n, user))
            rows.append((user, full))
    return rows


# ------------------------------------------------------------ commands

def cmd_add_students(args):
    ensure_group(GROUP)
    live = hub_running()
    printed = []
    if args.admin:
        name = args.admin.lower()
        state = create_user(name, "instructor")
        os.makedirs(os.path.join(H, "etc"), exist_ok=True)
        if name not in admins():
            with open(os.path.join(H, "etc", "admins"), "a") as f:
                f.write(name + "\n")
        say("instructor %s: %s (admin)" % (name, state))
        if state == "created" or args.passwords or not has_password(name):
            pw = new_password()
            set_password(name, pw)
            printed.append((name, "instructor", pw))
        if live:
            api("POST", "/users/" + name, {"admin": True}, ok=(201, 409))
            api("PATCH", "/users/" + name, {"admin": True})
    rows = []
    for path in args.csv:
        rows += read_class(path)
    created = existing = 0
    for user, full in rows:
        state = create_user(user, full or user, GROUP)
        created += state == "created"
        existing += state == "exists"
        if args.passwords:
            pw = new_password()
            set_password(user, pw)
            printed.append((user, full, pw))
    if rows:
        say("students: %d created, %d already there (group %s, homes mode 0700)" % (created, existing, GROUP))
        if live:
            names = [u for u, _ in rows]
            api("POST", "/users", {"usernames": names}, ok=(201, 409))
            say("students added to the running hub")
    if printed:
        say("\nPasswords (shown once; not stored in clear anywhere; a user changes it at /hub/auth/change-password):")
        w = max(len(u) for u, _, _ in printed)
        for u, full, pw in printed:
            say("  %-*s  %s  %s" % (w, u, pw, full))
    elif rows:
        say("No passwords set: each student sets one at the first login (at least 8 characters).\n"
            "Hand out the user names, and have everyone log in during the first class.")
    if not live:
        say("The hub is not running: tools/hub/start.sh (or make hub) starts it.")


def has_password(user):
    return with_db(lambda db: user.encode() in db)


def run_student_init(user):
    pw = pwd.getpwnam(user)
    env = {
        "HOME": pw.pw_dir, "USER": user, "LOGNAME": user,
        "PATH": "%s/venv-user/bin:/usr/bin:/bin" % H,
        "DLGO_ROOT": H + "/course",
        "DLGO_PRIMED_GOCACHE": H + "/gocache-primed",
        "DLGO_GOCACHE_MAX": os.environ.get("HUB_GOCACHE_MAX", "1G"),
    }
    cmd = ["setpriv", "--reuid", str(pw.pw_uid), "--regid", str(pw.pw_gid), "--init-groups",
           H + "/venv-user/bin/python", H + "/bin/student-init", "--quiet"]
    r = subprocess.run(cmd, env=env, cwd=pw.pw_dir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return r.returncode, r.stdout.strip()


def cmd_sync(args):
    users = args.users or sorted(set(students()) | admins())
    n = 0
    for u in users:
        try:
            pw = pwd.getpwnam(u)
        except KeyError:
            continue
        if not os.path.isdir(pw.pw_dir):
            continue
        rc, out = run_student_init(u)
        n += 1
        for line in out.splitlines():
            say("  %s: %s" % (u, line.replace("student-init: ", "")))
        if rc != 0:
            say("  %s: student-init exited %d" % (u, rc))
    say("synced %d home(s) with the course" % n)


def cmd_status(args):
    live = hub_running()
    say("hub: %s on port %d (%s)" % ("running" if live else "NOT running", PORT, H))
    try:
        course = os.readlink(os.path.join(H, "course"))
    except OSError:
        course = "(none)"
    say("course: %s" % course)
    say("students (group %s): %d; instructors: %s" % (GROUP, len(students()), ", ".join(sorted(admins())) or "(none)"))
    if not live:
        return
    users = api("GET", "/users?limit=1000") or []
    running = [u for u in users if u.get("servers", {}).get("")]
    say("servers running: %d" % len(running))
    sys.path.insert(0, os.path.join(H, "etc"))
    try:
        from hubspawner import Cgroups
        import logging
        cg = Cgroups(logging.getLogger("status"))
    except Exception:
        cg = None
    for u in running:
        st = cg.stats(u["name"]) if cg and cg.mode else {}
        say("  %-16s since %s  memory %s MB (peak %s MB)  CPU %s s" % (
            u["name"], u["servers"][""].get("started", "?")[:19],
            st.get("mem_now", 0) >> 20 if st else "?", st.get("mem_peak", 0) >> 20 if st else "?",
            "%.0f" % st["cpu_seconds"] if "cpu_seconds" in st else "?"))


def cmd_reset_password(args):
    if clear_password(args.user):
        say("%s: password cleared; the next login sets a new one (tell the student to log in now)" % args.user)
    else:
        say("%s: had no password; the next login sets one" % args.user)


def cmd_set_password(args):
    pw = new_password()
    set_password(args.user, pw)
    say("%s: new password (shown once): %s" % (args.user, pw))


def cmd_stop(args):
    api("DELETE", "/users/%s/server" % args.user, ok=(202, 204, 400, 404))
    say("%s: server stopping" % args.user)


def cmd_remove(args):
    if hub_running():
        try:
            api("DELETE", "/users/%s/server" % args.user, ok=(202, 204, 400, 404))
            for _ in range(60):
                u = api("GET", "/users/" + args.user, ok=(200, 404))
                if not u or not u.get("servers"):
                    break
                time.sleep(0.5)
            api("DELETE", "/users/" + args.user, ok=(204, 404))
        except RuntimeError as e:
            say("hub: %s" % e)
    clear_password(args.user)
    delete_user(args.user, args.delete_home)
    say("%s: removed%s" % (args.user, " with the home directory" if args.delete_home else " (home kept)"))


def cmd_api(args):
    body = json.loads(args.json) if args.json else None
    out = api(args.method.upper(), args.path, body, ok=tuple(range(200, 300)))
    if out is not None:
        say(json.dumps(out, indent=1))


def main():
    if os.geteuid() != 0:
        die("run as root")
    p = argparse.ArgumentParser(prog="hubctl")
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("add-students", help="create the class's users from CSV files")
    a.add_argument("--admin", help="the instructor's user name (an admin of the hub)")
    a.add_argument("--passwords", action="store_true",
                   help="give every listed user a random password, printed once (default: set at first login)")
    a.add_argument("csv", nargs="*")
    a.set_defaults(fn=cmd_add_students)
    s = sub.add_parser("sync", help="bring new course notebooks and primed cache entries to students' homes")
    s.add_argument("users", nargs="*")
    s.set_defaults(fn=cmd_sync)
    sub.add_parser("status", help="the hub, the course, running servers with memory and CPU").set_defaults(fn=cmd_status)
    r = sub.add_parser("reset-password", help="clear a password: the next login sets it")
    r.add_argument("user")
    r.set_defaults(fn=cmd_reset_password)
    r = sub.add_parser("set-password", help="set a random password, printed once")
    r.add_argument("user")
    r.set_defaults(fn=cmd_set_password)
    r = sub.add_parser("stop", help="stop a student's server")
    r.add_argument("user")
    r.set_defaults(fn=cmd_stop)
    r = sub.add_parser("remove", help="remove a student (hub user, password, Linux user)")
    r.add_argument("user")
    r.add_argument("--delete-home", action="store_true")
    r.set_defaults(fn=cmd_remove)
    r = sub.add_parser("api", help="call the hub's REST API with the admin token")
    r.add_argument("method")
    r.add_argument("path", help="e.g. /users")
    r.add_argument("json", nargs="?")
    r.set_defaults(fn=cmd_api)
    args = p.parse_args()
    try:
        args.fn(args)
    except (ValueError, RuntimeError, subprocess.CalledProcessError) as e:
        die(str(e))


if __name__ == "__main__":
    main()
