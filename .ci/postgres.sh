#!/usr/bin/env bash
# Starts a local PostgreSQL for the store's tests and prints the URL the tests read from
# XPMKIT_TEST_DATABASE_URL. Installs Debian's package when it is absent. Idempotent: a running
# cluster, an existing role and an existing database are kept. Needs root (CI runs as root).
set -euo pipefail

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "installing postgresql (apt-get)" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
  pg_createcluster "$version" main >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online" { found = 1 } END { exit !found }'; then
  pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 50); do
  if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 0.2
done
pg_isready -h 127.0.0.1 -p "$port" >&2

# The tests create a fresh database per test (and drop it), so the role needs CREATEDB; an
# autovacuum worker may still be in a database being dropped, and DROP … WITH (FORCE) may end it
# only with pg_signal_backend.
su postgres -c "psql -q -p $port -v ON_ERROR_STOP=1" >&2 <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'xpmkit_test') THEN
    CREATE ROLE xpmkit_test LOGIN CREATEDB PASSWORD 'xpmkit_test';
  END IF;
END
$$;
GRANT pg_signal_backend TO xpmkit_test;
SELECT 'CREATE DATABASE xpmkit_test OWNER xpmkit_test'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'xpmkit_test') \gexec
SQL

echo "postgres://xpmkit_test:xpmkit_test@127.0.0.1:$port/xpmkit_test"
