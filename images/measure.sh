#!/usr/bin/env bash
# Measures the images images/build.sh made: size, time from `podman run` to "Sidecar is ready" with
# and without the class-data-sharing archives, memory at idle and under load with 10,000 and
# 1,000,000 cached entitlements. Prints a Markdown report and writes it to
# benchmarks/results/images.md.
#
#   images/measure.sh [runs per variant, default 7]
#
# The sidecar runs against the emulator container (both on the host network, loopback ports), as
# in production: real upstream calls, real-time connection, and under the memory limit the operator
# gives it by default (384 MiB), which sizes the JVM's heap. Startup is the median of the runs, taken
# in rounds with the floor (below). The loaded rows need a JDK on the path and the benchmark jar
# (benchmarks/target/stigg-benchmarks.jar).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=${1:-7}
source "$here/containers.sh"
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n 1)
report=$root/benchmarks/results/images.md

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
cleanup() { podman rm -f -i -t 2 measure-emulator measure-sidecar >/dev/null 2>&1 || true; }
trap cleanup EXIT
cleanup

# The three variants are the image's own entry point, without its archive, and with no sharing.
as_built=$(podman image inspect --format '{{json .Config.Entrypoint}}' "localhost/stigg-sidecar:$version")
archive_flag='"-XX:SharedArchiveFile=/app/stigg-sidecar.jsa"'
[[ $as_built == *"$archive_flag"* ]] || { echo "images/measure.sh: the sidecar image has no AppCDS archive (built with --no-cds?)" >&2; exit 1; }
entrypoints=("$as_built" "${as_built/$archive_flag,/}" "${as_built/$archive_flag/\"-Xshare:off\"}")

api_port=$(free_port)
podman run -d --name measure-emulator --network host --read-only "localhost/stigg-emulator:$version" \
  --host 127.0.0.1 --port "$api_port" --api-key measure >/dev/null
until podman logs measure-emulator 2>&1 | grep -q "Stigg emulator is ready"; do sleep 0.1; done

# One start: milliseconds from `podman run` to the ready line; leaves the container running.
start_sidecar() { # entrypoint
  local grpc_port http_port started line
  grpc_port=$(free_port); http_port=$(free_port)
  last_grpc_port=$grpc_port
  started=$(date +%s%N)
  exec 3< <(podman run --rm --name measure-sidecar --network host --read-only --memory 384m --entrypoint "$1" \
    -e SERVER_API_KEY=measure -e API_URL="http://127.0.0.1:$api_port" -e EDGE_API_URL="http://127.0.0.1:$api_port" \
    -e WS_URL="ws://127.0.0.1:$api_port" -e PORT="$grpc_port" -e HTTP_PORT="$http_port" \
    "localhost/stigg-sidecar:$version" 2>&1)
  while read -r line <&3; do
    if [[ $line == *"Sidecar is ready"* ]]; then
      echo $(( ($(date +%s%N) - started) / 1000000 ))
      return 0
    fi
  done
  echo "the sidecar stopped before it was ready" >&2
  return 1
}
stop_sidecar() { podman stop -t 10 measure-sidecar >/dev/null; exec 3<&-; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# The floor a start is measured against: the same image's JVM, with the same archive, printing its
# version and exiting (container creation, JVM boot and exit; no sidecar code).
floor_start() {
  local started
  started=$(date +%s%N)
  podman run --rm --network host --read-only --memory 384m --entrypoint /opt/java/bin/java \
    "localhost/stigg-sidecar:$version" -XX:SharedArchiveFile=/app/stigg-sidecar.jsa -version >/dev/null 2>&1
  echo $(( ($(date +%s%N) - started) / 1000000 ))
}

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$(podman inspect --format '{{.State.Pid}}' "$1")/status"; }
# What the kubelet reports as the container's memory working set (and evicts and OOM-ranks by):
# the cgroup's usage minus its inactive page cache, cgroup v1 or v2.
working_set_mb() { # container
  local pid cg usage inactive
  pid=$(podman inspect --format '{{.State.Pid}}' "$1")
  cg=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' "/proc/$pid/cgroup")
  if [[ -n $cg && -f /sys/fs/cgroup/memory$cg/memory.usage_in_bytes ]]; then
    usage=$(cat "/sys/fs/cgroup/memory$cg/memory.usage_in_bytes")
    inactive=$(awk '$1 == "total_inactive_file" {print $2}' "/sys/fs/cgroup/memory$cg/memory.stat")
  else
    cg=$(awk -F: '$1 == "0" {print $3}' "/proc/$pid/cgroup")
    usage=$(cat "/sys/fs/cgroup$cg/memory.current")
    inactive=$(awk '$1 == "inactive_file" {print $2}' "/sys/fs/cgroup$cg/memory.stat")
  fi
  echo $(( (usage - inactive) / 1048576 ))
}

declare -A startup idle working samples
variants=("AppCDS archive (the image's default)" "JDK's default CDS only" "no class-data sharing")
# Rounds of one floor start and one start of each variant, so that the machine's speed, which drifts
# over minutes, weighs on all of them alike; the sidecar's own part is the median of its start minus
# the floor of the same round.
floor_samples=()
own_samples=()
for _ in $(seq 1 "$runs"); do
  floor_now=$(floor_start)
  floor_samples+=("$floor_now")
  for i in "${!variants[@]}"; do
    sample=$(start_sidecar "${entrypoints[$i]}")
    stop_sidecar
    samples[$i]+="$sample "
    if (( i == 0 )); then
      own_samples+=($(( sample - floor_now )))
    fi
  done
done
floor=$(printf '%s\n' "${floor_samples[@]}" | median)
own=$(printf '%s\n' "${own_samples[@]}" | median)
echo "measured: floor (podman run of the image's JVM printing its version): $floor ms (runs: ${floor_samples[*]})" >&2
for i in "${!variants[@]}"; do
  # shellcheck disable=SC2086 # the samples are words
  startup[$i]=$(printf '%s\n' ${samples[$i]} | median)
  start_sidecar "${entrypoints[$i]}" >/dev/null
  sleep 10
  idle[$i]=$(rss_mb measure-sidecar)
  working[$i]=$(working_set_mb measure-sidecar)
  stop_sidecar
  echo "measured: ${variants[$i]}: ${startup[$i]} ms (runs: ${samples[$i]% }), idle RSS ${idle[$i]} MB," \
    "working set ${working[$i]} MiB" >&2
done
echo "measured: the sidecar's own part of a start (AppCDS archive, minus the floor of the same round): $own ms (runs: ${own_samples[*]})" >&2
# Before it serves the loaded rows below (a million entitlements grow its heap).
emulator_idle=$(rss_mb measure-emulator)

# Under load with a filled cache: the benchmark harness fills the sidecar's cache through misses
# against the emulator, then checks random customers at 32 in flight for 10 s; the working set is
# sampled every half second of that window (the peak is reported), and again 15 s after it.
load_jar=$root/benchmarks/target/stigg-benchmarks.jar
declare -A loaded settled load_line
sizes=(10000 1000000)
if [[ -f $load_jar ]]; then
  for size in "${sizes[@]}"; do
    start_sidecar "${entrypoints[0]}" >/dev/null
    load_out=$(mktemp)
    java -jar "$load_jar" load --api "http://127.0.0.1:$api_port" --target "127.0.0.1:$last_grpc_port" \
      --entitlements "$size" --seconds 10 >"$load_out" 2>&1 &
    load_pid=$!
    peak=0
    while kill -0 "$load_pid" 2>/dev/null; do
      if grep -q '^measuring' "$load_out"; then
        now=$(working_set_mb measure-sidecar)
        (( now > peak )) && peak=$now
      fi
      sleep 0.5
    done
    wait "$load_pid" || { echo "images/measure.sh: the load of $size entitlements failed:" >&2; cat "$load_out" >&2; exit 1; }
    loaded[$size]=$peak
    load_line[$size]=$(grep 'entitlements:' "$load_out")
    sleep 15
    settled[$size]=$(working_set_mb measure-sidecar)
    stop_sidecar
    rm -f "$load_out"
    echo "measured: ${load_line[$size]}; working set peak ${loaded[$size]} MiB, 15 s later ${settled[$size]} MiB" >&2
  done
else
  echo "images/measure.sh: $load_jar not built; skipping the loaded rows (mvn -B package -DskipTests)" >&2
fi

{
  echo "# Container images: size, startup and idle memory"
  echo
  echo "\`images/measure.sh $runs\` on $(nproc) cores, $(date -u +%Y-%m-%d), images $version."
  echo
  echo "| image | size in storage | OCI archive (compressed) |"
  echo "|---|---:|---:|"
  for name in stigg-sidecar stigg-persistent-cache stigg-emulator stigg-sidecar-operator stigg-sidecar-webhook; do
    size=$(podman image inspect --format '{{.Size}}' "localhost/$name:$version")
    archive=$here/target/oci/$name-$version.oci.tar
    echo "| $name | $(( size / 1000000 )) MB | $( [[ -f $archive ]] && echo "$(( $(stat -c %s "$archive") / 1000000 )) MB" || echo "not built" ) |"
  done
  echo
  echo "Sidecar (memory limit 384 MiB, the operator's default), from \`podman run\` to \`Sidecar is ready\` (median of $runs), resident memory after 10 s idle, and the container's working set then (cgroup usage minus inactive page cache: what the kubelet reports):"
  echo
  echo "| class-data sharing | startup | idle RSS | idle working set |"
  echo "|---|---:|---:|---:|"
  for i in "${!variants[@]}"; do
    echo "| ${variants[$i]} | ${startup[$i]} ms | ${idle[$i]} MB | ${working[$i]} MiB |"
  done
  if [[ -f $load_jar ]]; then
    echo
    echo "Under load, with the image's default entry point and the same limit: the cache filled through misses (10 entitlements per customer), then random customers checked at 32 in flight for 10 s by the benchmark harness (\`stigg-benchmarks.jar load\`). Working set: the peak of samples every 0.5 s in that window, and 15 s after it."
    echo
    echo "| cached entitlements | checks/s, p99 | working set under load (peak) | 15 s later |"
    echo "|---:|---|---:|---:|"
    for size in "${sizes[@]}"; do
      echo "| $(sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$size") | ${load_line[$size]#*: } | ${loaded[$size]} MiB | ${settled[$size]} MiB |"
    done
  fi
  echo
  echo "Floor: \`podman run\` of the same image's JVM with the same archive, printing its version and exiting (container creation, JVM boot and exit, no sidecar code): $floor ms (median of $runs). Each round starts the floor and then each variant once, so that the machine's speed, which drifts over minutes, weighs on all alike. What the sidecar's own start adds, the median over the rounds of its start (AppCDS archive) minus the floor of the same round: $own ms."
  echo
  echo "The emulator at idle (with its AppCDS archive, after serving the sidecar starts above, before the loaded rows): ${emulator_idle} MB resident."
} | tee "$report"
