// Bench variant (tools/bench/src/variants.ts): dgram's send() is called without its completion callback, as the
// naive echo calls it. With one, Node schedules a nextTick per datagram sent to call it back; the server needs it
// to count send errors. The batched path does not use dgram: there this changes nothing.
const { Socket } = require('node:dgram');
const send = Socket.prototype.send;

Socket.prototype.send = function sendWithoutCallback(...args) {
  if (typeof args[args.length - 1] === 'function') args.pop();
  return send.apply(this, args);
};
