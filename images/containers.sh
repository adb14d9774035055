# Sourced by build.sh and podman.sh: points buildah and podman at a private configuration, runtime
# state and image storage under images/target/containers (the run root aside, below), so nothing
# under /etc, /var/lib or /run changes on the host. Two settings make containers run on machines
# without CAP_SYS_RESOURCE or with a hybrid cgroup layout: the runc runtime, and open-file and
# process limits within the hard limits. Podman's static_dir stays at its default (inside
# graphroot): set elsewhere, podman 4.3 waits 20 s for every attached container to exit.

containers_dir=${STIGG_IMAGES_TARGET:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/target}/containers

# Podman refuses a run root longer than 50 characters in the clean-up that follows each container
# ("podman container cleanup": "the specified runroot is longer than 50 characters"), and an
# attached "podman run --rm" then waits 20 s for it to time out. The run root holds runtime state
# only, so it lives under /tmp, named after the storage it belongs to.
run_root=/tmp/stigg-containers-$(printf %s "$containers_dir" | sha256sum | cut -c1-12)
mkdir -p "$containers_dir"/{storage,runc,tmp,networks} "$run_root"

# runc keeps its state in /run/runc unless told otherwise, also when podman cleans up after a
# container, so podman calls runc through this wrapper for every operation.
printf '#!/bin/sh\nexec runc --root "%s/runc" "$@"\n' "$containers_dir" > "$containers_dir/runc.sh"
chmod +x "$containers_dir/runc.sh"

cat > "$containers_dir/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$containers_dir/storage"
runroot = "$run_root"

[storage.options.overlay]
# Without this, the overlay driver bind-mounts its own directory and may leave that mount behind,
# and then mvn clean cannot delete images/target.
skip_mount_home = "true"
EOF

nofile_limit=$(ulimit -Hn)
[[ "$nofile_limit" == unlimited ]] && nofile_limit=1048576
cat > "$containers_dir/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile_limit:$nofile_limit", "nproc=4096:4096"]

[engine]
runtime = "private-runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$containers_dir/events.log"
lock_type = "file"
tmp_dir = "$containers_dir/tmp"
image_copy_tmp_dir = "$containers_dir/tmp"

[engine.runtimes]
private-runc = ["$containers_dir/runc.sh"]

[network]
network_backend = "cni"
network_config_dir = "$containers_dir/networks"
EOF

export CONTAINERS_CONF=$containers_dir/containers.conf
export CONTAINERS_STORAGE_CONF=$containers_dir/storage.conf
export TMPDIR=$containers_dir/tmp

# Copying image layers (buildah commit and push, podman load) records blob digests in
# /var/lib/containers/cache whatever the storage settings say, and podman load unpacks into
# /var/tmp: such commands run in a private mount namespace whose /var/lib and /var/tmp are empty
# tmpfs, gone when the command ends.
isolated() {
  unshare --mount --propagation private -- sh -c 'mount -t tmpfs stigg-images /var/lib && mount -t tmpfs stigg-images /var/tmp && exec "$@"' isolated "$@"
}
