import { HealthStatus } from '@ricochet/protocol';
/** starting → serving → draining → stopped. `stopped` is final. */
export declare const LifecycleState: {
    readonly STARTING: "starting";
    readonly SERVING: "serving";
    readonly DRAINING: "draining";
    readonly STOPPED: "stopped";
};
export type LifecycleState = (typeof LifecycleState)[keyof typeof LifecycleState];
export declare const LIFECYCLE_STATES: readonly LifecycleState[];
export declare function canTransition(from: LifecycleState, to: LifecycleState): boolean;
/** What HEALTH reports in each state. */
export declare const HEALTH_BY_STATE: Readonly<Record<LifecycleState, HealthStatus>>;
//# sourceMappingURL=lifecycle.d.ts.map