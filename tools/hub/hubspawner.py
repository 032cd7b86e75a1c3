"""The class hub's spawner: JupyterHub's LocalProcessSpawner (one Linux user,
one JupyterLab process per student) with what a class on one machine needs:

* stop with SIGTERM first: jupyter_server then shuts its kernels down (the
  stock SIGINT leaves gonb kernels running when the server has no tty);
* a fixed port per student, remembered in $HUB_STATE/ports.json (probing for
  a free port gave two servers started together the same port);
* per-student resource limits, enforced by the kernel's cgroups: memory, CPU
  (a cap in CPUs and an equal weight for every student) and processes. The
  server's process joins its student's cgroup before it drops root, so the
  kernels and every `go build` they start are in it too.

Imported by jupyterhub_config.py (installed next to it in $HUB_PREFIX/etc).
"""

import asyncio
import errno
import json
import os
import signal

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Integer, List, Unicode


def parse_size(s):
    """'2G' -> bytes; '' or '0' -> 0."""
    s = (s or "").strip().upper().rstrip("B").rstrip("I")
    if not s or s == "0":
        return 0
    mult = 1
    if s[-1] in "KMGT":
        mult = 1024 ** ("KMGT".index(s[-1]) + 1)
        s = s[:-1]
    return int(float(s) * mult)


# ---------------------------------------------------------------- cgroups

def _read(path, default=""):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def _write(path, value):
    with open(path, "w") as f:
        f.write(str(value))


class Cgroups:
    """Per-student cgroups under the hub's own cgroup (so the class stays inside
    whatever the hub was started in): <hub's cgroup>/dlgo-hub/<student>.

    cgroup v1 (each controller its own hierarchy): memory.limit_in_bytes,
    cpu.cfs_quota_us (the cap), cpu.shares (equal weights), pids.max;
    cpuacct for accounting. cgroup v2 (one hierarchy): memory.max, cpu.max,
    cpu.weight, pids.max; the hub moves itself into a leaf <cgroup>/hub first
    (v2 allows no processes in a cgroup whose children have controllers), so
    under systemd the hub's unit needs Delegate=yes.
    """

    V1 = ("memory", "cpu", "cpuacct", "pids")

    def __init__(self, log, name="dlgo-hub"):
        self.log = log
        self.name = name
        self.mode = None
        self.bases = {}  # controller -> directory of the class's cgroup
        self.error = ""
        try:
            self._detect()
        except OSError as e:
            self.error = str(e)
            self.mode = None

    def _detect(self):
        mounts_v1, mount_v2 = {}, None
        with open("/proc/self/mounts") as f:
            for line in f:
                parts = line.split()
                if len(parts) < 4:
                    continue
                mnt, fstype, opts = parts[1], parts[2], parts[3].split(",")
                if fstype == "cgroup":
                    for c in self.V1:
                        if c in opts:
                            mounts_v1[c] = mnt
                elif fstype == "cgroup2" and mount_v2 is None:
                    mount_v2 = mnt
        own = {}
        with open("/proc/self/cgroup") as f:
            for line in f:
                hid, ctrls, path = line.rstrip("\n").split(":", 2)
                for c in (ctrls.split(",") if ctrls else [""]):
                    own[c] = path
        if "memory" in mounts_v1:
            self.mode = "v1"
            for c, mnt in mounts_v1.items():
                base = os.path.join(mnt, own.get(c, "/").lstrip("/"), self.name)
                os.makedirs(base, exist_ok=True)
                self.bases[c] = base
            mem = self.bases["memory"]
            # children are charged to their parents (needed for a class limit)
            if _read(os.path.join(mem, "memory.use_hierarchy"), "1") != "1":
                try:
                    _write(os.path.join(mem, "memory.use_hierarchy"), 1)
                except OSError:
                    pass
        elif mount_v2 and "memory" in _read(os.path.join(mount_v2, "cgroup.controllers")).split():
            self.mode = "v2"
            own_dir = os.path.join(mount_v2, own.get("", "/").lstrip("/"))
            want = [c for c in ("memory", "cpu", "pids") if c in _read(os.path.join(own_dir, "cgroup.controllers")).split()]
            enabled = _read(os.path.join(own_dir, "cgroup.subtree_control")).split()
            if any(c not in enabled for c in want):
                # no internal processes: the hub (and its proxy) go to a leaf first
                leaf = os.path.join(own_dir, "hub")
                os.makedirs(leaf, exist_ok=True)
                for pid in _read(os.path.join(own_dir, "cgroup.procs")).split():
                    try:
                        _write(os.path.join(leaf, "cgroup.procs"), pid)
                    except OSError:
                        pass
                _write(os.path.join(own_dir, "cgroup.subtree_control"), " ".join("+" + c for c in want))
            base = os.path.join(own_dir, self.name)
            os.makedirs(base, exist_ok=True)
            _write(os.path.join(base, "cgroup.subtree_control"), " ".join("+" + c for c in want))
            self.bases[""] = base
        else:
            self.error = "no writable memory cgroup controller found"

    def set_class_memory(self, limit):
        """A limit for all students together (keeps memory for the hub)."""
        if not limit or self.mode is None:
            return
        if self.mode == "v1":
            _write(os.path.join(self.bases["memory"], "memory.limit_in_bytes"), limit)
        else:
            _write(os.path.join(self.bases[""], "memory.max"), limit)

    def create(self, user, mem, cpus, pids):
        """Creates (or resets) the student's cgroup; returns the cgroup.procs
        files the server's process must write its pid to."""
        procs = []
        if self.mode == "v1":
            for c, base in self.bases.items():
                d = os.path.join(base, user)
                os.makedirs(d, exist_ok=True)
                procs.append(os.path.join(d, "cgroup.procs"))
                if c == "memory":
                    _write(os.path.join(d, "memory.limit_in_bytes"), mem if mem else -1)
                    try:  # start the peak afresh for this server
                        _write(os.path.join(d, "memory.max_usage_in_bytes"), 0)
                    except OSError:
                        pass
                elif c == "cpu":
                    period = int(_read(os.path.join(d, "cpu.cfs_period_us"), "100000"))
                    _write(os.path.join(d, "cpu.cfs_quota_us"), int(cpus * period) if cpus else -1)
                    _write(os.path.join(d, "cpu.shares"), 1024)
                elif c == "pids":
                    _write(os.path.join(d, "pids.max"), pids if pids else "max")
        elif self.mode == "v2":
            d = os.path.join(self.bases[""], user)
            os.makedirs(d, exist_ok=True)
            procs.append(os.path.join(d, "cgroup.procs"))
            _write(os.path.join(d, "memory.max"), mem if mem else "max")
            _write(os.path.join(d, "cpu.max"), "%d 100000" % int(cpus * 100000) if cpus else "max 100000")
            _write(os.path.join(d, "cpu.weight"), 100)
            _write(os.path.join(d, "pids.max"), pids if pids else "max")
        self.rebalance()
        return procs

    def core_dir(self):
        """The CPU cgroup of the hub itself and its proxy: beside the class's."""
        if self.mode == "v1" and "cpu" in self.bases:
            return os.path.join(os.path.dirname(self.bases["cpu"]), self.name + "-core")
        if self.mode == "v2":
            return os.path.join(os.path.dirname(self.bases[""]), "hub")
        return ""

    def adopt_core(self, pids):
        """Moves the hub and its proxy into the core cgroup, which rebalance()
        gives the class's weight: a login storm of students' builds must not
        starve the one process that starts their servers (seen with 40 students:
        the proxy's API timed out and the hub gave up on servers)."""
        if self.mode != "v1" or "cpu" not in self.bases:
            return  # v2: _detect already moved them into the 'hub' leaf
        core = self.core_dir()
        os.makedirs(core, exist_ok=True)
        for pid in pids:
            try:
                _write(os.path.join(core, "cgroup.procs"), pid)
            except OSError as e:
                self.log.warning("process %s not moved to %s: %s", pid, core, e)

    def rebalance(self):
        """Gives the class's cgroup the CPU weight of one ordinary process per
        student with a server: each student then weighs, against the rest of
        the machine, as one busy process would without cgroups, and students
        share equally among themselves."""
        try:
            if self.mode == "v1" and "cpu" in self.bases:
                base = self.bases["cpu"]
                n = sum(1 for e in os.scandir(base) if e.is_dir())
                w = min(262144, 1024 * max(1, n))
                _write(os.path.join(base, "cpu.shares"), w)
                if os.path.isdir(self.core_dir()):
                    _write(os.path.join(self.core_dir(), "cpu.shares"), w)
            elif self.mode == "v2":
                base = self.bases[""]
                n = sum(1 for e in os.scandir(base) if e.is_dir())
                w = min(10000, 100 * max(1, n))
                _write(os.path.join(base, "cpu.weight"), w)
                if os.path.isdir(self.core_dir()):
                    _write(os.path.join(self.core_dir(), "cpu.weight"), w)
        except OSError as e:
            self.log.warning("class CPU weight not set: %s", e)

    def stats(self, user):
        """{'mem_peak': bytes, 'mem_now': bytes, 'cpu_seconds': float} as far as known."""
        out = {}
        if self.mode == "v1":
            m = os.path.join(self.bases.get("memory", ""), user)
            if os.path.isdir(m):
                out["mem_now"] = int(_read(os.path.join(m, "memory.usage_in_bytes"), "0"))
                out["mem_peak"] = int(_read(os.path.join(m, "memory.max_usage_in_bytes"), "0"))
            a = os.path.join(self.bases.get("cpuacct", ""), user)
            if os.path.isdir(a):
                out["cpu_seconds"] = int(_read(os.path.join(a, "cpuacct.usage"), "0")) / 1e9
        elif self.mode == "v2":
            d = os.path.join(self.bases[""], user)
            if os.path.isdir(d):
                out["mem_now"] = int(_read(os.path.join(d, "memory.current"), "0"))
                peak = _read(os.path.join(d, "memory.peak"))
                if peak:
                    out["mem_peak"] = int(peak)
                for line in _read(os.path.join(d, "cpu.stat")).splitlines():
                    k, _, v = line.partition(" ")
                    if k == "usage_usec":
                        out["cpu_seconds"] = int(v) / 1e6
        return out

    def kill_leftovers(self, user):
        """SIGKILLs processes left in the student's cgroup after the server
        stopped (e.g. a build the kernel had started); returns how many."""
        base = self.bases.get("memory") or self.bases.get("")
        if not base:
            return 0
        pids = _read(os.path.join(base, user, "cgroup.procs")).split()
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (OSError, ValueError):
                pass
        return len(pids)

    def remove(self, user):
        """Removes the student's cgroup once empty (after the server stopped)."""
        dirs = ([os.path.join(b, user) for b in self.bases.values()])
        for d in dirs:
            try:
                os.rmdir(d)
            except OSError as e:
                if e.errno not in (errno.ENOENT, errno.EBUSY):
                    self.log.warning("cgroup %s not removed: %s", d, e)
        self.rebalance()


# ---------------------------------------------------------------- ports

class PortMap:
    """A fixed port for every student, kept in a JSON file. Allocation runs in
    the hub's single event loop thread, so two servers starting together can
    never get the same port."""

    def __init__(self, path, first, count=1000):
        self.path, self.first, self.count = path, first, count

    def port(self, user):
        try:
            with open(self.path) as f:
                ports = json.load(f)
        except (OSError, ValueError):
            ports = {}
        if user in ports:
            return ports[user]
        used = set(ports.values())
        for p in range(self.first, self.first + self.count):
            if p not in used:
                ports[user] = p
                tmp = self.path + ".tmp"
                with open(tmp, "w") as f:
                    json.dump(ports, f, indent=1, sort_keys=True)
                os.replace(tmp, self.path)
                return p
        raise RuntimeError("no free student port in %d-%d" % (self.first, self.first + self.count - 1))


# ---------------------------------------------------------------- spawner

class DlgoSpawner(LocalProcessSpawner):
    """LocalProcessSpawner with SIGTERM-first stops, one port per student and
    cgroup limits (see the module's doc)."""

    ports_file = Unicode("", config=True, help="JSON file of the students' ports")
    first_port = Integer(18100, config=True, help="first port of the students' servers")
    pids_limit = Integer(2048, config=True, help="processes and threads per student (0: none)")
    class_mem_reserve = Unicode("1G", config=True, help="memory kept free of all students together")
    core_pid_files = List(Unicode(), config=True,
                          help="pid files of processes to keep with the hub in its CPU cgroup (the proxy)")
    enforce_limits = Unicode("auto", config=True,
                             help="'auto' (cgroups when available, a warning otherwise), 'required' or 'off'")

    _cgroups = None  # shared by all spawners of the hub

    def cgroups(self, log, reserve):
        if DlgoSpawner._cgroups is None:
            cg = Cgroups(log)
            if cg.mode:
                pids = [str(os.getpid())]
                for f in self.core_pid_files:
                    pid = _read(f)
                    if pid.isdigit():
                        pids.append(pid)
                cg.adopt_core(pids)
                try:
                    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
                    if reserve and total > reserve:
                        cg.set_class_memory(total - reserve)
                except (OSError, ValueError) as e:
                    log.warning("class memory limit not set: %s", e)
                log.info("resource limits: cgroup %s under %s", cg.mode, ", ".join(sorted(set(cg.bases.values()))))
            else:
                log.warning("resource limits are NOT enforced: %s", cg.error)
            DlgoSpawner._cgroups = cg
        return DlgoSpawner._cgroups

    def _limits_on(self):
        return self.enforce_limits != "off"

    async def start(self):
        if self.ports_file:
            self.port = PortMap(self.ports_file, self.first_port).port(self.user.name)
        self._procs_files = []
        if self._limits_on():
            cg = self.cgroups(self.log, parse_size(self.class_mem_reserve))
            if cg.mode:
                self._procs_files = cg.create(self.user.name, int(self.mem_limit or 0),
                                              float(self.cpu_limit or 0), self.pids_limit)
            elif self.enforce_limits == "required":
                raise RuntimeError("resource limits required but not available: " + cg.error)
        return await super().start()

    def make_preexec_fn(self, name):
        drop_root = super().make_preexec_fn(name)
        procs_files = list(getattr(self, "_procs_files", []))

        def preexec():
            # still root here: join the student's cgroups, then become the student
            pid = str(os.getpid())
            for f in procs_files:
                with open(f, "w") as fh:
                    fh.write(pid)
            drop_root()

        return preexec

    async def stop(self, now=False):
        if not now and await self.poll() is None:
            await self._signal(signal.SIGTERM)
            await self.wait_for_death(self.term_timeout)
        await super().stop(now=True)  # SIGTERM again if needed, then SIGKILL
        if self._limits_on() and DlgoSpawner._cgroups and DlgoSpawner._cgroups.mode:
            cg = DlgoSpawner._cgroups
            st = cg.stats(self.user.name)
            if st:
                self.log.info("server of %s stopped: peak memory %d MB, CPU %.1f s", self.user.name,
                              st.get("mem_peak", 0) >> 20, st.get("cpu_seconds", 0.0))
            left = cg.kill_leftovers(self.user.name)
            if left:
                self.log.warning("server of %s stopped: killed %d leftover process(es)", self.user.name, left)
                await asyncio.sleep(0.5)
            cg.remove(self.user.name)
