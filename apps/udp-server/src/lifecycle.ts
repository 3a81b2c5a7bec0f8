import { HealthStatus } from '@ricochet/protocol';

/** starting → serving → draining → stopped. `stopped` is final. */
export const LifecycleState = {
  STARTING: 'starting',
  SERVING: 'serving',
  DRAINING: 'draining',
  STOPPED: 'stopped',
} as const;

export type LifecycleState = (typeof LifecycleState)[keyof typeof LifecycleState];

export const LIFECYCLE_STATES: readonly LifecycleState[] = Object.values(LifecycleState);

const allowed: Readonly<Record<LifecycleState, readonly LifecycleState[]>> = {
  // A failed bind goes straight to stopped; so does close() without a drain.
  starting: ['serving', 'stopped'],
  serving: ['draining', 'stopped'],
  draining: ['stopped'],
  stopped: [],
};

export function canTransition(from: LifecycleState, to: LifecycleState): boolean {
  return allowed[from].includes(to);
}

/** What HEALTH reports in each state. */
export const HEALTH_BY_STATE: Readonly<Record<LifecycleState, HealthStatus>> = {
  starting: HealthStatus.NOT_SERVING,
  serving: HealthStatus.SERVING,
  draining: HealthStatus.DRAINING,
  stopped: HealthStatus.NOT_SERVING,
};
