#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: Debian's `postgresql`, a cluster in a temp folder owned by an
# unprivileged user, listening on a free loopback port only, with a random password.
#
#   . .ci/postgres.sh && start_postgres    # exports MIANJING_TEST_POSTGRES_URL (and PG_TEST_DIR)
#   stop_postgres                          # stops it and removes the folder
#
# Or from a shell: `eval "$(bash .ci/postgres.sh start)"`, then `bash .ci/postgres.sh stop "$PG_TEST_DIR"`.

_pg_bin() {
  # The newest installed server's binaries (initdb and pg_ctl are not on PATH in Debian's package).
  ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1
}

_pg_as() {
  # initdb and the server refuse to run as root: run them as the cluster's owner.
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$PG_TEST_USER" -- "$@"; else "$@"; fi
}

install_postgres() {
  [ -n "$(_pg_bin)" ] && [ -x "$(_pg_bin)/initdb" ] && return 0
  local as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo -n)
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql > /dev/null
}

start_postgres() {
  install_postgres
  local bin port password
  bin=$(_pg_bin)
  PG_TEST_USER=$(id -un)
  [ "$(id -u)" -eq 0 ] && PG_TEST_USER=postgres
  PG_TEST_DIR=$(mktemp -d /tmp/mianjing-pg.XXXXXX)
  chmod 755 "$PG_TEST_DIR"
  chown "$PG_TEST_USER" "$PG_TEST_DIR"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
  (umask 077 && printf '%s\n' "$password" > "$PG_TEST_DIR/pw")
  chown "$PG_TEST_USER" "$PG_TEST_DIR/pw"
  _pg_as "$bin/initdb" -D "$PG_TEST_DIR/data" -U mianjing --pwfile="$PG_TEST_DIR/pw" --auth=scram-sha-256 \
    -E UTF8 --no-instructions > "$PG_TEST_DIR/initdb.log"
  rm -f "$PG_TEST_DIR/pw"
  _pg_as "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR -c fsync=off" start > /dev/null
  export PG_TEST_DIR PG_TEST_USER
  export MIANJING_TEST_POSTGRES_URL="postgresql://mianjing:$password@127.0.0.1:$port/postgres"
}

stop_postgres() {
  [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR/data" ] || return 0
  _pg_as "$(_pg_bin)/pg_ctl" -D "$PG_TEST_DIR/data" -m fast -w stop > /dev/null || true
  rm -rf "$PG_TEST_DIR"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start)
      start_postgres
      echo "export MIANJING_TEST_POSTGRES_URL='$MIANJING_TEST_POSTGRES_URL' PG_TEST_DIR='$PG_TEST_DIR'"
      ;;
    stop)
      PG_TEST_DIR=${2:?usage: postgres.sh stop DIR}
      PG_TEST_USER=$(stat -c %U "$PG_TEST_DIR")
      stop_postgres
      ;;
    *) echo "usage: bash .ci/postgres.sh start|stop DIR" >&2; exit 2 ;;
  esac
fi
