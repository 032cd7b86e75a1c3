#!/usr/bin/env bash
# Starts the class hub (JupyterHub and its proxy) in the background, as root,
# and prints its URL. The hub starts each student's JupyterLab at login and
# stops them all when it stops (tools/hub/stop.sh). Log: $HUB_STATE/hub.log.
#
#   tools/hub/start.sh                # background; returns when the hub answers
#   tools/hub/start.sh --foreground   # for a service manager (README: systemd)
#
# Settings: env.sh ($HUB_PREFIX/etc/hub.conf, the environment).
set -euo pipefail
# shellcheck source=SCRIPTDIR/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
hub_need_root

log() { echo "hub/start: $*" >&2; }
H="$HUB_PREFIX"
[ -x "$H/venv-hub/bin/jupyterhub" ] && [ -e "$H/course" ] || { log "not installed: run tools/hub/install.sh"; exit 1; }
fg=0
[ "${1:-}" = --foreground ] && fg=1

pid="$(cat "$HUB_STATE/jupyterhub.pid" 2>/dev/null || true)"
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q jupyterhub "/proc/$pid/cmdline" 2>/dev/null; then
	log "already running (pid $pid): $(hub_url)/"
	exit 0
fi
if [ -z "$HUB_ADMIN" ] && [ ! -s "$H/etc/admins" ]; then
	log "note: no instructor account yet (tools/hub/add-students --admin NAME)"
fi
case "$HUB_IP" in
127.* | localhost | ::1) ;;
*) [ -n "$HUB_SSL_CERT" ] || log "WARNING: listening on $HUB_IP without HTTPS: passwords cross the network in clear. Set HUB_SSL_CERT/HUB_SSL_KEY or put an HTTPS proxy in front (README)." ;;
esac

# A clean environment: the settings, a plain PATH (node for the proxy), UTF-8.
vars=(PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME="$HUB_STATE" HUB_GOROOT="$(go env GOROOT)")
while IFS= read -r v; do vars+=("$v=${!v}"); done < <(compgen -e | grep -E '^HUB_[A-Z_]+$')
cd "$HUB_STATE"
cmd=(env -i "${vars[@]}" "$H/venv-hub/bin/jupyterhub" -f "$H/etc/jupyterhub_config.py")
if [ "$fg" = 1 ]; then
	exec "${cmd[@]}"
fi
echo "---- $(date -Is) start" >>"$HUB_STATE/hub.log"
setsid "${cmd[@]}" >>"$HUB_STATE/hub.log" 2>&1 </dev/null &
hub=$!
for _ in $(seq 1 120); do
	if curl -fsk -o /dev/null "$(hub_url)/hub/api/"; then
		log "running (pid $hub): open $(hub_url)/ ; log: $HUB_STATE/hub.log"
		exit 0
	fi
	if ! kill -0 "$hub" 2>/dev/null; then
		log "the hub exited; the end of its log:"
		tail -n 30 "$HUB_STATE/hub.log" >&2
		exit 1
	fi
	sleep 0.5
done
log "the hub did not answer within 60s; log: $HUB_STATE/hub.log"
exit 1
