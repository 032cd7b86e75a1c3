#!/usr/bin/env bash
# The full nbgrader cycle on the course's assignments, as an instructor runs
# it, in a throwaway course folder (assignments/.cycle.*, removed at the end):
#   1. generate the release from the instructor's source (make assignments);
#   2. validate every source notebook (both languages): it must pass;
#   3. three students submit the Korean release of each assignment: alice with
#      the reference solutions (full marks), bob untouched (zero), carol with
#      one wrong answer (partial marks, and a failure message that says what
#      is wrong);
#   4. autograde, generate the feedback HTML and export grades.csv, and check
#      the scores and the feedback.
# Exit status 0 when every check holds. Used by make test (make grader-test).
set -euo pipefail

# shellcheck source=../lab/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lab/env.sh"
GRADER="$REPO/tools/grader"
"$GRADER/install.sh" 2>/dev/null
export PATH="$GRADER/.venv/bin:$PATH"
export JUPYTER_PATH="$GRADER/.venv/share/jupyter:$JUPYTER_PATH"

start=$(date +%s)
course="$(mktemp -d "$REPO/assignments/.cycle.XXXXXX")"
trap '[ -n "${KEEP:-}" ] || rm -rf "$course"' EXIT
cp "$REPO/assignments/nbgrader_config.py" "$course/"
"$GRADER/assignments.sh" "$course" >/dev/null 2>"$course/generate.log" || {
	cat "$course/generate.log" >&2
	exit 1
}
cd "$course"
log() { echo "grader/cycle: $*"; }
quiet() { grep -v -e '^[IWE][0-9]\{4\} ' -e 'gopls' "$@" || true; }

for nb in source/*/*.ipynb; do
	out="$(nbgrader validate "$nb" 2>&1)"
	if ! grep -q "Success! Your notebook passes all the tests." <<<"$out"; then
		log "FAILED: the instructor's notebook $nb does not pass its own tests:"
		quiet <<<"$out" >&2
		exit 1
	fi
	log "validate $nb: passes"
done

# The submissions, made from the Korean release.
python3 - "$course" <<'PY'
import json, os, shutil, sys
course = sys.argv[1]
# carol's mistakes: one per assignment, a wrong line in place of a right one.
WRONG = {
    "07_performance": ("return (inputs + 1) * units", "return inputs * units"),
    "08_functional": ("Epochs: 100, ValidationSplit: 0.2, ", "Epochs: 100, "),
    "09_timeseries": ("train = dl.Must(scaler.FitTransform(train))",
                      "_ = dl.Must(scaler.FitTransform(series))\n\ttrain = dl.Must(scaler.Transform(train))"),
}
for name in sorted(os.listdir(os.path.join(course, "release"))):
    if not name.endswith("_ko"):
        continue
    base = name[: -len("_ko")]
    src = json.load(open(os.path.join(course, "source", name, base + ".ipynb")))
    rel = json.load(open(os.path.join(course, "release", name, base + ".ipynb")))
    answers = {c["metadata"]["nbgrader"]["grade_id"]: c["source"] for c in src["cells"]
               if c["metadata"].get("nbgrader", {}).get("solution")}
    def submit(student, nb):
        d = os.path.join(course, "submitted", student, name)
        os.makedirs(d, exist_ok=True)
        json.dump(nb, open(os.path.join(d, base + ".ipynb"), "w"), indent=1, ensure_ascii=False)
    def answered(wrong):
        nb = json.loads(json.dumps(rel))
        done = False
        for c in nb["cells"]:
            gid = c["metadata"].get("nbgrader", {}).get("grade_id")
            if gid in answers:
                text = "".join(answers[gid]) if isinstance(answers[gid], list) else answers[gid]
                if wrong and wrong[0] in text:
                    text, done = text.replace(wrong[0], wrong[1]), True
                c["source"] = text
        if wrong and not done:
            sys.exit(f"cycle: the wrong answer for {name} does not apply: {wrong[0]!r} is not in its solutions")
        return nb
    submit("alice", answered(None))
    submit("bob", rel)
    submit("carol", answered(WRONG[base]))
PY

for dir in submitted/alice/*/; do
	name="$(basename "$dir")"
	t0=$(date +%s)
	nbgrader autograde "$name" --log-level=WARN >"$course/autograde-$name.log" 2>&1 || {
		quiet "$course/autograde-$name.log" >&2
		log "FAILED: autograde $name"
		exit 1
	}
	nbgrader generate_feedback "$name" --log-level=WARN >/dev/null 2>&1
	log "autograde + feedback $name: $(($(date +%s) - t0)) s"
done
nbgrader export --log-level=WARN >/dev/null 2>&1

python3 - "$course" <<'PY'
import csv, glob, html, os, re, sys
course = sys.argv[1]
submitted = set(os.listdir(os.path.join(course, "submitted", "alice")))
rows = [r for r in csv.DictReader(open(os.path.join(course, "grades.csv"))) if r["assignment"] in submitted]
ok = True
print(f"{'assignment':<22} {'student':<8} {'score':>6} {'max':>5}")
for r in sorted(rows, key=lambda r: (r["assignment"], r["student_id"])):
    score, top = float(r["raw_score"]), float(r["max_score"])
    print(f"{r['assignment']:<22} {r['student_id']:<8} {score:>6.1f} {top:>5.1f}")
    want = {"alice": lambda s: s == top, "bob": lambda s: s == 0, "carol": lambda s: 0 < s < top}[r["student_id"]]
    if not want(score):
        print(f"grader/cycle: FAILED: {r['student_id']} got {score} of {top} on {r['assignment']}")
        ok = False
for f in sorted(glob.glob(os.path.join(course, "feedback", "carol", "*", "*.html"))):
    text = html.unescape(re.sub(r"<[^>]+>", "", open(f).read()))
    m = re.search(r"Score: ([\d.]+) / ([\d.]+)", text)
    msg = re.search(r"panic:\s+(\S.*?)\n", text)
    if not m or not msg:
        print(f"grader/cycle: FAILED: {f} has no score or no failure message")
        ok = False
        continue
    print(f"feedback {os.path.relpath(f, course)}: Score {m[1]} / {m[2]}; says: {msg[1].strip()}")
sys.exit(0 if ok else 1)
PY
log "passed in $(($(date +%s) - start)) s"
