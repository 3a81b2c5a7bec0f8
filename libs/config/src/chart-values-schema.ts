// The chart's `server` values are the server's settings written as data. Their schema in
// helm/udp-server/values.schema.json is generated from the settings table (`nx run config:generate`), so a range
// or a list of levels is stated once, here in libs/config; a drift test compares the two.
import { serverSettings, type ServerSettingsTable } from './server-settings';
import type { ValueSchema } from './setting';

type ServerSettingName = keyof ServerSettingsTable;

/**
 * One chart value and the setting it becomes; `narrow` is what the chart allows less of than the server, and why;
 * `word` is a value the chart takes besides the setting's own, which its template turns into one of those.
 */
interface ChartValue {
  readonly setting: ServerSettingName;
  readonly narrow?: { readonly minimum: number; readonly why: string };
  readonly word?: { readonly value: string; readonly means: string };
}

/** A nested block of values, such as `server.rateLimit`. */
interface ChartGroup {
  readonly description: string;
  readonly values: ChartValues;
}

type ChartValues = { readonly [key: string]: ChartValue | ChartGroup };

/** The chart's `server` block: its keys, in values.yaml's order, and the setting behind each. */
export const CHART_SERVER_VALUES = {
  host: { setting: 'host' },
  port: {
    setting: 'port',
    narrow: { minimum: 1024, why: 'the pod runs as non-root with every capability dropped' },
  },
  logLevel: { setting: 'logLevel' },
  drainSeconds: { setting: 'drainSeconds' },
  maxDatagramBytes: { setting: 'maxDatagramBytes' },
  recvBufferBytes: { setting: 'recvBufferBytes' },
  dropLogIntervalSeconds: { setting: 'dropLogIntervalSeconds' },
  socketIo: { setting: 'socketIo' },
  workers: {
    setting: 'workers',
    word: { value: 'auto', means: 'one per core of resources.limits.cpu, rounded up (1 without a CPU limit)' },
  },
  rateLimit: {
    description: 'Reply limits per source address and per source prefix (RATE_LIMIT_*).',
    values: {
      sourceRate: { setting: 'rateLimitSourceRate' },
      sourceBurst: { setting: 'rateLimitSourceBurst' },
      prefixRate: { setting: 'rateLimitPrefixRate' },
      prefixBurst: { setting: 'rateLimitPrefixBurst' },
      ipv4Prefix: { setting: 'rateLimitIpv4Prefix' },
      ipv6Prefix: { setting: 'rateLimitIpv6Prefix' },
      tableSize: { setting: 'rateLimitTableSize' },
      exempt: { setting: 'rateLimitExempt' },
    },
  },
} as const satisfies ChartValues;

/** A JSON Schema object as values.schema.json holds it. */
export type JsonSchemaObject = { readonly [key: string]: unknown };

const isChartValue = (entry: ChartValue | ChartGroup): entry is ChartValue => 'setting' in entry;

function valueSchema({ setting: name, narrow, word }: ChartValue): JsonSchemaObject {
  const setting = serverSettings[name];
  const schema: ValueSchema = setting.valueSchema;
  const description =
    `${setting.env}: ${setting.description}` +
    (narrow === undefined ? '' : ` At least ${narrow.minimum} here: ${narrow.why}.`) +
    (word === undefined ? '' : ` Or "${word.value}": ${word.means}.`);
  const values = { ...schema, ...(narrow === undefined ? {} : { minimum: narrow.minimum }) };
  if (word === undefined) return { ...values, description };
  return { description, anyOf: [values, { type: 'string', const: word.value }] };
}

function objectSchema(values: ChartValues, description: string): JsonSchemaObject {
  const properties = Object.fromEntries(
    Object.entries(values).map(([key, entry]) => [
      key,
      isChartValue(entry) ? valueSchema(entry) : objectSchema(entry.values, entry.description),
    ]),
  );
  return {
    type: 'object',
    additionalProperties: false,
    description,
    properties,
    required: Object.keys(values),
  };
}

/** The `server` property of the chart's values.schema.json. */
export function chartServerSchema(): JsonSchemaObject {
  return objectSchema(CHART_SERVER_VALUES, 'Server settings, rendered as environment variables.');
}
