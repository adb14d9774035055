#!/usr/bin/env bash
# The demo: builds the jars, starts the local Stigg API emulator with its sample catalog and a
# sidecar against it, answers real checks through the sidecar's gRPC API, then stops both.
# Usage: ./demo.sh            (needs JDK 17+ and Maven 3.8+; uses free loopback ports)
set -euo pipefail
cd "$(dirname "$0")"

work=$(mktemp -d)
cleanup() {
  [[ -n "${sidecar_pid:-}" ]] && kill "$sidecar_pid" 2>/dev/null || true
  [[ -n "${emulator_pid:-}" ]] && kill "$emulator_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { # file, text, what
  for _ in $(seq 1 150); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "$3 did not start; its output:" >&2; cat "$1" >&2; exit 1
}

if [[ ! -f emulator/target/stigg-emulator.jar || ! -f sidecar/target/stigg-sidecar.jar || "${REBUILD:-1}" == 1 ]]; then
  echo "==> building the jars (mvn -q package -DskipTests -Dimages.skip)"
  mvn -B -q package -DskipTests -Dimages.skip
fi

api_port=$(free_port); grpc_port=$(free_port); http_port=$(free_port)
key=demo-server-key

echo "==> starting the Stigg API emulator on 127.0.0.1:$api_port (sample catalog)"
java -jar emulator/target/stigg-emulator.jar --port "$api_port" --api-key "$key" > "$work/emulator.log" 2>&1 &
emulator_pid=$!
wait_for "$work/emulator.log" "Stigg emulator is ready" "the emulator"

echo "==> starting the sidecar: gRPC on 127.0.0.1:$grpc_port, health and metrics on :$http_port"
SERVER_API_KEY=$key API_URL=http://127.0.0.1:$api_port EDGE_API_URL=http://127.0.0.1:$api_port \
  WS_URL=ws://127.0.0.1:$api_port PORT=$grpc_port HTTP_PORT=$http_port LOG_LEVEL=warn \
  ENTITLEMENTS_FALLBACK='{"feature-sso":{"hasAccess":true}}' \
  java -jar sidecar/target/stigg-sidecar.jar > "$work/sidecar.log" 2>&1 &
sidecar_pid=$!
wait_for "$work/sidecar.log" "Sidecar is ready" "the sidecar"

client() { java -jar sidecar/target/stigg-sidecar.jar client "$@" --target "127.0.0.1:$grpc_port"; }

echo
echo "==> May acme (Pro plan) make 5 more API calls this month? (GetMeteredEntitlement)"
client check --type metered --customer acme --feature feature-api-calls --usage 5
echo
echo "==> May globex (Free plan, 999 of 1000 used) make 5 more? (denied)"
client check --type metered --customer globex --feature feature-api-calls --usage 5
echo
echo "==> Report 3 API calls for acme (ReportUsage: Stigg counts, the sidecar's cache follows)"
client report-usage --customer acme --feature feature-api-calls --value 3
echo
echo "==> May acme store data in apac? (GetEnumEntitlement)"
client check --type enum --customer acme --feature feature-region --values apac
echo
echo "==> /readyz"
curl -s "http://127.0.0.1:$http_port/readyz"; echo
echo
echo "==> a few of /metrics"
curl -s "http://127.0.0.1:$http_port/metrics" | grep -E '^sidecar_(cache_hits|cache_misses|grpc_server_requests_seconds_count)' || true
echo
echo "Demo done: the sidecar answered from Stigg's (emulated) API and its cache."
