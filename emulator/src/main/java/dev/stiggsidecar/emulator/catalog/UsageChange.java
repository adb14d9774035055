package dev.stiggsidecar.emulator.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * What a usage change produced: the measurement to answer with, the {@code usageUpdated} push, and
 * a {@code creditBalanceUpdated} push when the feature consumes credits.
 */
public record UsageChange(ObjectNode measurement, ObjectNode usageUpdated,
    Optional<ObjectNode> creditBalanceUpdated) {}
