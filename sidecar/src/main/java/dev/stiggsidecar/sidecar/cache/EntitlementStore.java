package dev.stiggsidecar.sidecar.cache;

/**
 * A store of entitlements: read by checks ({@link EntitlementSource}), written by what Stigg pushes
 * ({@link EntitlementUpdates}). Each user sees only its side.
 */
public interface EntitlementStore extends EntitlementSource, EntitlementUpdates {}
