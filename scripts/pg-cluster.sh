#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 + PostGIS cluster on port ${PGPORT:-55432} for tests and
# prints its URL. Usage: eval "$(scripts/pg-cluster.sh start)"; scripts/pg-cluster.sh stop
set -euo pipefail
PGBIN=/usr/lib/postgresql/15/bin
PORT=${PGPORT:-55432}
DIR=${BRJ_PG_DIR:-/tmp/brujula-pg-$PORT}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
  start)
    as_pg "$PGBIN/pg_ctl" -D "$DIR" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DIR"; mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    as_pg "$PGBIN/initdb" -D "$DIR" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$PGBIN/pg_ctl" -D "$DIR" -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" -l "$DIR/server.log" -w start >/dev/null
    echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    as_pg "$PGBIN/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
esac
