#!/usr/bin/env bash
# The class hub's check, sized for CI (a few minutes after tools/lab/install.sh):
#   1. installs the hub if needed (tools/hub/install.sh);
#   2. starts a hub of its own (ports 18400-18402, students' servers from 18410,
#      state in $HUB_PREFIX/state-test), beside any class hub;
#   3. runs the load test with 3 students on ko/00_smoke.ipynb (one form login,
#      the others through the API; the setup line in both its forms: with
#      DLGO_ROOT, and the earlier one that finds dl from the notebook's folder
#      through ~/dlgo/go.work): servers start, the notebook runs from each
#      student's own copy, declared outputs appear, warm reruns;
#   4. checks the first-login copy: both editions in ~/dlgo, identical to the
#      course; homes mode 0700, unreadable by another student; the shared
#      course and module cache not writable by students;
#   5. checks a course update: a changed notebook arrives as
#      NAME.updated-DATE.ipynb beside the student's (never overwritten), a new
#      one is copied, one the student deleted stays deleted;
#   6. checks an assignment's round trip: hubctl hand-out (a student's work
#      is never overwritten), collect into nbgrader's submitted/ (a student's
#      symlink cannot make root read a file), return-feedback to its student;
#   7. stops the hub and checks that no student process is left.
# Exit status 0 when all pass. Runs as root.
set -euo pipefail
export HUB_PORT="${TEST_HUB_PORT:-18400}" HUB_USER_PORTS="${TEST_HUB_USER_PORTS:-18410}"
export HUB_PREFIX="${HUB_PREFIX:-/opt/dlgo-hub}"
export HUB_STATE="$HUB_PREFIX/state-test" HUB_IDLE_TIMEOUT=0
# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
hub_need_root

t0=$(date +%s)
log() { echo "hub/test: $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }
users=(hubtest01 hubtest02 hubtest03)
tmp="$(mktemp -d)"
cleanup() {
	rc=$?
	if [ "$rc" != 0 ]; then
		echo "---- the end of the hub's log ($HUB_STATE/hub.log):" >&2
		tail -n 40 "$HUB_STATE/hub.log" >&2 2>/dev/null || true
		log "failed after $(($(date +%s) - t0))s"
	fi
	"$HUB_SRC/stop.sh" >/dev/null 2>&1 || true
	for u in "${users[@]}"; do
		if id "$u" >/dev/null 2>&1; then
			pkill -KILL -u "$u" 2>/dev/null || true
			userdel --remove "$u" 2>/dev/null || true
		fi
	done
	rm -rf "$tmp" "$HUB_STATE"
	exit "$rc"
}
trap cleanup EXIT

"$HUB_SRC/install.sh"
rm -rf "$HUB_STATE"
mkdir -p "$HUB_STATE" && chmod 700 "$HUB_STATE"
"$HUB_PREFIX/venv-hub/bin/python" -c 'import secrets; print(secrets.token_hex(32))' >"$HUB_STATE/admin_token"
chmod 600 "$HUB_STATE/admin_token"
t1=$(date +%s)
"$HUB_SRC/start.sh" || { tail -n 40 "$HUB_STATE/hub.log" >&2; exit 1; }
log "hub started in $(($(date +%s) - t1))s"
# (the page is read whole first: grep -q stopping early would make curl fail
# with SIGPIPE, and pipefail report that)
page="$(curl -fs "http://127.0.0.1:$HUB_PORT/hub/login" || true)"
grep -q 'name="password"' <<<"$page" || fail "no login form at $(hub_url)/hub/login"

# 3. Three students at once.
if ! "$HUB_SRC/loadtest" --students 3 --notebook ko/00_smoke.ipynb --warm 2 --prefix hubtest \
	--setup-line mixed --keep-users --timeout 900 --json "$tmp/loadtest.json"; then
	grep -E 'ERROR|Traceback|error' "$HUB_STATE/hub.log" | tail -n 20 >&2 || true
	fail "load test"
fi
"$HUB_PREFIX/venv-hub/bin/python" - "$tmp/loadtest.json" <<'PY' || fail "load test results"
import json, sys
r = json.load(open(sys.argv[1]))[0]
studs = r["students"]
assert any(s.get("form_login") for s in studs), "no form login"
forms = sorted(set(s.get("setup_line") for s in studs))
assert forms == ["DLGO_ROOT", "GONB_DIR only"], forms
print("hub/test: load test: form login ok; setup line forms run: %s" % ", ".join(forms))
PY

# 4. The first-login copy and the students' privacy.
course="$HUB_PREFIX/course"
for u in "${users[@]}"; do
	home="$(getent passwd "$u" | cut -d: -f6)"
	[ "$(stat -c %a "$home")" = 700 ] || fail "$home has mode $(stat -c %a "$home"), not 700"
	for ed in ko en; do
		for f in "$course/notebooks/$ed"/*.ipynb; do
			[ -f "$home/dlgo/$ed/$(basename "$f")" ] || fail "$u has no $ed/$(basename "$f")"
		done
	done
	[ "$(stat -c %U "$home/dlgo/ko/00_smoke.ipynb")" = "$u" ] || fail "$u does not own the copy"
done
n_ko=$(find "$HUB_PREFIX/course/notebooks/ko" -maxdepth 1 -name '*.ipynb' | wc -l)
n_en=$(find "$HUB_PREFIX/course/notebooks/en" -maxdepth 1 -name '*.ipynb' | wc -l)
cmp -s "$course/notebooks/en/07_performance.ipynb" "/home/hubtest02/dlgo/en/07_performance.ipynb" || fail "copy differs from the course"
as() { local u="$1"; shift; setpriv --reuid "$u" --regid "$(id -g "$u")" --init-groups env -i HOME="/home/$u" PATH=/usr/bin:/bin "$@"; }
if as hubtest02 ls /home/hubtest01 >/dev/null 2>&1; then fail "hubtest02 can list hubtest01's home"; fi
if as hubtest02 touch "$course/x" 2>/dev/null; then fail "a student can write to the course"; fi
if as hubtest02 touch "$HUB_PREFIX/gomodcache/x" 2>/dev/null; then fail "a student can write to the module cache"; fi
if as hubtest02 cat "$HUB_STATE/admin_token" >/dev/null 2>&1; then fail "a student can read the admin token"; fi
log "first-login copy: $n_ko ko + $n_en en notebooks in every ~/dlgo, owned by the student; homes 0700; course, module cache and hub state closed to students"

# 5. A course update reaches a student without overwriting their work.
upd="$tmp/course"
mkdir -p "$upd/notebooks/ko" "$upd/notebooks/en"
cp "$course/go.mod" "$upd/"
cp "$course"/notebooks/ko/*.ipynb "$upd/notebooks/ko/"
cp "$course"/notebooks/en/*.ipynb "$upd/notebooks/en/"
printf '\n' >>"$upd/notebooks/ko/00_smoke.ipynb"                       # a changed chapter
cp "$upd/notebooks/ko/00_smoke.ipynb" "$upd/notebooks/ko/99_new_chapter.ipynb" # a new one
chmod -R a+rX "$tmp"
before="$(sha256sum /home/hubtest01/dlgo/ko/00_smoke.ipynb)"
as hubtest01 env DLGO_ROOT="$upd" "$HUB_PREFIX/venv-user/bin/python" "$HUB_PREFIX/bin/student-init" --quiet
[ "$(sha256sum /home/hubtest01/dlgo/ko/00_smoke.ipynb)" = "$before" ] || fail "the update overwrote the student's notebook"
ls /home/hubtest01/dlgo/ko/00_smoke.updated-*.ipynb >/dev/null 2>&1 || fail "no 00_smoke.updated-DATE.ipynb"
[ -f /home/hubtest01/dlgo/ko/99_new_chapter.ipynb ] || fail "the new chapter was not copied"
as hubtest01 env DLGO_ROOT="$upd" "$HUB_PREFIX/venv-user/bin/python" "$HUB_PREFIX/bin/student-init" --quiet
[ "$(find /home/hubtest01/dlgo/ko -name '00_smoke.updated-*' | wc -l)" = 1 ] || fail "a second sync delivered the update again"
rm /home/hubtest01/dlgo/en/00_smoke.ipynb
as hubtest01 env DLGO_ROOT="$upd" "$HUB_PREFIX/venv-user/bin/python" "$HUB_PREFIX/bin/student-init" --quiet
[ ! -e /home/hubtest01/dlgo/en/00_smoke.ipynb ] || fail "a notebook the student deleted came back"
log "course update: changed notebook delivered as $(basename /home/hubtest01/dlgo/ko/00_smoke.updated-*.ipynb), the student's kept; new chapter copied; a deleted one stays deleted"

# 6. An assignment's round trip on the hub (hubctl hand-out, collect,
#    return-feedback), and a student's symlink that must not leak root's files.
ac="$tmp/assignments"
mkdir -p "$ac/release/hw_ko" "$ac/feedback/hubtest01/hw_ko"
cp "$course/notebooks/ko/00_smoke.ipynb" "$ac/release/hw_ko/hw.ipynb"
ctl() { "$HUB_SRC/hubctl" "$@" --course-dir "$ac" >"$tmp/hubctl.out" 2>&1 || { cat "$tmp/hubctl.out" >&2; fail "hubctl $*"; }; }
ctl hand-out hw_ko "${users[@]}"
for u in "${users[@]}"; do
	f="/home/$u/dlgo/assignments/hw_ko/hw.ipynb"
	cmp -s "$f" "$ac/release/hw_ko/hw.ipynb" || fail "$u did not get the handout"
	[ "$(stat -c '%U %a' "$f")" = "$u 600" ] || fail "$f is $(stat -c '%U %a' "$f"), not $u 600"
done
as hubtest01 sh -c 'printf " " >>"$HOME/dlgo/assignments/hw_ko/hw.ipynb"'
work="$(sha256sum </home/hubtest01/dlgo/assignments/hw_ko/hw.ipynb)"
ctl hand-out hw_ko "${users[@]}"
[ "$(sha256sum </home/hubtest01/dlgo/assignments/hw_ko/hw.ipynb)" = "$work" ] || fail "a second hand-out overwrote a student's work"
as hubtest02 sh -c 'rm "$HOME/dlgo/assignments/hw_ko/hw.ipynb"; ln -s '"$HUB_STATE/admin_token"' "$HOME/dlgo/assignments/hw_ko/hw.ipynb"'
as hubtest03 rm -r /home/hubtest03/dlgo/assignments
ctl collect hw_ko "${users[@]}"
[ "$(sha256sum <"$ac/submitted/hubtest01/hw_ko/hw.ipynb")" = "$work" ] || fail "collect did not copy hubtest01's work"
[ -s "$ac/submitted/hubtest01/hw_ko/timestamp.txt" ] || fail "no timestamp.txt"
[ ! -e "$ac/submitted/hubtest02" ] || fail "collect followed a student's symlink to a root-only file"
grep -q "hubtest02: hw.ipynb skipped" "$tmp/hubctl.out" || fail "collect did not report the symlink: $(cat "$tmp/hubctl.out")"
grep -q "hubtest03: nothing to collect" "$tmp/hubctl.out" || fail "collect did not report a missing submission"
echo '<html>4/10</html>' >"$ac/feedback/hubtest01/hw_ko/hw.html"
ctl return-feedback hw_ko "${users[@]}"
[ "$(stat -c '%U %a' /home/hubtest01/dlgo/assignments/hw_ko/feedback/hw.html)" = "hubtest01 600" ] || fail "feedback not returned to hubtest01"
[ ! -e /home/hubtest03/dlgo/assignments/hw_ko/feedback ] || fail "feedback returned to a student without any"
log "assignment: handed out to 3 (a second hand-out kept a student's work), collected into submitted/ (a symlink to a root-only file refused, a missing one reported), feedback returned to its student only"

# 7. Stop; nothing of the students may be left.
"$HUB_SRC/stop.sh"
sleep 1
left="$(ps -eo user:20=,pid=,comm= | awk '$1 ~ /^hubtest/' || true)"
[ -z "$left" ] || fail "processes left after the hub stopped: $left"
log "ok in $(($(date +%s) - t0))s"
