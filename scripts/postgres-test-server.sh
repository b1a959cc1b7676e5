#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server: a fresh cluster in a temporary directory on a
# free port, its URL exported as CUTOVER_TEST_POSTGRES_URL, stopped and removed when the command
# ends (whatever way it ends). Exits with the command's status; a server that fails to start
# fails the run.
#
#   bash scripts/postgres-test-server.sh npm test
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "postgres-test-server: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (install Debian's postgresql)" >&2
  exit 2
fi
data=$(mktemp -d /tmp/cutover-pg.XXXXXX)
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
as_postgres=()
# initdb refuses to run as root; the cluster belongs to the postgres user then.
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$data"
  as_postgres=(runuser -u postgres --)
fi
stop() {
  "${as_postgres[@]}" "$bin/pg_ctl" -D "$data/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap stop EXIT INT TERM
"${as_postgres[@]}" "$bin/initdb" -D "$data/db" -U postgres --auth=trust -E UTF8 >"$data/initdb.log" 2>&1 ||
  { cat "$data/initdb.log" >&2; echo "postgres-test-server: initdb failed" >&2; exit 2; }
"${as_postgres[@]}" "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
  -o "-p $port -h 127.0.0.1 -k $data -c fsync=off -c max_connections=200" start >/dev/null ||
  { cat "$data/server.log" >&2; echo "postgres-test-server: the server did not start" >&2; exit 2; }
export CUTOVER_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "postgres-test-server: PostgreSQL on $CUTOVER_TEST_POSTGRES_URL"
set +e
"$@"
status=$?
set -e
exit "$status"
