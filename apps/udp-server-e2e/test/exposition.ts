/** Reading the server's /metrics text in tests. */

/** The value of one series, named with its labels exactly as printed (`name{label="value"}`). Throws if absent. */
export function sample(exposition: string, series: string): number {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no ${series} in the exposition`);
  return Number(line.slice(series.length + 1));
}

/** The sum of every labelled series of one metric. */
export function sumOf(exposition: string, metric: string): number {
  return exposition
    .split('\n')
    .filter((l) => l.startsWith(`${metric}{`))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}
