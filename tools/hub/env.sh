# shellcheck shell=bash
# Shared settings of the hub scripts (sourced by install.sh, start.sh, stop.sh,
# add-students, update-course, hubctl, test.sh and loadtest).
#
# Every setting can be given in the environment; otherwise it comes from
# $HUB_PREFIX/etc/hub.conf (written by install.sh with the defaults below, for
# the instructor to edit), otherwise from the default here.
#
# After sourcing: HUB_SRC (this folder), REPO (the repository root),
# HUB_PREFIX and the HUB_* settings, exported.

HUB_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HUB_SRC/../.." && pwd)"
export HUB_SRC REPO

# Where everything is installed: root-owned, world-readable, not under /root
# (mode 0700 there: students could not run anything from it).
HUB_PREFIX="${HUB_PREFIX:-/opt/dlgo-hub}"
export HUB_PREFIX

# The instructor's settings file overrides the defaults, the environment
# overrides both: remember what the caller set, source, restore.
_hub_saved="$(export -p | grep -E '^declare -x HUB_[A-Z_]+=' || true)"
if [ -r "$HUB_PREFIX/etc/hub.conf" ]; then
	# shellcheck source=/dev/null
	source "$HUB_PREFIX/etc/hub.conf"
fi
eval "$_hub_saved"
unset _hub_saved

: "${HUB_IP:=127.0.0.1}"          # address the hub listens on (0.0.0.0: every interface)
: "${HUB_PORT:=8000}"             # the hub's public port; HUB_PORT+1 and +2 serve the hub's and the proxy's APIs
: "${HUB_USER_PORTS:=18100}"      # first port of the students' servers (one port per student, kept)
: "${HUB_STATE:=$HUB_PREFIX/state}" # database, secrets, passwords, logs (mode 0700)
: "${HUB_ADMIN:=}"                # the instructor's user name (set with add-students --admin)
: "${HUB_MEM_LIMIT:=2G}"          # memory per student (server, kernels, builds), enforced by cgroups
: "${HUB_CPU_LIMIT:=1}"           # CPUs per student at most (0: no cap), enforced by cgroups
: "${HUB_PIDS_LIMIT:=2048}"       # processes and threads per student
: "${HUB_CLASS_MEM_RESERVE:=1G}"  # memory kept free of students for the hub and the system
: "${HUB_GOCACHE_MAX:=1G}"        # a student's Go build cache is trimmed to this at server start
: "${HUB_IDLE_TIMEOUT:=3600}"     # stop servers idle this many seconds (0: never)
: "${HUB_GOPLS:=0}"               # 1: give kernels gopls (completion; about 60-130 MB per kernel)
: "${HUB_STUDENT_GROUP:=dlgo-students}" # Linux group of the students made by add-students
: "${HUB_SSL_CERT:=}"             # HTTPS: certificate and key files (README: "HTTPS")
: "${HUB_SSL_KEY:=}"
export HUB_IP HUB_PORT HUB_USER_PORTS HUB_STATE HUB_ADMIN HUB_MEM_LIMIT HUB_CPU_LIMIT \
	HUB_PIDS_LIMIT HUB_CLASS_MEM_RESERVE HUB_GOCACHE_MAX HUB_IDLE_TIMEOUT HUB_GOPLS \
	HUB_STUDENT_GROUP HUB_SSL_CERT HUB_SSL_KEY

# Go: the official install location when go is not on PATH.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
	PATH="/usr/local/go/bin:$PATH"
	export PATH
fi

# hub_need_root exits unless the caller is root (users, homes, cgroups).
hub_need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "hub: $(basename "$0") must run as root (it manages Linux users and their servers)" >&2
		exit 1
	fi
}

# hub_url prints the hub's URL as seen from this machine.
hub_url() {
	local scheme=http host="$HUB_IP"
	[ -n "$HUB_SSL_CERT" ] && scheme=https
	case "$host" in 0.0.0.0 | "" | "::") host=127.0.0.1 ;; esac
	echo "$scheme://$host:$HUB_PORT"
}
