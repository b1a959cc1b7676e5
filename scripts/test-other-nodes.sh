#!/usr/bin/env bash
# Runs the tests that use cutover as a user does (installed from its tarballs; verify and gate
# against the example system's real servers) on other Node majors, taken from the npm registry's
# `node` package (`npm i node@24` gives node_modules/node/bin/node). The workspace must be built.
#
#   scripts/test-other-nodes.sh [majors...]     # default: 22 24
set -uo pipefail
cd "$(dirname "$0")/.."
majors=("$@")
[ ${#majors[@]} -gt 0 ] || majors=(22 24)
# The subset: the tarball install test and the verify + gate flow on real processes.
tests=(test/install.test.ts test/cutover-flow.test.ts)
# From Node 24 on the broker's SQLite engine is node:sqlite (see packages/broker/README.md): its
# SQLite suite end to end, adapter, publish, can-i-deploy, the matrix and migrations. Before 24 the
# engine is better-sqlite3, whose workspace build is for this machine's Node only; the tarball test
# compiles it for that Node and runs `cutover broker` on SQLite there.
broker_sqlite_tests=(
  packages/broker/src/storage/sqlite.test.ts
  packages/broker/src/storage/migrations.test.ts
  packages/broker/src/storage/matrix.test.ts
  packages/broker/src/routes/publish.test.ts
  packages/broker/src/routes/matrix.test.ts
  packages/broker/src/reliability.test.ts
)

status=0
for major in "${majors[@]}"; do
  dir=$(mktemp -d "${TMPDIR:-/tmp}/cutover-node$major-XXXXXX")
  echo "== Node $major: installing node@$major from the npm registry"
  if ! (cd "$dir" && echo '{"private":true}' >package.json && npm install --no-audit --no-fund --silent "node@$major"); then
    echo "CI: installing node@$major failed"
    status=2
    rm -rf "$dir"
    continue
  fi
  bin="$dir/node_modules/node/bin"
  if ! version=$("$bin/node" --version) || [ "${version%%.*}" != "v$major" ]; then
    echo "CI: node@$major installed no working Node $major binary (got: ${version:-nothing})"
    status=2
    rm -rf "$dir"
    continue
  fi
  # Native addons (the broker's better-sqlite3) must compile against this node's headers, not the
  # ones npm is configured with (Debian's: the machine's own node): the node package's
  # platform-specific dependency ships them.
  headers=$(dirname "$(find "$dir/node_modules" -path '*/include/node/node_version.h' -print -quit)")
  if [ ! -f "$headers/node_version.h" ]; then
    echo "CI: node@$major came without its C headers (include/node): native addons cannot be built for it"
    status=2
    rm -rf "$dir"
    continue
  fi
  export npm_config_nodedir="${headers%/include/node}"
  run=("${tests[@]}")
  [ "$major" -lt 24 ] || run+=("${broker_sqlite_tests[@]}")
  echo "== Node $version: ${run[*]} (native addons built against $npm_config_nodedir)"
  # That node first on the PATH: vitest, npx, npm and the bin's `#!/usr/bin/env node` all use it.
  PATH="$bin:$PATH" node node_modules/vitest/vitest.mjs run "${run[@]}" --reporter=default || status=1
  rm -rf "$dir"
  unset npm_config_nodedir
done
exit "$status"
