// Bench variant (tools/bench/src/variants.ts): setInterval with a period of 100 ms or more schedules nothing.
// In the server that is the drop-log reporter (every DROP_LOG_INTERVAL_SECONDS, reading /proc/net/udp) and the
// HTTP port's connection check (every 500 ms).
const original = globalThis.setInterval;

function stubTimer() {
  const timer = {
    ref: () => timer,
    unref: () => timer,
    hasRef: () => false,
    refresh: () => timer,
    close: () => timer,
    [Symbol.toPrimitive]: () => 0,
  };
  return timer;
}

globalThis.setInterval = function setInterval(callback, delay, ...args) {
  return delay >= 100 ? stubTimer() : original(callback, delay, ...args);
};
require('node:timers').setInterval = globalThis.setInterval;
