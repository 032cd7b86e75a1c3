"""The instructor's commands for the class hub (run as root, by the hub's venv
python, through the tools/hub/add-students and tools/hub/hubctl wrappers, which
set HUB_PREFIX, HUB_STATE, HUB_PORT and the other settings of env.sh).

  add-students [--admin NAME] [--passwords] [CLASS.csv ...]
  hubctl status | sync [USER...] | reset-password USER | set-password USER
         | stop USER | remove USER [--delete-home] | api METHOD PATH [JSON]
         | hand-out NAME [USER...] | collect NAME [USER...] | return-feedback NAME [USER...]
"""

import argparse
import base64
import datetime
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


# ------------------------------------------------------------ assignments
#
# nbgrader's cycle on the hub: the instructor's course folder (default the
# repository's assignments/, where make assignments writes release/NAME) is
# root's; students' homes are theirs. Files cross between them only through a
# process running as the student (setpriv), which reads or writes in the
# student's home and passes the bytes through a pipe to or from this one, so
# a student's symlink can never make root read or write a file the student
# could not; and no student sees another's files or feedback.

ASSIGN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
MAX_FILE = 50 << 20  # a submitted file larger than this is refused

# Runs as the student (or the owner of the course folder): writes the files
# of {name: base64} (stdin, JSON) into DST (made if missing); with REPLACE=0 a
# file already there is kept (a student's work is never overwritten), with 1
# it is replaced atomically (a new submission).
_WRITE_AS_USER = r"""
import base64, json, os, sys
dst, replace = sys.argv[1], sys.argv[2] == "1"
files = json.load(sys.stdin)
os.makedirs(dst, mode=0o700, exist_ok=True)
new = kept = 0
for name, b64 in sorted(files.items()):
    d = os.path.join(dst, name)
    if os.path.lexists(d) and not replace:
        kept += 1
        continue
    tmp = os.path.join(dst, "." + name + ".tmp")
    if os.path.lexists(tmp):
        os.unlink(tmp)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(base64.b64decode(b64))
    os.replace(tmp, d)
    new += 1
print(new, kept)
"""

# Runs as the student: prints {name: base64} of the notebooks in DIR (regular
# files only, each at most MAX bytes), or {} when there is no such folder.
_READ_AS_STUDENT = r"""
import base64, json, os, stat, sys
d, cap = sys.argv[1], int(sys.argv[2])
out, skipped = {}, []
if os.path.isdir(d) and not os.path.islink(d):
    for name in sorted(os.listdir(d)):
        p = os.path.join(d, name)
        if not name.endswith(".ipynb"):
            continue
        try:
            fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            skipped.append(name)
            continue
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode) or st.st_size > cap:
                skipped.append(name)
                continue
            out[name] = base64.b64encode(f.read(cap + 1)).decode()
json.dump({"files": out, "skipped": skipped}, sys.stdout)
"""


def course_dir(args):
    return os.path.abspath(args.course_dir or os.path.join(os.environ.get("REPO", "."), "assignments"))


def check_assignment(name):
    if not ASSIGN_RE.match(name):
        raise ValueError("assignment name %r: use the folder name of release/, e.g. 07_performance_ko" % name)


def class_users(args):
    users = args.users or sorted(set(students()))
    out = []
    for u in users:
        try:
            pw = pwd.getpwnam(u)
        except KeyError:
            say("  %s: no such user (skipped)" % u)
            continue
        if os.path.isdir(pw.pw_dir):
            out.append(pw)
    return out


def as_user(pw, argv, **kw):
    """Runs argv as the user pw (a student, or the instructor who owns the
    course folder; root only if that folder is root's), in their home, with a
    clean environment."""
    env = {"HOME": pw.pw_dir, "USER": pw.pw_name, "LOGNAME": pw.pw_name, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    cmd = ["setpriv", "--reuid", str(pw.pw_uid), "--regid", str(pw.pw_gid), "--init-groups"] + argv
    return subprocess.run(cmd, env=env, cwd=pw.pw_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def read_folder(src):
    """{name: base64} of the regular files directly in src (root's side)."""
    out = {}
    for name in sorted(os.listdir(src)):
        p = os.path.join(src, name)
        if os.path.isfile(p) and not os.path.islink(p):
            with open(p, "rb") as f:
                out[name] = base64.b64encode(f.read()).decode()
    return out


def copy_to_students(args, files_of, sub=""):
    """Writes files_of(pw) ({name: base64}, or None to skip) into every
    student's ~/dlgo/assignments/NAME/sub as the student."""
    py = H + "/venv-user/bin/python"
    n = 0
    for pw in class_users(args):
        files = files_of(pw)
        if files is None:
            continue
        dst = os.path.join(pw.pw_dir, "dlgo", "assignments", args.name, sub)
        r = as_user(pw, [py, "-c", _WRITE_AS_USER, dst.rstrip("/"), "0"], input=json.dumps(files))
        if r.returncode != 0:
            say("  %s: FAILED: %s" % (pw.pw_name, (r.stderr.strip().splitlines() or [r.returncode])[-1]))
            continue
        new, kept = r.stdout.split()
        n += 1
        say("  %s: %s new file(s)%s" % (pw.pw_name, new, ", %s of theirs kept" % kept if kept != "0" else ""))
    return n


def cmd_hand_out(args):
    check_assignment(args.name)
    src = os.path.join(course_dir(args), "release", args.name)
    if not os.path.isdir(src):
        raise ValueError("%s does not exist: run make assignments first (it writes release/NAME), "
                         "or give the course folder with --course-dir" % src)
    files = read_folder(src)
    n = copy_to_students(args, lambda pw: files)
    say("handed out %s to %d student(s): ~/dlgo/assignments/%s/ (a student's own file is never overwritten)"
        % (args.name, n, args.name))


def cmd_collect(args):
    check_assignment(args.name)
    course = course_dir(args)
    py = H + "/venv-user/bin/python"
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    # submissions are written as the owner of the course folder (the
    # instructor's account, who runs nbgrader: never root, since autograding
    # runs the students' code)
    course_owner = pwd.getpwuid(os.stat(course).st_uid)
    got = 0
    for pw in class_users(args):
        src = os.path.join(pw.pw_dir, "dlgo", "assignments", args.name)
        r = as_user(pw, [py, "-c", _READ_AS_STUDENT, src, str(MAX_FILE)])
        if r.returncode != 0:
            say("  %s: FAILED: %s" % (pw.pw_name, (r.stderr.strip().splitlines() or [r.returncode])[-1]))
            continue
        res = json.loads(r.stdout)
        files = res["files"]
        for name in res["skipped"]:
            say("  %s: %s skipped (not a regular file, or larger than %d MB)" % (pw.pw_name, name, MAX_FILE >> 20))
        if not files:
            say("  %s: nothing to collect" % pw.pw_name)
            continue
        files["timestamp.txt"] = base64.b64encode((stamp + "\n").encode()).decode()
        out = os.path.join(course, "submitted", pw.pw_name, args.name)
        r = as_user(course_owner, [py, "-c", _WRITE_AS_USER, out, "1"], input=json.dumps(files))
        if r.returncode != 0:
            say("  %s: FAILED writing %s: %s" % (pw.pw_name, out, (r.stderr.strip().splitlines() or [r.returncode])[-1]))
            continue
        got += 1
        say("  %s: %d notebook(s)" % (pw.pw_name, len(files) - 1))
    say("collected %s from %d student(s) into %s/submitted/ (nbgrader autograde %s next)" % (args.name, got, course, args.name))


def cmd_return_feedback(args):
    check_assignment(args.name)
    course = course_dir(args)

    def feedback_of(pw):
        src = os.path.join(course, "feedback", pw.pw_name, args.name)
        if not os.path.isdir(src):
            say("  %s: no feedback (was the submission graded? nbgrader generate_feedback %s)" % (pw.pw_name, args.name))
            return None
        return read_folder(src)

    n = copy_to_students(args, feedback_of, "feedback")
    say("returned the feedback of %s to %d student(s): ~/dlgo/assignments/%s/feedback/" % (args.name, n, args.name))


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
    for name, fn, what in (("hand-out", cmd_hand_out, "copy release/NAME into every student's ~/dlgo/assignments/NAME"),
                           ("collect", cmd_collect, "copy each student's ~/dlgo/assignments/NAME into submitted/STUDENT/NAME"),
                           ("return-feedback", cmd_return_feedback,
                            "copy feedback/STUDENT/NAME into the student's ~/dlgo/assignments/NAME/feedback")):
        r = sub.add_parser(name, help=what)
        r.add_argument("name", help="the assignment: a folder of release/, e.g. 07_performance_ko")
        r.add_argument("users", nargs="*", help="only these students (default: the class)")
        r.add_argument("--course-dir", help="nbgrader's course folder (default: the repository's assignments/)")
        r.set_defaults(fn=fn)
    args = p.parse_args()
    try:
        args.fn(args)
    except (ValueError, RuntimeError, subprocess.CalledProcessError) as e:
        die(str(e))


if __name__ == "__main__":
    main()
