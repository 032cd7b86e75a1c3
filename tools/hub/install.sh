#!/usr/bin/env bash
# Installs the class hub into $HUB_PREFIX (default /opt/dlgo-hub: root-owned,
# world-readable, not under /root), only what is missing or changed:
#
#   venv-hub/    JupyterHub, FirstUseAuthenticator, the idle culler (requirements.txt)
#   venv-user/   the students' JupyterLab (the lab's pins) + jupyterhub-singleuser (requirements-user.txt)
#   proxy/       configurable-http-proxy from npm (package.json)
#   gobin/       gonb (v0.11.4, as tools/lab/install.sh) and goimports, copied out of root's GOPATH
#   share/jupyter/kernels/gonb/   the kernel spec (the default kernel of every server)
#   bin/         dlgo-singleuser (a server's command) and student-init
#   etc/         jupyterhub_config.py, hubspawner.py, hub.conf (the instructor's settings)
#   state/       mode 0700: database, cookie secret, admin token, passwords, logs
#   course, gomodcache/, gocache-primed/   the course and its Go caches (update-course)
#
# Go itself (GOROOT, e.g. /usr/local/go) is used in place: students run it read-only.
# Runs as root; a second run takes seconds. Environment: see env.sh.
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
hub_need_root

log() { echo "hub/install: $*" >&2; }
t0=$(date +%s)
H="$HUB_PREFIX"
umask 022

# Checks.
command -v go >/dev/null || { log "go is not installed (Go 1.26 in /usr/local/go expected)"; exit 1; }
GOROOT_DIR="$(go env GOROOT)"
case "$GOROOT_DIR" in /root/*) log "Go is under /root ($GOROOT_DIR): students cannot run it; install Go in /usr/local/go"; exit 1 ;; esac
PY=/usr/bin/python3 # not a pyenv python under /root: students run the venv's interpreter
"$PY" -c 'import venv, ensurepip' 2>/dev/null || {
	log "installing python3-venv"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv
}
command -v npm >/dev/null || {
	log "installing nodejs and npm"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
}

mkdir -p "$H"/{bin,etc,gobin,share/jupyter/kernels/gonb,courses} "$HUB_STATE"
chmod 755 "$H"
chmod 700 "$HUB_STATE"

# venv DIR REQUIREMENTS: a venv with exactly these requirements (a stamp
# remembers what was installed).
venv() {
	local dir="$1" req="$2" stamp
	stamp="$(cat "$req"; [ "$(basename "$req")" = requirements-user.txt ] && cat "$REPO/tools/lab/requirements.txt"; "$PY" --version)"
	if [ -x "$dir/bin/python" ] && [ "$(cat "$dir/.dlgo-requirements" 2>/dev/null)" = "$stamp" ]; then
		log "$(basename "$dir"): present"
		return
	fi
	log "$(basename "$dir"): installing $(grep -v '^#' "$req" | grep -v '^-r' | tr '\n' ' ')"
	"$PY" -m venv "$dir"
	"$dir/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
	printf '%s' "$stamp" >"$dir/.dlgo-requirements"
}
venv "$H/venv-hub" "$HUB_SRC/requirements.txt"
venv "$H/venv-user" "$HUB_SRC/requirements-user.txt"

# The proxy.
if [ -x "$H/proxy/node_modules/.bin/configurable-http-proxy" ] && cmp -s "$HUB_SRC/package.json" "$H/proxy/package.json"; then
	log "configurable-http-proxy: present"
else
	log "configurable-http-proxy: installing $(grep -o '"configurable-http-proxy": "[^"]*"' "$HUB_SRC/package.json")"
	mkdir -p "$H/proxy"
	cp "$HUB_SRC/package.json" "$H/proxy/package.json"
	(cd "$H/proxy" && npm install --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
fi

# gonb and goimports: copies readable by students (root's GOPATH is not).
GONB_VERSION="$(sed -n 's/^GONB_VERSION=//p' "$REPO/tools/lab/install.sh")"
gobin="$(go env GOBIN)"
[ -n "$gobin" ] || gobin="$(go env GOPATH | cut -d: -f1)/bin"
has_gonb() { [ -x "$1" ] && grep -q "$(printf '^\t\\(mod\\|dep\\)\tgithub.com/janpfeifer/gonb\t%s' "$GONB_VERSION")" <<<"$(go version -m "$1" 2>/dev/null)"; }
tools=(gonb goimports)
[ "$HUB_GOPLS" = 1 ] && tools+=(gopls)
for t in "${tools[@]}"; do
	if [ -x "$gobin/$t" ] && { [ "$t" != gonb ] || has_gonb "$gobin/gonb"; }; then
		if ! cmp -s "$gobin/$t" "$H/gobin/$t"; then
			install -m 755 "$gobin/$t" "$H/gobin/$t"
			log "$t: copied from $gobin"
		fi
	elif [ -x "$H/gobin/$t" ] && { [ "$t" != gonb ] || has_gonb "$H/gobin/gonb"; }; then
		:
	else
		log "$t: installing into $H/gobin"
		tmp="$(mktemp -d)"
		case "$t" in
		gonb) (cd "$tmp" && go mod init hubtools >/dev/null 2>&1 && go get "github.com/janpfeifer/gonb@$GONB_VERSION" &&
			GOBIN="$H/gobin" go install github.com/janpfeifer/gonb) ;;
		goimports) GOBIN="$H/gobin" go install "golang.org/x/tools/cmd/goimports@$(sed -n 's/^GOIMPORTS_VERSION=//p' "$REPO/tools/lab/install.sh")" ;;
		gopls) (cd "$tmp" && GOBIN="$H/gobin" go install "golang.org/x/tools/gopls@$(sed -n 's/^GOPLS_VERSION=//p' "$REPO/tools/lab/install.sh")") ||
			log "gopls: failed (optional)" ;;
		esac
		rm -rf "$tmp"
	fi
done
[ "$HUB_GOPLS" = 1 ] || rm -f "$H/gobin/gopls"
chmod 755 "$H"/gobin/*

# The kernel spec: the copied gonb, Go and goimports on its PATH.
cat >"$H/share/jupyter/kernels/gonb/kernel.json" <<JSON
{
 "argv": ["$H/gobin/gonb", "--kernel", "{connection_file}", "-logtostderr=true", "-raw_error=false", "-stderrthreshold=2", "-v=0"],
 "display_name": "Go (gonb)",
 "language": "go",
 "interrupt_mode": "message",
 "env": {"PATH": "$H/gobin:$GOROOT_DIR/bin:\${PATH}"}
}
JSON
for f in logo-32x32.png logo-64x64.png logo-svg.svg; do
	src="$(find "$(go env GOMODCACHE)/github.com/janpfeifer/gonb@$GONB_VERSION" -maxdepth 3 -name "$f" 2>/dev/null | head -n 1 || true)"
	[ -n "$src" ] && install -m 644 "$src" "$H/share/jupyter/kernels/gonb/$f"
done
log "kernel spec: $H/share/jupyter/kernels/gonb"

# The students' Jupyter server: no jupyter-lsp (no language server is installed
# for it; at every start it probes for many, running node).
# The lab's server settings (the kernel shows Idle before the first cell, no
# websocket ping warning, Go the default kernel) and JupyterLab's (no news
# pop-up, no update check): the same files as tools/lab/install.sh.
mkdir -p "$H/venv-user/etc/jupyter/jupyter_server_config.d" "$H/venv-user/share/jupyter/lab/settings"
install -m 644 "$REPO/tools/lab/jupyter_server_config.py" "$H/venv-user/etc/jupyter/jupyter_server_config.py"
install -m 644 "$REPO/tools/lab/overrides.json" "$H/venv-user/share/jupyter/lab/settings/overrides.json"
echo '{"ServerApp": {"jpserver_extensions": {"jupyter_lsp": false}}}' \
	>"$H/venv-user/etc/jupyter/jupyter_server_config.d/zz-dlgo-hub.json"

# Scripts and configuration.
install -m 755 "$HUB_SRC/singleuser.sh" "$H/bin/dlgo-singleuser"
install -m 755 "$HUB_SRC/student-init" "$H/bin/student-init"
install -m 644 "$HUB_SRC/jupyterhub_config.py" "$HUB_SRC/hubspawner.py" "$H/etc/"
if [ ! -f "$H/etc/hub.conf" ]; then
	cat >"$H/etc/hub.conf" <<'CONF'
# The class hub's settings (tools/hub/env.sh lists them all, with defaults).
# The environment overrides this file; restart the hub after a change
# (tools/hub/stop.sh && tools/hub/start.sh).
#HUB_IP=127.0.0.1          # 0.0.0.0 to serve other machines: only with HTTPS (README)
#HUB_PORT=8000
#HUB_MEM_LIMIT=2G          # per student: server, kernels and builds together
#HUB_CPU_LIMIT=1           # CPUs per student at most (0: no cap); every student has an equal share
#HUB_PIDS_LIMIT=2048
#HUB_GOCACHE_MAX=1G        # each student's Go build cache is trimmed to this at server start
#HUB_IDLE_TIMEOUT=3600     # stop servers idle for an hour
#HUB_SSL_CERT=/etc/letsencrypt/live/HOST/fullchain.pem
#HUB_SSL_KEY=/etc/letsencrypt/live/HOST/privkey.pem
CONF
fi
chmod 644 "$H/etc/hub.conf"
if [ ! -s "$HUB_STATE/admin_token" ]; then
	(umask 077 && "$H/venv-hub/bin/python" -c 'import secrets; print(secrets.token_hex(32))' >"$HUB_STATE/admin_token")
fi
getent group "$HUB_STUDENT_GROUP" >/dev/null || groupadd --system "$HUB_STUDENT_GROUP"

# The course and its caches (skipped when this commit is already installed).
want="$(git -C "$REPO" rev-parse --short=12 HEAD 2>/dev/null || echo none)"
have="$(basename "$(readlink "$H/course" 2>/dev/null || echo none)")"
if [ "$have" = "$want" ] && [ -f "$H/gocache-primed/dlgo-primed-id" ]; then
	log "course: $have installed"
else
	"$HUB_SRC/update-course" --no-sync
fi
chmod -R a+rX "$H/bin" "$H/etc" "$H/share" "$H/gobin"
log "done in $(($(date +%s) - t0))s; start the hub with tools/hub/start.sh"
