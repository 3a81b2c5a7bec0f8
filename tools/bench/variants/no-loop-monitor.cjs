// Bench variant (tools/bench/src/variants.ts): perf_hooks.monitorEventLoopDelay returns a histogram that never
// samples, so prom-client's nodejs_eventloop_lag_* metrics read zeros and no 10 ms libuv timer runs.
const perfHooks = require('node:perf_hooks');

perfHooks.monitorEventLoopDelay = () => ({
  enable: () => true,
  disable: () => true,
  reset: () => undefined,
  percentile: () => 0,
  percentiles: new Map(),
  min: 0,
  max: 0,
  mean: 0,
  stddev: 0,
  exceeds: 0,
  count: 0,
});
