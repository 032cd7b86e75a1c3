"""Brings the course's notebooks into the student's own copies (start.sh).

usage: copy_notebooks.py NOTEBOOKS WORK

NOTEBOOKS is the repository's notebooks/ folder, WORK the student's folder
(work/ by default). For each edition (a folder of NOTEBOOKS with a
00_smoke.ipynb: ko, en), its notebooks and glossaries (*.ipynb, *.md) go to
WORK/EDITION by the class hub's rules (tools/hub/student-init), so that a
student's file is never overwritten:

  - a file the student does not have (first start, a new chapter, or one the
    student deleted) is copied;
  - a file the course changed since it was copied (after a git pull) arrives
    next to the student's as NAME.updated-YYYY-MM-DD.ipynb (a second one the
    same day gets -2, and so on), once; the student's own stays as it is.

WORK/.lab-copies.json records what was delivered (file -> sha256). A student
file without a record (copies made before the record existed) is taken as
the course's current version.

Prints what it did on stderr and the notebooks it wrote on stdout, one a line
(start.sh marks them trusted). Standard library only.
"""

import datetime
import hashlib
import json
import os
import sys
import tempfile

RECORD = ".lab-copies.json"


def write_atomic(path, data):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".lab-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def updated_name(target, data):
    """A free name NAME.updated-DATE[-k].EXT next to target, or the name of
    an existing file with the same content."""
    base, ext = os.path.splitext(target)
    stem = "%s.updated-%s" % (base, datetime.date.today().isoformat())
    for k in range(1, 100):
        cand = "%s%s%s" % (stem, "" if k == 1 else "-%d" % k, ext)
        if not os.path.lexists(cand):
            return cand
        try:
            with open(cand, "rb") as f:
                if f.read() == data:
                    return cand
        except OSError:
            pass
    raise RuntimeError("no free name for an update of " + target)


def main():
    src_root, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    rpath = os.path.join(work, RECORD)
    try:
        with open(rpath) as f:
            record = json.load(f)
    except (OSError, ValueError):
        record = {}
    files = record.setdefault("files", {})
    new, updated = [], []
    for ed in sorted(os.listdir(src_root)):
        src_dir = os.path.join(src_root, ed)
        if not os.path.isfile(os.path.join(src_dir, "00_smoke.ipynb")):
            continue
        dst_dir = os.path.join(work, ed)
        os.makedirs(dst_dir, exist_ok=True)
        for name in sorted(os.listdir(src_dir)):
            src = os.path.join(src_dir, name)
            if name.startswith(".") or not os.path.isfile(src):
                continue
            if not (name.endswith(".ipynb") or name.endswith(".md")):
                continue
            rel = ed + "/" + name
            with open(src, "rb") as f:
                data = f.read()
            h = hashlib.sha256(data).hexdigest()
            target = os.path.join(dst_dir, name)
            rec = files.get(rel)
            if not os.path.lexists(target):
                write_atomic(target, data)
                files[rel] = h
                new.append(target)
            elif rec == h:
                continue
            elif rec is None or (os.path.isfile(target) and sha256_file(target) == h):
                files[rel] = h  # the student's file is (taken as) this version
            else:
                cand = updated_name(target, data)
                if not os.path.exists(cand):
                    write_atomic(cand, data)
                    updated.append(cand)
                files[rel] = h
    write_atomic(rpath, (json.dumps(record, indent=1, sort_keys=True) + "\n").encode())
    if new:
        print("lab/start: copied %d file(s) from notebooks/ into %s" % (len(new), work), file=sys.stderr)
    for u in updated:
        mine = os.path.relpath(u[: u.rindex(".updated-")] + os.path.splitext(u)[1], work)
        print("lab/start: notebooks/%s changed since your copy was made: the new version is %s, "
              "next to yours (kept as it was)" % (mine, os.path.relpath(u, work)), file=sys.stderr)
    for p in new + updated:
        if p.endswith(".ipynb"):
            print(p)


if __name__ == "__main__":
    main()
