#!/usr/bin/env bash
# Builds docker/Dockerfile with podman (no Docker daemon needed) and checks
# the image as a student and a hub get it:
#   1. podman, runc and debootstrap, installed with apt-get when missing;
#   2. the base image: Debian bookworm made with debootstrap, built once and
#      kept (its root file system as a tarball in the state directory, and
#      the image itself in podman's store);
#   3. the image, built with podman and runc;
#   4. the lab: a container with the image's default command
#      (tools/lab/start.sh) on a published loopback port; from the host: the
#      server answers, /api/kernelspecs has gonb as the default kernel,
#      start.sh printed the URL, and a notebook runs cell by cell through the
#      container's gonb kernel with its declared outputs
#      (tools/lab/smoke_client.py);
#   5. inside that container: the user is jovyan (uid 1000, gid 100), a
#      Nanum font is installed (fc-list | grep -i nanum) and
#      jupyterhub-singleuser --version runs; then the container stops on
#      SIGTERM and is removed;
#   6. the hub's way: a container running jupyterhub-singleuser with the
#      environment a hub's spawner gives it (JUPYTERHUB_*, port 8888, a
#      /user/NAME/ prefix), and a stand-in for the hub's API in the same
#      container that knows one user token; from the host: gonb is the
#      default kernel and the notebook runs through that server too; then
#      stop and remove (only a warning if it outlives SIGTERM by 60 s: see
#      docker/README.md).
# Prints each step's time; exits non-zero, saying why, on any failure.
# Needs root (podman as root, apt-get, debootstrap).
#
# usage: docker/test.sh [--fresh] [NOTEBOOK]
#   --fresh   rebuild every layer of the image (podman build --no-cache);
#             the base image is kept
#   NOTEBOOK  relative to notebooks/ (default: ko/00_smoke.ipynb)
#
# Environment:
#   DLGO_IMAGE=localhost/dlgo-lab:test       the image to build and test
#   DLGO_IMAGE_BASE=localhost/bookworm-min:1 the base image (made when missing)
#   DLGO_IMAGE_STATE=/var/tmp/dlgo-image     where the base's tarball and the
#                                            last build's log are kept
#   DLGO_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt
#                                            CA certificates the build trusts
#                                            (the secret "cacerts"; empty: none)
#   DLGO_IMAGE_ARGS="--build-arg LAB_GOPLS=0" more arguments for podman build
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGE="${DLGO_IMAGE:-localhost/dlgo-lab:test}"
BASE="${DLGO_IMAGE_BASE:-localhost/bookworm-min:1}"
STATE="${DLGO_IMAGE_STATE:-/var/tmp/dlgo-image}"
CA_BUNDLE="${DLGO_CA_BUNDLE-/etc/ssl/certs/ca-certificates.crt}"
SUITE=bookworm
COURSE=/opt/dlgo/course # the repository in the image

fresh=0
notebook=ko/00_smoke.ipynb
for arg in "$@"; do
	case "$arg" in
	--fresh) fresh=1 ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		exit 0
		;;
	-*)
		echo "docker/test: unknown option $arg" >&2
		exit 2
		;;
	*) notebook="$arg" ;;
	esac
done

# Machines of this kind refuse podman's default ulimits, and crun fails with
# their cgroup layout: runc and explicit limits.
PODMAN=(podman --runtime runc)
LIMITS=(--ulimit nofile=20000:20000 --ulimit nproc=1000:1000)

log() { echo "docker/test: $*" >&2; }
fail() {
	log "FAILED: $*"
	exit 1
}

# Step timings, printed as each step ends and all together at the end.
t_all=$EPOCHREALTIME
timings=()
step_name=""
t_step=""
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
step() {
	end_step
	step_name="$1"
	t_step=$EPOCHREALTIME
	log "== $step_name"
}
end_step() {
	if [ -n "$step_name" ]; then
		local s
		s="$(elapsed "$t_step")"
		timings+=("$(printf '%7ss  %s' "$s" "$step_name")")
		log "   ($step_name: ${s}s)"
		step_name=""
	fi
}

# Containers of this run, removed on exit; on failure their logs are shown.
containers=()
tmp_files=()
cleanup() {
	local rc=$? c
	for c in "${containers[@]}"; do
		[ -n "$c" ] || continue
		if [ "$rc" != 0 ]; then
			log "the log of container $c (last 60 lines):"
			"${PODMAN[@]}" logs "$c" 2>&1 | tail -n 60 >&2 || true
		fi
		"${PODMAN[@]}" rm -f -t 5 "$c" >/dev/null 2>&1 || true
	done
	rm -f "${tmp_files[@]}"
	exit "$rc"
}
trap cleanup EXIT

# stop_container NAME [warn] stops a container with SIGTERM (tini passes it
# on, and Jupyter shuts its kernels down) and checks that it exits by itself
# within 60 s; if not, the Python stacks of its Jupyter processes are shown
# (PYTHONFAULTHANDLER) and it is a failure, or with "warn" a warning. Then
# the container is removed.
stop_container() {
	local t0=$EPOCHREALTIME code i
	"${PODMAN[@]}" kill --signal TERM "$1" >/dev/null || fail "podman kill --signal TERM $1"
	for i in $(seq 120); do
		[ "$(podman inspect -f '{{.State.Running}}' "$1")" = true ] || break
		sleep 0.5
	done
	if [ "$(podman inspect -f '{{.State.Running}}' "$1")" = true ]; then
		log "$1 is still running 60 s after SIGTERM; the stacks of its Jupyter processes:"
		# shellcheck disable=SC2016 # expanded in the container
		"${PODMAN[@]}" exec "$1" sh -c 'for p in /proc/[0-9]*; do
			case "$(tr "\0" " " <"$p/cmdline" 2>/dev/null)" in *python*jupyter*) kill -ABRT "${p#/proc/}" ;; esac
		done' || true
		sleep 2
		"${PODMAN[@]}" logs "$1" 2>&1 | sed -n '/received signal/,$p' | tail -n 80 >&2 || true
		[ "${2:-}" = warn ] || fail "$1 did not stop within 60 s of SIGTERM"
		log "WARNING: $1 did not stop within 60 s of SIGTERM; removing it"
		code=killed
	else
		code="$(podman inspect -f '{{.State.ExitCode}}' "$1")"
		case "$code" in
		0 | 143) ;;
		*) fail "$1 exited with status $code on SIGTERM" ;;
		esac
	fi
	"${PODMAN[@]}" rm -f "$1" >/dev/null || fail "podman rm $1"
	containers=("${containers[@]/$1/}")
	log "$1 stopped on SIGTERM in $(elapsed "$t0") s (exit status $code) and was removed"
}

# check_server URL TOKEN waits (at most 180 s) for a Jupyter server at URL,
# then checks that /api/kernelspecs has gonb as the default kernel.
check_server() {
	"$py" - "$1" "$2" <<'PY'
import json, sys, time, urllib.request
base, token = sys.argv[1], sys.argv[2]
def get(path):
    req = urllib.request.Request(base + path, headers={"Authorization": "token " + token})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())
start = time.monotonic()
while True:
    try:
        get("/api/status")
        break
    except OSError as e:
        if time.monotonic() - start > 180:
            sys.exit("docker/test: no answer at %s within 180 s: %s" % (base, e))
        time.sleep(0.5)
specs = get("/api/kernelspecs")
kernels = sorted(specs.get("kernelspecs", {}))
if specs.get("default") != "gonb" or "gonb" not in kernels:
    sys.exit("docker/test: %s/api/kernelspecs: default %r, kernels %s; want gonb as the default"
             % (base, specs.get("default"), kernels))
print("docker/test: %s answers (after %.0f s); /api/kernelspecs: default gonb, kernels %s"
      % (base, time.monotonic() - start, ", ".join(kernels)), file=sys.stderr)
PY
}

# smoke URL TOKEN CONTAINER runs the notebook through the server's gonb kernel:
# from the host with the lab's Python (tools/lab/.venv has tornado) when it
# is installed, else from inside CONTAINER with the image's copy of the client.
smoke() {
	local host_py="$REPO/tools/lab/.venv/bin/python" inner
	if [ -x "$host_py" ] && "$host_py" -c 'import tornado' 2>/dev/null; then
		log "smoke client: from the host ($host_py)"
		"$host_py" "$REPO/tools/lab/smoke_client.py" "$1" "$2" "$notebook" ||
			fail "the notebook $notebook through the kernel of $3"
	else
		log "smoke client: inside $3 (no tools/lab/.venv on the host)"
		inner="http://127.0.0.1:8888$(sed -E 's#^https?://[^/]+##' <<<"$1")"
		"${PODMAN[@]}" exec "$3" python "$COURSE/tools/lab/smoke_client.py" "$inner" "$2" "$notebook" ||
			fail "the notebook $notebook through the kernel of $3"
	fi
}

[ "$(id -u)" = 0 ] || fail "run as root (podman as root, apt-get, debootstrap)"
py=python3
command -v "$py" >/dev/null 2>&1 || py=/usr/bin/python3
free_port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
new_token() { "$py" -c 'import secrets; print(secrets.token_hex(24))'; }

# 1. Tools.
step "tools: podman, runc, debootstrap"
missing=()
for tool in podman runc debootstrap; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
	log "installing ${missing[*]} with apt-get"
	apt-get update -qq || fail "apt-get update"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman runc debootstrap >/dev/null ||
		fail "apt-get install podman runc debootstrap"
fi
log "$(podman --version), $(runc --version | head -n 1)"

# 2. The base image.
step "base image $BASE"
mkdir -p "$STATE"
if podman image exists "$BASE"; then
	log "present"
else
	tarball="$STATE/$SUITE-minbase.tar"
	if [ ! -s "$tarball" ]; then
		log "debootstrap --variant=minbase $SUITE (once; kept in $tarball)"
		rootfs="$STATE/rootfs.tmp"
		rm -rf "$rootfs"
		debootstrap --variant=minbase "$SUITE" "$rootfs" >"$STATE/debootstrap.log" 2>&1 ||
			{
				tail -n 20 "$STATE/debootstrap.log" >&2
				fail "debootstrap (log: $STATE/debootstrap.log)"
			}
		# debootstrap's mirror, with the suite's updates and security updates.
		mirror="$(awk '$1 == "deb" { print $2; exit }' "$rootfs/etc/apt/sources.list")"
		[ -n "$mirror" ] || fail "no mirror in $rootfs/etc/apt/sources.list"
		printf 'deb %s %s main\ndeb %s %s-updates main\ndeb %s-security %s-security main\n' \
			"$mirror" "$SUITE" "$mirror" "$SUITE" "$mirror" "$SUITE" >"$rootfs/etc/apt/sources.list"
		rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
		tar -C "$rootfs" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
		rm -rf "$rootfs"
	fi
	podman import "$tarball" "$BASE" >/dev/null || fail "podman import $tarball $BASE"
	log "imported $tarball as $BASE"
fi

# 3. The image.
step "build $IMAGE$([ "$fresh" = 1 ] && echo " (every layer)")"
build=(--ignorefile "$REPO/docker/Dockerfile.dockerignore" -f "$REPO/docker/Dockerfile"
	-t "$IMAGE" --pull=missing --build-arg "BASE=$BASE")
if command -v go >/dev/null 2>&1; then
	# Go's settings of this machine (empty: Go's defaults).
	build+=(--build-arg "GOPROXY=$(go env GOPROXY)" --build-arg "GOSUMDB=$(go env GOSUMDB)")
fi
if [ -n "$CA_BUNDLE" ] && [ -s "$CA_BUNDLE" ]; then
	build+=(--secret "id=cacerts,src=$CA_BUNDLE")
fi
if [ "$fresh" = 1 ]; then
	build+=(--no-cache)
fi
read -r -a extra <<<"${DLGO_IMAGE_ARGS:-}"
old_id="$(podman image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)"
build_log="$STATE/build.log"
# The build's log, each line with the time it came (to see each step's time).
if ! "${PODMAN[@]}" build "${LIMITS[@]}" "${build[@]}" "${extra[@]}" "$REPO" 2>&1 |
	while IFS= read -r line; do printf '%(%T)T %s\n' -1 "$line"; done >"$build_log"; then
	tail -n 60 "$build_log" >&2
	fail "podman build (the whole log: $build_log)"
fi
grep -E '^[0-9:]{8} (STEP [0-9]+/[0-9]+: (FROM|RUN|COPY)|lab/install: |COMMIT)' "$build_log" |
	cut -c1-120 | sed 's/^/    /' >&2 || true
new_id="$(podman image inspect -f '{{.Id}}' "$IMAGE")"
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
	# This test's previous image, untagged now.
	podman rmi "$old_id" >/dev/null 2>&1 || true
fi
size="$(podman image inspect -f '{{.Size}}' "$IMAGE")"
log "built $IMAGE (${new_id:0:12}), $((size / 1000000)) MB"

# 4. The lab, as `docker run -p 8888:8888 IMAGE` starts it.
step "the lab (start.sh): server, kernel list, a notebook through its kernel"
port="$(free_port)"
token="$(new_token)"
lab="dlgo-lab-test-$$"
containers+=("$lab")
"${PODMAN[@]}" run -d --name "$lab" "${LIMITS[@]}" -p "127.0.0.1:$port:8888" \
	-e LAB_TOKEN="$token" -e PYTHONFAULTHANDLER=1 "$IMAGE" >/dev/null || fail "podman run $IMAGE"
check_server "http://127.0.0.1:$port" "$token" || fail "the lab's server in $lab"
# start.sh prints the URL once it sees the server answer (at most 60 s on).
for i in $(seq 120); do
	server_log="$("${PODMAN[@]}" logs "$lab" 2>&1)" || fail "podman logs $lab"
	if grep -q 'Open: *http://127.0.0.1:8888/lab?token=' <<<"$server_log"; then
		log "start.sh printed the URL: http://127.0.0.1:8888/lab?token=..."
		break
	fi
	[ "$i" -lt 120 ] || fail "start.sh did not print http://127.0.0.1:8888/lab?token=... within 60 s"
	sleep 0.5
done
smoke "http://127.0.0.1:$port" "$token" "$lab"

# 5. Inside the image.
step "inside: user, fonts, jupyterhub-singleuser; stop"
# shellcheck disable=SC2016 # expanded in the container
who="$("${PODMAN[@]}" exec "$lab" sh -c 'echo "$(id -un) $(id -u) $(id -g)"')"
[ "$who" = "jovyan 1000 100" ] || fail "the server runs as '$who', not 'jovyan 1000 100'"
log "the server runs as jovyan (uid 1000, gid 100)"
fonts="$("${PODMAN[@]}" exec "$lab" sh -c 'fc-list | grep -i nanum')" ||
	fail "no Nanum font (fc-list | grep -i nanum)"
log "fc-list: $(wc -l <<<"$fonts") Nanum fonts, e.g. $(grep -m 1 -o '[^/]*\.ttf' <<<"$fonts")"
hub_version="$("${PODMAN[@]}" exec "$lab" jupyterhub-singleuser --version)" ||
	fail "jupyterhub-singleuser --version"
log "jupyterhub-singleuser --version: $hub_version ($("${PODMAN[@]}" exec "$lab" sh -c 'command -v jupyterhub-singleuser'))"
stop_container "$lab"

# 6. The hub's way: jupyterhub-singleuser with a spawner's environment. The
#    stand-in hub API answers the server's version check and says who holds
#    the user's token (GET /hub/api/user), as a hub does.
step "the hub's way: jupyterhub-singleuser, kernel list, the notebook; stop"
stub="$(mktemp "$STATE/hub-api.XXXXXX.py")"
tmp_files+=("$stub")
chmod 644 "$stub"
cat >"$stub" <<'PY'
import http.server, json, sys
version, token, user = sys.argv[1:4]
class Hub(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?")[0].rstrip("/")
        if path == "/hub/api":
            body = {"version": version}
        elif path == "/hub/api/user" and self.headers.get("Authorization") == "token " + token:
            body = {"kind": "user", "name": user, "admin": False, "groups": [],
                    "session_id": None, "scopes": ["access:servers!user=" + user]}
        else:
            self.send_response(403 if path == "/hub/api/user" else 404)
            self.end_headers()
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-JupyterHub-Version", version)
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", 8081), Hub).serve_forever()
PY
port="$(free_port)"
user_token="$(new_token)"
user=student
hub="dlgo-hub-test-$$"
containers+=("$hub")
# shellcheck disable=SC2016 # expanded in the container
"${PODMAN[@]}" run -d --name "$hub" "${LIMITS[@]}" -p "127.0.0.1:$port:8888" \
	-v "$stub:/tmp/hub-api.py:ro" -e PYTHONFAULTHANDLER=1 \
	-e JUPYTERHUB_API_TOKEN="$(new_token)" \
	-e JUPYTERHUB_API_URL=http://127.0.0.1:8081/hub/api \
	-e JUPYTERHUB_BASE_URL=/ \
	-e JUPYTERHUB_USER="$user" \
	-e JUPYTERHUB_CLIENT_ID="jupyterhub-user-$user" \
	-e JUPYTERHUB_SERVICE_PREFIX="/user/$user/" \
	-e JUPYTERHUB_SERVICE_URL="http://0.0.0.0:8888/user/$user/" \
	-e JUPYTERHUB_OAUTH_CALLBACK_URL="/user/$user/oauth_callback" \
	-e JUPYTERHUB_OAUTH_ACCESS_SCOPES="[\"access:servers!server=$user/\", \"access:servers!user=$user\"]" \
	-e JUPYTERHUB_ROOT_DIR="$COURSE/notebooks" \
	"$IMAGE" sh -c 'python /tmp/hub-api.py "$0" "$1" "$2" & exec jupyterhub-singleuser' \
	"$hub_version" "$user_token" "$user" >/dev/null || fail "podman run $IMAGE jupyterhub-singleuser"
check_server "http://127.0.0.1:$port/user/$user" "$user_token" || fail "jupyterhub-singleuser in $hub"
smoke "http://127.0.0.1:$port/user/$user" "$user_token" "$hub"
stop_container "$hub" warn
end_step

log "timings:"
printf '%s\n' "${timings[@]}" >&2
log "ok in $(elapsed "$t_all")s; image $IMAGE, $((size / 1000000)) MB"
