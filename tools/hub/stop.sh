#!/usr/bin/env bash
# Stops the class hub: JupyterHub stops every student's server (SIGTERM first,
# so kernels shut down) and its proxy, then exits. Students' files stay.
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
hub_need_root

log() { echo "hub/stop: $*" >&2; }
pid="$(cat "$HUB_STATE/jupyterhub.pid" 2>/dev/null || true)"
if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null || ! grep -q jupyterhub "/proc/$pid/cmdline" 2>/dev/null; then
	log "not running"
	exit 0
fi
kill -TERM "$pid"
for _ in $(seq 1 240); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.5
done
if kill -0 "$pid" 2>/dev/null; then
	log "the hub did not stop within 120s; killing it"
	kill -KILL "$pid" || true
fi
proxy="$(cat "$HUB_STATE/proxy.pid" 2>/dev/null || true)"
if [ -n "$proxy" ] && kill -0 "$proxy" 2>/dev/null && grep -q configurable-http-proxy "/proc/$proxy/cmdline" 2>/dev/null; then
	kill -TERM "$proxy" || true
fi
log "stopped"
