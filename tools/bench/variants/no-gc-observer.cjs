// Bench variant (tools/bench/src/variants.ts): a PerformanceObserver asked for 'gc' entries observes nothing,
// so prom-client's nodejs_gc_duration_seconds gets no callback per collection.
const perfHooks = require('node:perf_hooks');

const Original = perfHooks.PerformanceObserver;
class WithoutGc extends Original {
  observe(options = {}) {
    const types = options.entryTypes ?? (options.type === undefined ? [] : [options.type]);
    if (types.includes('gc')) return;
    super.observe(options);
  }
}
perfHooks.PerformanceObserver = WithoutGc;
globalThis.PerformanceObserver = WithoutGc;
