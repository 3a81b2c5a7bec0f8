import { itIf } from './requirements';
import { requireTools } from './tools';
import { openMetricsAsText, promtoolCheckMetrics } from './promtool';

const OPENMETRICS = [
  '# HELP jobs_done Jobs done.',
  '# TYPE jobs_done counter',
  'jobs_done_total{queue="a"} 3',
  '# HELP queue_depth Jobs waiting.',
  '# TYPE queue_depth gauge',
  'queue_depth 2',
  '# EOF',
  '',
].join('\n');

describe('openMetricsAsText', () => {
  it('declares each counter family by its samples_total name and drops # EOF, leaving the rest', () => {
    expect(openMetricsAsText(OPENMETRICS)).toBe(
      [
        '# HELP jobs_done_total Jobs done.',
        '# TYPE jobs_done_total counter',
        'jobs_done_total{queue="a"} 3',
        '# HELP queue_depth Jobs waiting.',
        '# TYPE queue_depth gauge',
        'queue_depth 2',
        '',
      ].join('\n'),
    );
  });

  it('refuses text without # EOF', () => {
    expect(() => openMetricsAsText('queue_depth 2\n')).toThrow(/does not end with # EOF/);
  });
});

describe('promtoolCheckMetrics', () => {
  itIf(...requireTools('promtool'))('passes a clean exposition in either format', async () => {
    await expect(promtoolCheckMetrics(OPENMETRICS, 'openmetrics')).resolves.toMatchObject({ code: 0 });
    await expect(promtoolCheckMetrics(openMetricsAsText(OPENMETRICS), 'text')).resolves.toMatchObject({ code: 0 });
  });

  itIf(...requireTools('promtool'))(
    'rejects an OpenMetrics counter whose samples do not carry its family name, and a counter without _total',
    async () => {
      const doubled = OPENMETRICS.replace('jobs_done_total{', 'jobs_done_total_total{');
      await expect(promtoolCheckMetrics(doubled, 'openmetrics')).rejects.toThrow(/no help text/);
      const bare = '# HELP jobs Jobs.\n# TYPE jobs counter\njobs 1\n';
      await expect(promtoolCheckMetrics(bare, 'text')).rejects.toThrow(/counter metrics should have "_total" suffix/);
    },
  );
});
