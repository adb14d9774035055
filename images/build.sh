#!/usr/bin/env bash
# Builds the container images of the sidecar, persistent cache, emulator, operator and webhook from
# their jars, without a daemon or a registry, each with its CycloneDX SBOM in /app/sbom.cdx.json
# (and beside its OCI archive):
#
#   images/build.sh [--no-cds] [--if-available]
#
# Each image is a jlink runtime trimmed to the modules the jars need, the glibc libraries that
# runtime links, a non-root user (65532) and the jar: no shell, no package manager. The sidecar and
# emulator images also carry a class-data-sharing archive recorded from a real start of both
# (--no-cds skips that). Images land in the private storage of images/containers.sh (list them
# with images/podman.sh images) and as OCI archives in images/target/oci/, tagged with the
# project's version.
#
# Needs: the jars (mvn -B package -DskipTests -Dimages.skip), a JDK 17+ with jlink and jdeps, buildah and podman,
# root. --if-available makes a missing tool a skip instead of an error, except under CI=true.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
target=$here/target
cds=1
if_available=0
for arg in "$@"; do
  case "$arg" in
    --no-cds) cds=0 ;;
    --if-available) if_available=1 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "images/build.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

unavailable() {
  if [[ $if_available == 1 && -z "${CI:-}" ]]; then
    echo "images: skipped, $1 (README: Container images)"
    exit 0
  fi
  echo "images/build.sh: $1 (README: Container images)" >&2
  exit 1
}
command -v buildah >/dev/null || unavailable "buildah is not installed (apt-get install buildah podman runc)"
command -v podman >/dev/null || unavailable "podman is not installed (apt-get install buildah podman runc)"
[[ $(id -u) == 0 ]] || unavailable "building images needs root (buildah without user namespaces)"
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
[[ -x "$java_home/bin/jlink" ]] || unavailable "no jlink in $java_home (set JAVA_HOME to a JDK 17+)"

version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -n 1)

# The images, in one place: name | jar | default arguments | ports. manifests/kustomization.yaml
# names the same images with the same tag (ImageNamesTest checks it).
images=(
  "stigg-sidecar|sidecar/target/stigg-sidecar.jar||8443 8080"
  "stigg-persistent-cache|persistent-cache/target/stigg-persistent-cache.jar||8080"
  "stigg-emulator|emulator/target/stigg-emulator.jar|--host 0.0.0.0|8790"
  "stigg-sidecar-operator|operator/target/stigg-operator.jar|run|8080"
  "stigg-sidecar-webhook|webhook/target/stigg-webhook.jar|serve|8443 8080"
)
for spec in "${images[@]}"; do
  IFS='|' read -r _ jar _ _ <<< "$spec"
  [[ -f "$root/$jar" ]] || { echo "images/build.sh: $jar is missing: run mvn -B package -DskipTests -Dimages.skip first" >&2; exit 1; }
done

source "$here/containers.sh"
work=$target/work
mkdir -p "$work" "$target/oci"

# The entry points' JVM flags, with why each, are in jvm.flags.
mapfile -t jvm_flags < <(grep -v -e '^#' -e '^[[:space:]]*$' "$here/jvm.flags")

# jdeps finds what the jars link against, all five in one pass (their dependencies overlap, and one
# JVM is twice as fast as five); TLS (to Stigg, Redis and the API server) also needs the
# elliptic-curve provider, which is only ever looked up at run time. jdeps allocates much and keeps
# little: the parallel collector takes a quarter off its 30 s here.
runtime_modules() { # jars...
  local key cached
  key=$(cat "$@" | sha256sum | cut -c1-16)
  cached=$work/modules-$key
  if [[ ! -s "$cached" ]]; then
    # Checked here rather than by set -e, which does not reach into the $(...) this runs in: an
    # empty answer cached once would make every later build a runtime without modules.
    if ! "$java_home/bin/jdeps" -J-XX:+UseParallelGC --ignore-missing-deps --multi-release 17 --print-module-deps \
        "$@" > "$cached.tmp" \
        || [[ ! -s "$cached.tmp" ]]; then
      echo "images/build.sh: jdeps found no modules for $*" >&2
      rm -f "$cached.tmp"
      return 1
    fi
    mv "$cached.tmp" "$cached"
  fi
  echo "$(cat "$cached"),jdk.crypto.ec"
}

# Native libraries the jars carry for this machine's architecture (Netty's epoll transport in the
# sidecar's), unpacked to $work/native/<image>/. Netty otherwise copies such a library to /tmp at
# every start and loads it from there; from java.library.path it loads in place. Netty names the
# architectures its own way (x86_64, aarch_64).
native_arch=$(uname -m)
[[ $native_arch == aarch64 ]] && native_arch=aarch_64
native_libraries() { # image jar
  local dir=$work/native/$1
  rm -rf "$dir"
  mkdir -p "$dir"
  python3 - "$2" "$dir" "$native_arch" <<'PY'
import os, sys, zipfile
jar, out, arch = sys.argv[1:]
with zipfile.ZipFile(jar) as archive:
    for entry in archive.namelist():
        name = os.path.basename(entry)
        if entry.startswith("META-INF/native/") and name.endswith("_" + arch + ".so"):
            with open(os.path.join(out, name), "wb") as library:
                library.write(archive.read(entry))
PY
}

# A root filesystem with a jlink runtime in /opt/java, the shared libraries it and the jars' native
# libraries load, a non-root user, and a writable /tmp (read-only root filesystems mount a volume
# there). One runtime serves all five images (their module sets differ by a module or two), so a
# node that runs several of them pulls this layer once.
base_recipe=3
base_image() { # modules
  local modules=$1 key rootfs natives
  natives=$(cd "$work/native" && find . -name '*.so' | sort | tr '\n' ' ')
  # The key names what the base is made of: its modules, the native libraries whose dependencies it
  # carries, and this recipe (bump base_recipe when the steps below change, or an older base of the
  # same modules is reused).
  key=$(echo -n "$modules|$natives|$base_recipe" | sha256sum | cut -c1-12)
  if ! buildah inspect --type image "localhost/stigg-jre:$key" >/dev/null 2>&1 \
      || [[ ! -f "$work/runtime-$key.cdx-components.json" ]]; then
    rootfs=$work/rootfs-$key
    rm -rf "$rootfs"
    mkdir -p "$rootfs/opt" "$rootfs/etc" "$rootfs/tmp"
    chmod 1777 "$rootfs/tmp"
    "$java_home/bin/jlink" --add-modules "$modules" --output "$rootfs/opt/java" \
      --strip-debug --no-header-files --no-man-pages --compress=2 --generate-cds-archive >/dev/null
    # java.desktop comes in for java.beans only; its AWT libraries would need X11 and never load
    # headless. The no-compressed-oops archive serves heaps over 32 GB only.
    rm -f "$rootfs"/opt/java/lib/{libawt*,libfontmanager,libjavajpeg,libjawt,libjsound,liblcms,libmlib_image,libsplashscreen}.so \
      "$rootfs/opt/java/lib/server/classes_nocoops.jsa"
    local lib
    { find "$rootfs/opt/java" -name '*.so' -o -path '*/bin/*' -type f; find "$work/native" -name '*.so'; } \
      | xargs ldd 2>/dev/null \
      | grep -o '/[^ ]*\.so[^ ]*' | grep -v "^$rootfs" | sort -u > "$work/libs-$key"
    while read -r lib; do
      mkdir -p "$rootfs$(dirname "$lib")"
      cp -L "$lib" "$rootfs$lib"
    done < "$work/libs-$key"
    runtime_components "$modules" "$work/libs-$key" > "$work/runtime-$key.cdx-components.json"
    echo 'root:x:0:0:root:/root:/sbin/nologin' > "$rootfs/etc/passwd"
    echo 'stigg:x:65532:65532:stigg:/tmp:/sbin/nologin' >> "$rootfs/etc/passwd"
    printf 'root:x:0:\nstigg:x:65532:\n' > "$rootfs/etc/group"
    echo 'hosts: files dns' > "$rootfs/etc/nsswitch.conf"
    local ctr
    ctr=$(buildah from scratch)
    buildah copy --quiet "$ctr" "$rootfs" / >/dev/null
    # Two malloc arenas instead of one per core and thread: less native memory held at idle.
    buildah config --user 65532:65532 --workingdir /tmp --env JAVA_HOME=/opt/java --env MALLOC_ARENA_MAX=2 "$ctr"
    isolated buildah commit --quiet --format oci "$ctr" "localhost/stigg-jre:$key" >/dev/null
    buildah rm "$ctr" >/dev/null
    rm -rf "$rootfs"
  fi
  echo "localhost/stigg-jre:$key"
}

# CycloneDX components for what the base image adds to a jar: the jlink runtime (the JDK's version
# and vendor, the modules kept) and the Debian packages the copied libraries come from.
runtime_components() { # modules libs-file
  local modules=$1 libs=$2 java_version vendor
  java_version=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$java_home/release")
  vendor=$(sed -n 's/^IMPLEMENTOR="\(.*\)"$/\1/p' "$java_home/release")
  {
    echo "jdk|$java_version|$vendor|$modules"
    xargs -r dpkg -S < "$libs" 2>/dev/null | cut -d: -f1 | sort -u | while read -r package; do
      echo "deb|$package|$(dpkg-query -W -f='${Version}' "$package")|"
    done
  } | python3 -c '
import json, sys
components = []
for line in sys.stdin:
    kind, name, version, extra = line.rstrip("\n").split("|", 3)
    if kind == "jdk":
        java_version, vendor, modules = name, version, extra
        components.append({"type": "framework", "bom-ref": "java-runtime@" + java_version, "name": "java-runtime",
            "version": java_version, "supplier": {"name": vendor}, "description": "jlink runtime with modules " + modules})
    else:
        components.append({"type": "library", "bom-ref": "pkg:deb/debian/" + name + "@" + version,
            "name": name, "version": version, "purl": "pkg:deb/debian/" + name + "@" + version + "?arch=amd64"})
print(json.dumps(components))'
}

json_array() { # words...
  local json="" word
  for word in "$@"; do json+="${json:+,}\"$word\""; done
  echo "[$json]"
}

# Extra JVM flags of each image's entry point, by image name (the native libraries' path).
declare -A image_flags
entrypoint_json() { # image [extra JVM flag]
  # shellcheck disable=SC2086 # an image's flags are words, or none
  json_array /opt/java/bin/java "${jvm_flags[@]}" ${image_flags[$1]:-} "${@:2}" -jar "/app/$1.jar"
}

phase_start=$(date +%s)
phase() { echo "==> $1 ($(( $(date +%s) - phase_start )) s so far)"; }

phase "images $version: modules the jars need (jdeps)"
jars=()
for spec in "${images[@]}"; do
  IFS='|' read -r _ jar _ _ <<< "$spec"
  jars+=("$root/$jar")
done
modules=$(runtime_modules "${jars[@]}") || exit 1
rm -rf "$work/native"
for spec in "${images[@]}"; do
  IFS='|' read -r name jar _ _ <<< "$spec"
  native_libraries "$name" "$root/$jar"
  if compgen -G "$work/native/$name/*.so" >/dev/null; then
    image_flags[$name]=-Djava.library.path=/app/native
  fi
done

phase "jlink runtime ($modules)"
base=$(base_image "$modules")

phase "application layers"
for spec in "${images[@]}"; do
  IFS='|' read -r name jar args ports <<< "$spec"
  start=$(date +%s)
  ctr=$(buildah from "$base")
  buildah copy --quiet --chmod 0644 "$ctr" "$root/$jar" "/app/$name.jar" >/dev/null
  if [[ -n ${image_flags[$name]:-} ]]; then
    buildah copy --quiet --chmod 0644 "$ctr" "$work/native/$name"/*.so /app/native/ >/dev/null
  fi
  # The jar's SBOM (Maven wrote it next to the jar) with the runtime and libraries the image adds.
  python3 "$here/image-sbom.py" "$root/${jar%.jar}.cdx.json" "$work/runtime-${base##*:}.cdx-components.json" \
    "$name" "$version" "$target/oci/$name-$version.cdx.json"
  buildah copy --quiet --chmod 0644 "$ctr" "$target/oci/$name-$version.cdx.json" /app/sbom.cdx.json >/dev/null
  buildah config \
    --entrypoint "$(entrypoint_json "$name")" --cmd "$(json_array $args)" \
    --label "org.opencontainers.image.title=$name" --label "org.opencontainers.image.version=$version" \
    --label "dev.stiggsidecar.sbom=/app/sbom.cdx.json" \
    "$ctr"
  [[ $name == stigg-sidecar ]] && buildah config --env PORT=8443 "$ctr"
  for port in $ports; do buildah config --port "$port" "$ctr"; done
  isolated buildah commit --quiet --format oci "$ctr" "localhost/$name:$version" >/dev/null
  buildah rm "$ctr" >/dev/null
  echo "    $name:$version ($(( $(date +%s) - start )) s)"
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
await_log() { # container, text
  for _ in $(seq 1 300); do
    podman logs "$1" 2>&1 | grep -q "$2" && return 0
    sleep 0.1
  done
  echo "images/build.sh: $1 did not print '$2'; its output:" >&2
  podman logs "$1" >&2 || true
  return 1
}

# Class-data sharing: the emulator and a sidecar against it start, the sidecar answers checks and
# its health and metrics endpoints, then both stop; each JVM writes the classes it loaded to an
# archive that the final image maps at start instead of loading and verifying them again.
if [[ $cds == 1 ]]; then
  phase "class-data sharing: recording a start of the emulator and the sidecar"
  cds_dir=$work/cds
  rm -rf "$cds_dir"
  mkdir -p "$cds_dir"
  chmod 0777 "$cds_dir"
  api_port=$(free_port); grpc_port=$(free_port); http_port=$(free_port)
  remove_training() { podman rm -f -i stigg-cds-sidecar stigg-cds-emulator >/dev/null 2>&1 || true; }
  trap remove_training EXIT
  remove_training
  podman run -d --name stigg-cds-emulator --network host --read-only -v "$cds_dir:/cds" \
    --entrypoint "$(entrypoint_json stigg-emulator -XX:ArchiveClassesAtExit=/cds/stigg-emulator.jsa)" \
    "localhost/stigg-emulator:$version" --port "$api_port" --api-key cds-training >/dev/null
  await_log stigg-cds-emulator "Stigg emulator is ready"
  podman run -d --name stigg-cds-sidecar --network host --read-only -v "$cds_dir:/cds" \
    -e SERVER_API_KEY=cds-training -e API_URL="http://127.0.0.1:$api_port" \
    -e EDGE_API_URL="http://127.0.0.1:$api_port" -e WS_URL="ws://127.0.0.1:$api_port" \
    -e PORT="$grpc_port" -e HTTP_PORT="$http_port" \
    -e ENTITLEMENTS_FALLBACK='{"feature-sso":{"hasAccess":true}}' \
    --entrypoint "$(entrypoint_json stigg-sidecar -XX:ArchiveClassesAtExit=/cds/stigg-sidecar.jsa)" \
    "localhost/stigg-sidecar:$version" >/dev/null
  await_log stigg-cds-sidecar "Sidecar is ready"
  client() {
    podman run --rm --network host --read-only "localhost/stigg-sidecar:$version" \
      client "$@" --target "127.0.0.1:$grpc_port" >/dev/null
  }
  client check --type metered --customer acme --feature feature-api-calls --usage 5
  client check --type enum --customer acme --feature feature-region --values apac
  client check --customer acme --feature feature-sso
  client report-usage --customer acme --feature feature-api-calls --value 1
  curl -fsS "http://127.0.0.1:$http_port/readyz" >/dev/null
  curl -fsS "http://127.0.0.1:$http_port/metrics" >/dev/null
  podman stop -t 30 stigg-cds-sidecar stigg-cds-emulator >/dev/null
  for name in stigg-sidecar stigg-emulator; do
    [[ -s "$cds_dir/$name.jsa" ]] || { echo "images/build.sh: no archive for $name; its output:" >&2; podman logs "stigg-cds-${name#stigg-}" >&2; exit 1; }
    ctr=$(buildah from "localhost/$name:$version")
    buildah copy --quiet --chmod 0644 "$ctr" "$cds_dir/$name.jsa" "/app/$name.jsa" >/dev/null
    buildah config --entrypoint "$(entrypoint_json "$name" "-XX:SharedArchiveFile=/app/$name.jsa")" "$ctr" \
      2> >(grep -v "will be passed to entrypoint" >&2)
    isolated buildah commit --quiet --format oci "$ctr" "localhost/$name:$version" >/dev/null
    buildah rm "$ctr" >/dev/null
    echo "    $name: $(( $(stat -c %s "$cds_dir/$name.jsa") / 1024 / 1024 )) MB archive"
  done
  remove_training
  trap - EXIT
fi

phase "OCI archives"
for spec in "${images[@]}"; do
  IFS='|' read -r name _ _ _ <<< "$spec"
  archive=$target/oci/$name-$version.oci.tar
  rm -f "$archive"
  isolated buildah push --quiet "localhost/$name:$version" "oci-archive:$archive:$name:$version" >/dev/null
  echo "    $(realpath --relative-to="$root" "$archive") ($(( $(stat -c %s "$archive") / 1024 / 1024 )) MB)"
done
buildah rmi --prune >/dev/null 2>&1 || true
phase "done"
