import { runOk, type Run } from './run';

export type ExpositionFormat = 'text' | 'openmetrics';

/**
 * An OpenMetrics exposition as the text format says the same: each counter family `x` is declared as `x_total`,
 * the name its samples carry in both formats, and the closing `# EOF` goes. Throws if there is no `# EOF`.
 */
export function openMetricsAsText(exposition: string): string {
  if (!exposition.endsWith('\n# EOF\n')) throw new Error('not an OpenMetrics exposition: it does not end with # EOF');
  const lines = exposition.slice(0, -'# EOF\n'.length).split('\n');
  const counters = new Set(lines.flatMap((line) => /^# TYPE (\S+) counter$/.exec(line)?.[1] ?? []));
  return lines
    .map((line) => {
      const [, kind, name = '', rest = ''] = /^# (HELP|TYPE) (\S+)( .*)?$/.exec(line) ?? [];
      return kind !== undefined && counters.has(name) ? `# ${kind} ${name}_total${rest}` : line;
    })
    .join('\n');
}

/**
 * `promtool check metrics` over an exposition; rejects with promtool's complaints unless it exits 0. promtool reads
 * only the text format (its linter parses with the text parser, in Prometheus 3 too), so an OpenMetrics exposition
 * is linted as openMetricsAsText writes it: its names, units, help and types, and that each family's samples
 * carry the family's name. Its syntax is for Prometheus' OpenMetrics parser to check, by scraping it.
 */
export function promtoolCheckMetrics(exposition: string, format: ExpositionFormat): Promise<Run> {
  const text = format === 'openmetrics' ? openMetricsAsText(exposition) : exposition;
  return runOk('promtool', ['check', 'metrics'], { input: text });
}
