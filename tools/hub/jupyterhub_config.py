# The class hub's JupyterHub configuration. install.sh copies it, with
# hubspawner.py, to $HUB_PREFIX/etc; start.sh runs the hub with it, as root,
# with the settings of tools/hub/env.sh in the environment (defaults there,
# the instructor's values in $HUB_PREFIX/etc/hub.conf). See tools/hub/README.md.
import grp
import os
import sys

c = get_config()  # noqa: F821 (JupyterHub's config loader defines it)

E = os.environ.get
HUB = E("HUB_PREFIX", "/opt/dlgo-hub")
STATE = E("HUB_STATE", HUB + "/state")
sys.path.insert(0, HUB + "/etc")
from hubspawner import DlgoSpawner  # noqa: E402

ip, port = E("HUB_IP", "127.0.0.1"), int(E("HUB_PORT", "8000"))
ssl_cert, ssl_key = E("HUB_SSL_CERT", ""), E("HUB_SSL_KEY", "")

# --- where it listens: the public port only; the hub's and the proxy's APIs on loopback
c.JupyterHub.bind_url = "%s://%s:%d" % ("https" if ssl_cert else "http", ip, port)
if ssl_cert:
    c.JupyterHub.ssl_cert = ssl_cert
    c.JupyterHub.ssl_key = ssl_key
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = port + 1
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%d" % (port + 2)
c.ConfigurableHTTPProxy.command = [HUB + "/proxy/node_modules/.bin/configurable-http-proxy"]
c.ConfigurableHTTPProxy.pid_file = STATE + "/proxy.pid"
c.JupyterHub.db_url = "sqlite:///%s/jupyterhub.sqlite" % STATE
c.JupyterHub.cookie_secret_file = STATE + "/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = STATE + "/jupyterhub.pid"

# --- who may log in: the Linux group of the class list (add-students) and the
# instructor(s); students added while the hub runs are added through the API
# too, and users in the hub's database may log in (allow_existing_users).
def _members(group):
    try:
        return set(grp.getgrnam(group).gr_mem)
    except KeyError:
        return set()


def _admins():
    names = set(n for n in E("HUB_ADMIN", "").replace(",", " ").split() if n)
    try:
        with open(HUB + "/etc/admins") as f:
            names |= set(line.strip() for line in f if line.strip() and not line.startswith("#"))
    except OSError:
        pass
    return names


admins = _admins()
c.Authenticator.admin_users = admins
c.Authenticator.allowed_users = _members(E("HUB_STUDENT_GROUP", "dlgo-students")) | admins
c.Authenticator.allow_all = False
c.Authenticator.allow_existing_users = True
# No default passwords: a student's first login sets the password (FirstUseAuthenticator,
# bcrypt hashes in STATE); add-students can instead give random ones, printed once.
# Only existing Linux users of the class can log in; passwords are the hub's, not Linux's.
c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"
c.FirstUseAuthenticator.create_users = False
c.FirstUseAuthenticator.dbm_path = STATE + "/passwords.dbm"
c.FirstUseAuthenticator.min_password_length = 8

# --- services: the instructor's scripts (admin token, root-only file) and the idle culler
services, roles = [], []
try:
    with open(STATE + "/admin_token") as f:
        services.append({"name": "dlgo-admin", "api_token": f.read().strip()})
    roles.append({"name": "dlgo-admin", "services": ["dlgo-admin"],
                  "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "list:users"]})
except OSError:
    pass
idle = int(E("HUB_IDLE_TIMEOUT", "3600") or 0)
if idle > 0:
    services.append({"name": "idle-culler",
                     "command": [HUB + "/venv-hub/bin/python", "-m", "jupyterhub_idle_culler",
                                 "--timeout=%d" % idle, "--cull-every=%d" % max(60, idle // 10)]})
    roles.append({"name": "idle-culler", "services": ["idle-culler"],
                  "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]})
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles

# --- the students' servers
c.JupyterHub.spawner_class = DlgoSpawner
c.DlgoSpawner.ports_file = STATE + "/ports.json"
c.DlgoSpawner.first_port = int(E("HUB_USER_PORTS", "18100"))
c.DlgoSpawner.pids_limit = int(E("HUB_PIDS_LIMIT", "2048"))
c.DlgoSpawner.class_mem_reserve = E("HUB_CLASS_MEM_RESERVE", "1G")
c.DlgoSpawner.enforce_limits = E("HUB_ENFORCE_LIMITS", "auto")
c.DlgoSpawner.core_pid_files = [STATE + "/proxy.pid"]
c.Spawner.mem_limit = E("HUB_MEM_LIMIT", "2G") or None
c.Spawner.cpu_limit = float(E("HUB_CPU_LIMIT", "1") or 0) or None
c.Spawner.cmd = [HUB + "/bin/dlgo-singleuser"]
c.Spawner.args = [
    "--MappingKernelManager.default_kernel_name=gonb",
    # students cannot install JupyterLab extensions (the venv is root's): no
    # extension manager that asks the package index at every start
    "--LabApp.extension_manager=readonly",
]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab/tree/dlgo"
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 180
c.Spawner.term_timeout = 15
go_root = E("HUB_GOROOT", "/usr/local/go")
c.Spawner.environment = {
    "PATH": "%s/venv-user/bin:%s/gobin:%s/bin:/usr/local/bin:/usr/bin:/bin" % (HUB, HUB, go_root),
    "JUPYTER_PATH": HUB + "/share/jupyter",
    "JUPYTER_PLATFORM_DIRS": "1",
    # the course, shared and read-only: the notebooks' setup line uses its dl
    "DLGO_ROOT": HUB + "/course",
    # student-init: the primed build cache to copy, the bound of the student's cache
    "DLGO_PRIMED_GOCACHE": HUB + "/gocache-primed",
    "DLGO_GOCACHE_MAX": E("HUB_GOCACHE_MAX", "1G"),
    # Go: the toolchain here, never a download; modules from the shared read-only
    # cache, served to `go get` as a file proxy (no checksum database offline: the
    # cache was verified against the course's go.sum when it was filled);
    # GOCACHE stays per student (~/.cache/go-build): Go must write to it.
    # Every cell is a new program: linking it is most of a warm cell's CPU, and
    # without the symbol table and DWARF (-s) linking costs about 20% less;
    # panics still show functions and lines. (No -mod=mod here: it breaks
    # `go list` under ~/dlgo/go.work.)
    "GOFLAGS": "-ldflags=-s",
    "GOTOOLCHAIN": "local",
    "GOMODCACHE": HUB + "/gomodcache",
    "GOPROXY": "file://%s/gomodcache/cache/download" % HUB,
    "GOSUMDB": "off",
}
