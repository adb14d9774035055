// Drives the official Stigg Node server SDK (the engine of Stigg's own sidecar) against the
// emulator, to prove that a client nobody here wrote accepts it as the Stigg API.
//
// Environment: EMULATOR_URL (http://127.0.0.1:<port>), EMULATOR_API_KEY.
// Output: one JSON line per check, {"check": name, "ok": boolean, "detail": ...}, then
// {"done": true}. The JUnit driver (NodeSdkConformanceIT) turns each line into a test.
// The emulator must serve the bundled sample catalog and be fresh: this script changes data.
import { Stigg, LogLevel } from '@stigg/node-server-sdk';

const base = process.env.EMULATOR_URL;
const apiKey = process.env.EMULATOR_API_KEY;
if (!base || !apiKey) {
  console.error('EMULATOR_URL and EMULATOR_API_KEY must be set');
  process.exit(2);
}
const wsUrl = base.replace(/^http/, 'ws');
const clients = [];

function report(check, ok, detail) {
  console.log(JSON.stringify({ check, ok: Boolean(ok), detail }));
}

async function admin(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status} ${JSON.stringify(json)}`);
  return json;
}

const requests = async (name) => ((await admin('GET', '/admin/stats')).requests[name] ?? 0);

function connect(options = {}) {
  const client = Stigg.initialize({
    apiKey,
    baseUri: base,
    baseEdgeUri: base,
    wsUrl,
    entitlementsTimeout: 3000,
    logConfiguration: { logLevel: LogLevel.NONE },
    ...options,
  });
  clients.push(client);
  return client;
}

async function eventually(probe, accept, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return last;
}

// Each check runs on its own; a failure is reported and the next check still runs.
async function check(name, body) {
  try {
    const { ok, detail } = await body();
    report(name, ok, detail);
  } catch (error) {
    report(name, false, { error: String(error && error.stack ? error.stack : error) });
  }
}

const edge = connect();

await check('initialization succeeds with the right key', async () => {
  await edge.waitForInitialization();
  return { ok: true, detail: 'waitForInitialization resolved' };
});

await check('the SDK opens its real-time websocket and subscribes', async () => {
  const websockets = await eventually(async () => (await admin('GET', '/admin/stats')).websockets,
    (state) => state.open >= 1);
  return { ok: websockets.open === 1, detail: websockets };
});

await check('initialization fails with a wrong key', async () => {
  const wrong = connect({ apiKey: 'not-the-key' });
  try {
    await wrong.waitForInitialization();
    return { ok: false, detail: 'waitForInitialization resolved with a wrong key' };
  } catch (error) {
    const message = String(error && error.message ? error.message : error);
    return { ok: /Authentication failed/.test(message), detail: message };
  }
});

await check('entitlements are fetched over Edge when Edge is enabled', async () => {
  const edgeBefore = await requests('edge:entitlements');
  const graphqlBefore = await requests('graphql:GetEntitlements');
  const result = await edge.getBooleanEntitlement({ customerId: 'acme', featureId: 'feature-sso' });
  const edgeCalls = (await requests('edge:entitlements')) - edgeBefore;
  const graphqlCalls = (await requests('graphql:GetEntitlements')) - graphqlBefore;
  return {
    ok: result.hasAccess === true && result.isFallback === false && edgeCalls === 1 && graphqlCalls === 0,
    detail: { result, edgeCalls, graphqlCalls },
  };
});

await check('boolean: granted, cancelled subscription, missing feature, unknown customer', async () => {
  const granted = await edge.getBooleanEntitlement({ customerId: 'acme', featureId: 'feature-sso' });
  const cancelled = await edge.getBooleanEntitlement({ customerId: 'initech', featureId: 'feature-sso' });
  const missing = await edge.getBooleanEntitlement({ customerId: 'globex', featureId: 'feature-sso' });
  const ghost = await edge.getBooleanEntitlement({ customerId: 'ghost', featureId: 'feature-sso' });
  return {
    ok: granted.hasAccess === true
      && cancelled.hasAccess === false && cancelled.accessDeniedReason === 'NoActiveSubscription'
      && missing.hasAccess === false && missing.accessDeniedReason === 'NoFeatureEntitlementInSubscription'
      && missing.isFallback === false
      && ghost.hasAccess === false && ghost.accessDeniedReason === 'CustomerNotFound' && ghost.isFallback === false,
    detail: { granted, cancelled, missing, ghost },
  };
});

await check('numeric: the configured value', async () => {
  const seats = await edge.getNumericEntitlement({ customerId: 'acme', featureId: 'feature-seats' });
  const globexSeats = await edge.getNumericEntitlement({ customerId: 'globex', featureId: 'feature-seats' });
  return {
    ok: seats.type === 'NUMERIC' && seats.hasAccess === true && seats.value === 25 && seats.isUnlimited === false
      && seats.feature.units === 'seat' && globexSeats.value === 3,
    detail: { seats, globexSeats },
  };
});

await check('metered: limits, soft limit, unlimited, daily window', async () => {
  const within = await edge.getMeteredEntitlement({ customerId: 'acme', featureId: 'feature-api-calls', options: { requestedUsage: 1 } });
  const exceeding = await edge.getMeteredEntitlement({ customerId: 'globex', featureId: 'feature-api-calls', options: { requestedUsage: 5 } });
  const soft = await edge.getMeteredEntitlement({ customerId: 'acme', featureId: 'feature-storage-gb', options: { requestedUsage: 10 } });
  const unlimited = await edge.getMeteredEntitlement({ customerId: 'acme', featureId: 'feature-projects', options: { requestedUsage: 1000 } });
  const lastExport = await edge.getMeteredEntitlement({ customerId: 'acme', featureId: 'feature-exports', options: { requestedUsage: 1 } });
  const tooManyExports = await edge.getMeteredEntitlement({ customerId: 'acme', featureId: 'feature-exports', options: { requestedUsage: 2 } });
  return {
    ok: within.hasAccess === true && within.usageLimit === 10000 && within.currentUsage === 1200
      && within.resetPeriod === 'MONTH' && within.usagePeriodEnd instanceof Date && within.usagePeriodEnd > new Date()
      && exceeding.hasAccess === false && exceeding.accessDeniedReason === 'RequestedUsageExceedingLimit'
      && soft.hasAccess === true && soft.hasSoftLimit === true
      && unlimited.hasAccess === true && unlimited.isUnlimited === true
      && lastExport.hasAccess === true && lastExport.currentUsage === 4 && lastExport.resetPeriod === 'DAY'
      && tooManyExports.hasAccess === false,
    detail: { within, exceeding, soft, unlimited, lastExport, tooManyExports },
  };
});

await check('metered: usage stored for a window that has ended is not carried into the current one', async () => {
  const day = 24 * 3600 * 1000;
  await admin('PUT', '/admin/customers/rollover-co', {
    entitlements: [
      { feature: { refId: 'feature-api-calls', featureType: 'NUMBER', meterType: 'Incremental' }, usageLimit: 5,
        currentUsage: 5, resetPeriod: 'MONTH', usagePeriodStart: new Date(Date.now() - 65 * day).toISOString(),
        usagePeriodEnd: new Date(Date.now() - 35 * day).toISOString() },
    ],
  });
  const calls = await edge.getMeteredEntitlement({ customerId: 'rollover-co', featureId: 'feature-api-calls', options: { requestedUsage: 5 } });
  return {
    ok: calls.hasAccess === true && calls.currentUsage === 0 && calls.usageLimit === 5
      && calls.usagePeriodEnd instanceof Date && calls.usagePeriodEnd > new Date(),
    detail: calls,
  };
});

await check('enum: requested values inside and outside the entitled set', async () => {
  const allowed = await edge.getEnumEntitlement({ customerId: 'acme', featureId: 'feature-region', options: { requestedValues: ['eu'] } });
  const denied = await edge.getEnumEntitlement({ customerId: 'acme', featureId: 'feature-region', options: { requestedValues: ['apac'] } });
  return {
    ok: allowed.hasAccess === true && JSON.stringify(allowed.enumValues) === '["us","eu"]'
      && denied.hasAccess === false && denied.accessDeniedReason === 'RequestedValuesMismatch',
    detail: { allowed, denied },
  };
});

await check('resource-scoped entitlements', async () => {
  const workspace = await edge.getMeteredEntitlement({ customerId: 'acme', resourceId: 'workspace-berlin', featureId: 'feature-api-calls', options: { requestedUsage: 1 } });
  const region = await edge.getEnumEntitlement({ customerId: 'acme', resourceId: 'workspace-berlin', featureId: 'feature-region', options: { requestedValues: ['us'] } });
  return {
    ok: workspace.hasAccess === true && workspace.usageLimit === 500 && workspace.currentUsage === 120
      && workspace.resetPeriod === 'WEEK' && region.hasAccess === false,
    detail: { workspace, region },
  };
});

await check('reportUsage changes usage and the next answer', async () => {
  const ack = await edge.reportUsage({ customerId: 'acme', featureId: 'feature-api-calls', value: 3 });
  const after = await edge.getMeteredEntitlement({ customerId: 'acme', featureId: 'feature-api-calls' });
  const set = await edge.reportUsage({ customerId: 'acme', featureId: 'feature-api-calls', value: 2000, updateBehavior: 'SET' });
  const afterSet = await edge.getMeteredEntitlement({ customerId: 'acme', featureId: 'feature-api-calls' });
  return {
    ok: ack.currentUsage === 1203 && typeof ack.measurementId === 'string' && after.currentUsage === 1203
      && set.currentUsage === 2000 && afterSet.currentUsage === 2000,
    detail: { ack, after: after.currentUsage, set, afterSet: afterSet.currentUsage },
  };
});

await check('an admin PUT reaches the SDK over the websocket', async () => {
  await edge.getNumericEntitlement({ customerId: 'acme', featureId: 'feature-seats' });
  const fetchesBefore = await requests('edge:entitlements');
  await admin('PUT', '/admin/customers/acme', {
    entitlements: [
      { feature: { refId: 'feature-seats', featureType: 'NUMBER', meterType: 'None' }, usageLimit: 50 },
      { feature: { refId: 'feature-api-calls', featureType: 'NUMBER', meterType: 'Incremental' }, usageLimit: 10000, currentUsage: 10, resetPeriod: 'MONTH' },
    ],
  });
  const seats = await eventually(
    () => edge.getNumericEntitlement({ customerId: 'acme', featureId: 'feature-seats' }),
    (result) => result.value === 50);
  const sso = await edge.getBooleanEntitlement({ customerId: 'acme', featureId: 'feature-sso' });
  const refetches = (await requests('edge:entitlements')) - fetchesBefore;
  return {
    ok: seats.value === 50 && sso.hasAccess === false && sso.accessDeniedReason === 'NoFeatureEntitlementInSubscription'
      && refetches === 0,
    detail: { seats, sso, refetches },
  };
});

await check('an admin usage change reaches the SDK over the websocket', async () => {
  await admin('POST', '/admin/customers/acme/usage', { featureId: 'feature-api-calls', currentUsage: 9999 });
  const metered = await eventually(
    () => edge.getMeteredEntitlement({ customerId: 'acme', featureId: 'feature-api-calls', options: { requestedUsage: 2 } }),
    (result) => result.currentUsage === 9999);
  return {
    ok: metered.currentUsage === 9999 && metered.hasAccess === false
      && metered.accessDeniedReason === 'RequestedUsageExceedingLimit',
    detail: metered,
  };
});

await check('a credit balance push denies a credit-priced feature', async () => {
  const before = await edge.getMeteredEntitlement({ customerId: 'hooli', featureId: 'feature-ai-generations' });
  await admin('POST', '/admin/customers/hooli/credits', { currencyId: 'ai-credits', currentBalance: 0 });
  const after = await eventually(
    () => edge.getMeteredEntitlement({ customerId: 'hooli', featureId: 'feature-ai-generations' }),
    (result) => result.hasAccess === false);
  return {
    ok: before.hasAccess === true && after.hasAccess === false && after.accessDeniedReason === 'InsufficientCredits',
    detail: { before, after },
  };
});

await check('a package published to all customers makes the SDK refetch', async () => {
  await edge.getBooleanEntitlement({ customerId: 'globex', featureId: 'feature-seats' });
  const before = await requests('edge:entitlements');
  await admin('POST', '/admin/packages/publish', { migrationType: 'ALL_CUSTOMERS' });
  // The push clears the SDK's whole cache; the next check of any customer goes upstream again.
  const refetched = await eventually(async () => {
    await edge.getBooleanEntitlement({ customerId: 'globex', featureId: 'feature-seats' });
    return (await requests('edge:entitlements')) - before;
  }, (count) => count >= 1);
  return { ok: refetched === 1, detail: { refetched } };
});

await check('entitlements are fetched over GraphQL when Edge is disabled', async () => {
  edge.close();
  const graphql = connect({ enableEdge: false });
  await graphql.waitForInitialization();
  await eventually(async () => (await admin('GET', '/admin/stats')).websockets, (state) => state.open >= 1);
  const configurationCalls = await requests('graphql:GetSdkConfiguration');
  const edgeBefore = await requests('edge:entitlements');
  const graphqlBefore = await requests('graphql:GetEntitlements');
  const seats = await graphql.getNumericEntitlement({ customerId: 'globex', featureId: 'feature-seats' });
  const api = await graphql.getMeteredEntitlement({ customerId: 'globex', featureId: 'feature-api-calls', options: { requestedUsage: 1 } });
  const edgeCalls = (await requests('edge:entitlements')) - edgeBefore;
  const graphqlCalls = (await requests('graphql:GetEntitlements')) - graphqlBefore;
  return {
    ok: configurationCalls >= 1 && seats.value === 3 && api.hasAccess === true && api.currentUsage === 999
      && edgeCalls === 0 && graphqlCalls === 1,
    detail: { seats, api, edgeCalls, graphqlCalls, configurationCalls },
  };
});

await check('reportUsage over GraphQL with a wrong key is rejected', async () => {
  const wrong = connect({ apiKey: 'not-the-key', realtimeUpdatesEnabled: false });
  try {
    await wrong.reportUsage({ customerId: 'acme', featureId: 'feature-api-calls', value: 1 });
    return { ok: false, detail: 'reportUsage succeeded with a wrong key' };
  } catch (error) {
    const message = String(error && error.message ? error.message : error);
    return { ok: /Unauthorized/.test(message), detail: message };
  }
});

for (const client of clients) {
  try {
    client.close();
  } catch (ignored) {
    // closing is best effort; the process exits below
  }
}
console.log(JSON.stringify({ done: true }));
process.exit(0);
