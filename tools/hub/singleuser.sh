#!/bin/sh
# A student's JupyterLab, as the hub starts it (Spawner.cmd): first prepares
# the student's home (student-init: the notebooks on first login and the new
# ones after a course update, the primed Go build cache, the cache's bound),
# then becomes jupyterhub-singleuser with the hub's arguments.
# Installed as $HUB_PREFIX/bin/dlgo-singleuser; runs as the student.
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/venv-user/bin/python" "$here/bin/student-init" ||
	echo "dlgo-singleuser: student-init failed; starting anyway" >&2
exec "$here/venv-user/bin/jupyterhub-singleuser" "$@"
