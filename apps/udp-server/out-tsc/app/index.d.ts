export { createServer, UdpServer, type ServerOptions, type RecvBufferInfo } from './server';
export { LifecycleState, LIFECYCLE_STATES, HEALTH_BY_STATE } from './lifecycle';
export { DropReason, DROP_REASON_NAMES } from './drop-reasons';
export { ServerStats, RECEIVED_KIND_NAMES, REPLY_KIND_NAMES, type StatsSnapshot } from './server-stats';
export { ACCEPT, DEFAULT_GUARDS, rejectPrivilegedSourcePort, type Guard } from './guards';
export { HOOK_NAMES, type HookName, type HookSignatures } from './hooks';
export { createLogger, flushLogger } from './logger';
export { handleShutdownSignals } from './shutdown-signals';
//# sourceMappingURL=index.d.ts.map