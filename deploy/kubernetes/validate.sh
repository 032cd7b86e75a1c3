#!/usr/bin/env bash
# Checks the chart values offline, as far as that goes without a cluster:
#   1. YAML syntax of values.yaml, values-https.example.yaml and a class-values
#      file made from tools/hub/class.csv.example;
#   2. the values against the chart's JSON schema (the chart's
#      values.schema.json, or values.schema.yaml in a source checkout), which
#      rejects unknown keys in most sections;
#   3. with helm on PATH (or HELM=...): helm lint and helm template of the
#      chart with these values, and checks on what the hub will be told
#      (image, command, environment, storage, limits, culler).
#
#   deploy/kubernetes/validate.sh CHART
#
# CHART: the chart "jupyterhub" 4.4.0 as a directory (helm pull --untar, or
# the jupyterhub/ folder of the Zero to JupyterHub source at tag 4.4.0) or a
# .tgz. Python with PyYAML and jsonschema: the hub's venv has both
# (PYTHON=... for another).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
chart="${1:?usage: validate.sh CHART (directory or .tgz of the jupyterhub chart)}"
py="${PYTHON:-${HUB_PREFIX:-/opt/dlgo-hub}/venv-hub/bin/python}"
[ -x "$py" ] || py=python3
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [ -f "$chart" ]; then
	tar -xzf "$chart" -C "$tmp"
	chart="$tmp/jupyterhub"
fi
"$here/class-values.sh" --admin teacher "$here/../../tools/hub/class.csv.example" >"$tmp/class-values.yaml"
files=("$here/values.yaml" "$here/values-https.example.yaml" "$tmp/class-values.yaml")

"$py" - "$chart" "${files[@]}" <<'PY'
import json, os, sys
import yaml, jsonschema

chart, files = sys.argv[1], sys.argv[2:]
for name in ("values.schema.json", "values.schema.yaml"):
    path = os.path.join(chart, name)
    if os.path.exists(path):
        with open(path) as f:
            schema = json.load(f) if name.endswith(".json") else yaml.safe_load(f)
        break
else:
    sys.exit("validate: no values.schema.json or values.schema.yaml in %s" % chart)
with open(os.path.join(chart, "Chart.yaml")) as f:
    meta = yaml.safe_load(f)
with open(os.path.join(chart, "values.yaml")) as f:
    defaults = yaml.safe_load(f)

def merge(a, b):
    out = dict(a)
    for k, v in b.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out

values = defaults
for path in files:
    with open(path) as f:
        doc = yaml.safe_load(f)   # 1. syntax
    print("validate: %s: YAML ok" % os.path.basename(path))
    # 2. each file alone over the chart's defaults, then all together
    errs = sorted(jsonschema.Draft7Validator(schema).iter_errors(merge(defaults, doc)), key=str)
    for e in errs:
        print("validate: %s: %s: %s" % (os.path.basename(path), "/".join(map(str, e.path)), e.message))
    if errs:
        sys.exit(1)
    values = merge(values, doc)
errs = list(jsonschema.Draft7Validator(schema).iter_errors(values))
if errs:
    sys.exit("validate: together: %s" % errs[0].message)
print("validate: values match the schema of chart %s %s (JupyterHub %s)"
      % (meta["name"], meta["version"], meta.get("appVersion")))
PY

helm="${HELM:-$(command -v helm || true)}"
if [ -z "$helm" ]; then
	echo "validate: helm not found: the chart was not rendered (schema checks only)"
	exit 0
fi
args=()
for f in "${files[@]}"; do args+=(-f "$f"); done
"$helm" lint "$chart" --kube-version "${KUBE_VERSION:-1.32.0}" "${args[@]}" >"$tmp/lint.txt" 2>&1 || { cat "$tmp/lint.txt"; exit 1; }
echo "validate: helm lint: $(grep -o '[0-9]* chart(s) linted, [0-9]* chart(s) failed' "$tmp/lint.txt")"
"$helm" template dlgo "$chart" --namespace dlgo --kube-version "${KUBE_VERSION:-1.32.0}" "${args[@]}" >"$tmp/rendered.yaml"
"$py" - "$tmp/rendered.yaml" <<'PY'
import base64, sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
kinds = {}
for d in docs:
    kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
print("validate: helm template: %d objects (%s)" % (len(docs), ", ".join("%s %d" % kv for kv in sorted(kinds.items()))))
# The hub reads the chart's values from its secret (values.yaml); check ours arrived.
secret = next(d for d in docs if d["kind"] == "Secret" and d["metadata"]["name"] == "hub")
data = secret.get("data") or {}
raw = base64.b64decode(data["values.yaml"]).decode() if "values.yaml" in data else secret["stringData"]["values.yaml"]
v = yaml.safe_load(raw)
su = v["singleuser"]
checks = {
    "image": su["image"]["name"] + ":" + su["image"]["tag"],
    "cmd ends with": su["cmd"][-2].split(";")[-1].strip(),
    "DLGO_ROOT": su["extraEnv"]["DLGO_ROOT"],
    "home volume": "%s %s at %s" % (su["storage"]["type"], su["storage"]["capacity"], su["storage"]["homeMountPath"]),
    "memory": "%s guaranteed, %s limit" % (su["memory"]["guarantee"], su["memory"]["limit"]),
    "cpu": "%s guaranteed, %s limit" % (su["cpu"]["guarantee"], su["cpu"]["limit"]),
    "authenticator": v["hub"]["config"]["JupyterHub"]["authenticator_class"],
    "admins": ", ".join(v["hub"]["config"]["Authenticator"]["admin_users"]),
}
for k, val in checks.items():
    print("validate:   %s: %s" % (k, val))
assert su["uid"] == 1000 and su["fsGid"] == 100
assert "exec jupyterhub-singleuser" in su["cmd"][2]
cull = [d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "hub"][0]
env = {e["name"] for c in cull["spec"]["template"]["spec"]["containers"] for e in c.get("env", [])}
print("validate:   idle culler: %s" % ("on (timeout %ss)" % v["cull"]["timeout"] if v["cull"]["enabled"] else "off"))
proxy = [d for d in docs if d["kind"] == "Service" and d["metadata"]["name"] == "proxy-public"][0]
print("validate:   proxy-public: %s, ports %s" % (proxy["spec"]["type"], [p["port"] for p in proxy["spec"]["ports"]]))
PY
echo "validate: ok"
