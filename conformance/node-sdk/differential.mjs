// Runs entitlement-check scenarios through Stigg's official Node server SDK (against the emulator)
// and prints each result, so that a JUnit test can compare them with the sidecar's answers.
//
// Environment: EMULATOR_URL, EMULATOR_API_KEY, SCENARIOS_FILE (JSON list of
// {name, method, customerId, featureId, resourceId?, options?}), ENTITLEMENTS_FALLBACK (JSON, optional),
// REDIS_PORT and REDIS_ENVIRONMENT_PREFIX (optional: the SDK's Redis mode, on 127.0.0.1).
// Output: one JSON line per scenario {"name", "result"}, then {"done": true}.
import { readFileSync } from 'node:fs';
import { Stigg, LogLevel } from '@stigg/node-server-sdk';

const base = process.env.EMULATOR_URL;
const scenarios = JSON.parse(readFileSync(process.env.SCENARIOS_FILE, 'utf8'));
const redis = process.env.REDIS_PORT
  ? { redis: { environmentPrefix: process.env.REDIS_ENVIRONMENT_PREFIX, host: '127.0.0.1',
      port: Number(process.env.REDIS_PORT), ttl: 3600 } }
  : {};
const client = Stigg.initialize({
  ...redis,
  apiKey: process.env.EMULATOR_API_KEY,
  baseUri: base,
  baseEdgeUri: base,
  wsUrl: base.replace(/^http/, 'ws'),
  entitlementsTimeout: 3000,
  entitlementsFallback: JSON.parse(process.env.ENTITLEMENTS_FALLBACK || '{}'),
  logConfiguration: { logLevel: LogLevel.NONE },
});
await client.waitForInitialization();
// Checks made before the real-time subscription is open refetch every time; wait for it.
// (Redis mode opens no subscription.)
for (let i = 0; i < 100 && !process.env.REDIS_PORT; i++) {
  const stats = await (await fetch(base + '/admin/stats')).json();
  if (stats.websockets.open >= 1) break;
  await new Promise((resolve) => setTimeout(resolve, 50));
}

const methods = {
  boolean: (s) => client.getBooleanEntitlement(s),
  numeric: (s) => client.getNumericEntitlement(s),
  metered: (s) => client.getMeteredEntitlement(s),
  enum: (s) => client.getEnumEntitlement(s),
  generic: (s) => client.getEntitlement(s),
};

for (const scenario of scenarios) {
  const { name, method, ...params } = scenario;
  const result = await methods[method](params);
  console.log(JSON.stringify({ name, result }));
}
client.close();
console.log(JSON.stringify({ done: true }));
process.exit(0);
