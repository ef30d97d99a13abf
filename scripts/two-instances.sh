#!/usr/bin/env bash
# Two instances of the app on one throwaway PostgreSQL, for a try-out of running several instances
# (docs/scale-out.md). Instance A also runs the embedded local tenant; B signs in through it. Both keep their
# sessions and key ring in the database, so one browser can switch between the two ports at will (cookies are per
# host, not per port, as behind a load balancer). Ctrl-C stops both apps and the cluster and deletes its folder.
#
#   scripts/two-instances.sh            A on http://127.0.0.1:5080, B on http://127.0.0.1:5083, tenant on :5081
#   PG_PORT=55432 scripts/two-instances.sh
#
# Needs PostgreSQL's server binaries (Debian: apt-get install postgresql; scripts/install-prerequisites.sh does it).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port_a="${PORT_A:-5080}"
port_b="${PORT_B:-5083}"
port_tenant="${PORT_TENANT:-5081}"
pg_port="${PG_PORT:-55432}"

bin="$(dirname "$(command -v initdb 2>/dev/null || true)")"
if [[ ! -x "$bin/initdb" ]]; then
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
fi
if [[ -z "$bin" || ! -x "$bin/initdb" || ! -x "$bin/pg_ctl" ]]; then
  echo "PostgreSQL's server binaries were not found (Debian: apt-get install postgresql)." >&2
  exit 1
fi

folder="$(mktemp -d -t ll-two-instances-XXXXXX)"
pids=()
# PostgreSQL refuses to run as root: as root the cluster belongs to the postgres user, as the tests do it.
as_owner=()
if [[ "$(id -u)" == 0 ]]; then
  owner=postgres
  id -u "$owner" >/dev/null 2>&1 || owner=nobody
  chown "$owner" "$folder"
  as_owner=(runuser -u "$owner" --)
fi

stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "${as_owner[@]}" "$bin/pg_ctl" stop -D "$folder/data" -m fast -w >/dev/null 2>&1 || true
  rm -rf "$folder"
  exit 0
}
trap stop INT TERM EXIT

echo "PostgreSQL ($bin) in $folder, port $pg_port"
"${as_owner[@]}" "$bin/initdb" -D "$folder/data" --username=postgres --auth=trust --encoding=UTF8 --no-locale --no-sync >/dev/null
cat >>"$folder/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$folder'
fsync = off
max_connections = 200
CONF
"${as_owner[@]}" "$bin/pg_ctl" start -D "$folder/data" -w -l "$folder/postgres.log" -o "-p $pg_port" >/dev/null
database="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=legacylinking"

echo "Building the app..."
dotnet build "$repo/web/LegacyLinking.Web" -c Release -nologo -v q >/dev/null
app="$repo/web/LegacyLinking.Web/bin/Release/net10.0/LegacyLinking.Web.dll"

# Settings both instances share: one database, the sessions in it, the key ring in it (the default on PostgreSQL).
common=(
  --environment=Development
  "--contentRoot=$repo/web/LegacyLinking.Web"
  --Database:Provider=Postgres
  "--ConnectionStrings:LegacyLinking=$database"
  --Sessions:Store=Database
)

# A: the app and the embedded local tenant, which also accepts B's callbacks (and A's on other ports than 5080).
mkdir -p "$folder/a" "$folder/b"
HOME="$folder/a" dotnet "$app" "${common[@]}" \
  "--urls=http://127.0.0.1:$port_a" \
  "--LocalTenant:Url=http://127.0.0.1:$port_tenant" \
  "--LocalTenant:DataPath=$folder/a/tenant.db" \
  "--LocalTenant:Clients:0:RedirectUris:4=http://127.0.0.1:$port_b/callback" \
  "--LocalTenant:Clients:0:RedirectUris:5=http://127.0.0.1:$port_b/link/callback" \
  "--LocalTenant:Clients:0:AllowedLogoutUrls:2=http://127.0.0.1:$port_b/" \
  "--LocalTenant:Clients:0:RedirectUris:6=http://127.0.0.1:$port_a/callback" \
  "--LocalTenant:Clients:0:RedirectUris:7=http://127.0.0.1:$port_a/link/callback" \
  "--LocalTenant:Clients:0:AllowedLogoutUrls:3=http://127.0.0.1:$port_a/" \
  "--Migration:JournalPath=$folder/a/journal" \
  >"$folder/a/app.log" 2>&1 &
pids+=($!)

# B: another machine (its own home folder), signing in through A's tenant; A alone reads the tenant's logs.
HOME="$folder/b" dotnet "$app" "${common[@]}" \
  "--urls=http://127.0.0.1:$port_b" \
  "--Auth0:Domain=http://127.0.0.1:$port_tenant" \
  --Auth0:ClientId=legacylinking-web \
  --Auth0:ClientSecret=dev-only-web-secret \
  --Migration:DepnotePollSeconds=0 \
  "--Migration:JournalPath=$folder/b/journal" \
  >"$folder/b/app.log" 2>&1 &
pids+=($!)

for port in "$port_a" "$port_b"; do
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/health/ready" 2>/dev/null; then break; fi
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "An instance stopped; its log:" >&2; tail -n 30 "$folder"/?/app.log >&2; exit 1; }
    done
    sleep 0.5
  done
done

cat <<INFO

Instance A: http://127.0.0.1:$port_a   (log $folder/a/app.log)
Instance B: http://127.0.0.1:$port_b   (log $folder/b/app.log)
Tenant:     http://127.0.0.1:$port_tenant   (users and passwords: web/LegacyLinking.LocalTenant/localtenant.json)
PostgreSQL: $database

Sign in on one, open the other: the same session. Ctrl-C stops everything.
INFO
wait -n "${pids[@]}" || true
echo "An instance stopped; the end of the logs:" >&2
tail -n 30 "$folder"/?/app.log >&2
