import { Registry } from './prom-client';

/** The two expositions /metrics serves: Prometheus text format 0.0.4, and OpenMetrics 1.0.0 for scrapers asking. */
export type ExpositionFormat = 'text' | 'openmetrics';

export const EXPOSITION_FORMATS: readonly ExpositionFormat[] = ['text', 'openmetrics'];

export const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = {
  text: Registry.PROMETHEUS_CONTENT_TYPE,
  openmetrics: Registry.OPENMETRICS_CONTENT_TYPE,
};

interface MediaRange {
  readonly type: string;
  readonly version: string | undefined;
  readonly q: number;
}

function parseMediaRange(range: string): MediaRange {
  const [type = '', ...params] = range.split(';').map((part) => part.trim());
  let version: string | undefined;
  let q = 1;
  for (const param of params) {
    const at = param.indexOf('=');
    const name = param.slice(0, at).trim().toLowerCase();
    const value = param
      .slice(at + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (name === 'version') version = value;
    // A q that does not parse makes the range unusable rather than preferred.
    if (name === 'q') q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value) ? Number(value) : 0;
  }
  return { type: type.toLowerCase(), version, q };
}

/**
 * The format an `Accept` header asks for, as Prometheus' own clients decide it: the acceptable ranges by falling q
 * (in the order given among equals), and the first one naming a format we serve wins. OpenMetrics only when named
 * (Prometheus sends `application/openmetrics-text;version=1.0.0,…,text/plain;version=0.0.4;q=0.5,*\/*;q=0.1`);
 * wildcards, no header and anything unknown get the text format, which every scraper reads.
 */
export function negotiateExpositionFormat(accept: string | undefined): ExpositionFormat {
  if (accept === undefined) return 'text';
  const ranges = accept
    .split(',')
    .map(parseMediaRange)
    .filter((range) => range.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { type, version } of ranges) {
    if (type === 'application/openmetrics-text' && (version === undefined || version === '1.0.0')) return 'openmetrics';
    if (type === 'text/plain' && (version === undefined || version === '0.0.4')) return 'text';
  }
  return 'text';
}
