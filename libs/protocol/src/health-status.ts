export const HealthStatus = {
  SERVING: 0,
  NOT_SERVING: 1,
  DRAINING: 2,
} as const;

export type HealthStatus = (typeof HealthStatus)[keyof typeof HealthStatus];
export type HealthStatusName = keyof typeof HealthStatus;

const names: readonly HealthStatusName[] = ['SERVING', 'NOT_SERVING', 'DRAINING'];

export function isHealthStatus(code: number): code is HealthStatus {
  return Number.isInteger(code) && code >= 0 && code < names.length;
}

export function toString(code: number): string {
  return names[code] ?? `UNKNOWN_${code}`;
}

export function toHealthStatus(name: string): HealthStatus | undefined {
  return Object.hasOwn(HealthStatus, name) ? HealthStatus[name as HealthStatusName] : undefined;
}
