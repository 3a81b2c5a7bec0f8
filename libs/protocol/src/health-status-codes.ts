import { codeTable } from './code-table';

/** The status a HEALTH_STATUS reports. */
export const HealthStatus = {
  SERVING: 0,
  NOT_SERVING: 1,
  DRAINING: 2,
} as const;

export type HealthStatus = (typeof HealthStatus)[keyof typeof HealthStatus];

export const healthStatuses = codeTable(HealthStatus);
