#!/usr/bin/env bash
# podman with the images' private configuration and storage (images/containers.sh), so the images
# images/build.sh made can be listed, run and pushed without touching the host's container setup:
#   images/podman.sh images
#   images/podman.sh run --rm --network host stigg-sidecar:0.1.0-SNAPSHOT
set -euo pipefail
source "$(dirname "$0")/containers.sh"
case "${1:-}" in
  load|pull|push|save|import|commit|build) isolated podman "$@" ;;
  *) exec podman "$@" ;;
esac
