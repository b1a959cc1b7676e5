#!/bin/sh
# Applies the routing artifact `cutover gate` wrote, and refuses when there is none: the gate writes
# artifacts only when it allows or rolls a route back, and deletes stale ones when it blocks, so
# "no artifact" means "do not shift".
# Usage: ci/scripts/apply-routing.sh reports/routing
# The gateway-specific part comes from GATEWAY_APPLY_COMMAND, run with ROUTING_DIR set, e.g.
#   GATEWAY_APPLY_COMMAND='cp "$ROUTING_DIR"/cutover-routing.*.conf /etc/nginx/conf.d/ && nginx -s reload'
set -eu
dir="${1:?usage: apply-routing.sh ROUTING_DIR}"
if [ ! -f "$dir/cutover-weights.json" ]; then
  echo "apply-routing: no routing artifact in $dir (the gate did not allow the shift); nothing applied" >&2
  exit 1
fi
echo "apply-routing: applying the gate's routing decision:"
cat "$dir/cutover-weights.json"
if [ -z "${GATEWAY_APPLY_COMMAND:-}" ]; then
  echo "apply-routing: GATEWAY_APPLY_COMMAND is not set; set it to the command that loads the artifact into your gateway" >&2
  exit 1
fi
ROUTING_DIR="$dir" sh -c "$GATEWAY_APPLY_COMMAND"
echo "apply-routing: applied"
