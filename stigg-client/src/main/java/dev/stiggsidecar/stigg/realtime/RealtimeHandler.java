package dev.stiggsidecar.stigg.realtime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What to do with Stigg's real-time stream: the connection's state, and each event's payload
 * (the {@code data.<field>} object of a {@code next} message). Implementations must not block.
 */
public interface RealtimeHandler {

  /** Acknowledged by Stigg: events flow from now on, and any missed while disconnected are lost. */
  void connected();

  void disconnected();

  void entitlementsUpdated(JsonNode payload);

  void usageUpdated(JsonNode payload);

  void packagePublished(JsonNode payload);

  void creditBalanceUpdated(JsonNode payload);
}
