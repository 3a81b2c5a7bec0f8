import { negotiateExpositionFormat } from './exposition-format';

// What Prometheus sends: 2.42 (seen on the wire; the same since 2.5), and 3.x as its scrape code builds the header
// (acceptHeader in scrape/scrape.go: the default protocols weighted from 0.6 down, escaping on the 1.0.0 formats).
const PROMETHEUS_2 =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const PROMETHEUS_3 =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';

describe('negotiateExpositionFormat', () => {
  it('serves OpenMetrics to Prometheus 2 and 3, which ask for it first', () => {
    expect(negotiateExpositionFormat(PROMETHEUS_2)).toBe('openmetrics');
    expect(negotiateExpositionFormat(PROMETHEUS_3)).toBe('openmetrics');
    expect(negotiateExpositionFormat('application/openmetrics-text')).toBe('openmetrics');
  });

  it('serves the text format without an Accept header, to curl (*/*) and to a scraper asking for text', () => {
    expect(negotiateExpositionFormat(undefined)).toBe('text');
    expect(negotiateExpositionFormat('*/*')).toBe('text');
    expect(negotiateExpositionFormat('text/plain;version=0.0.4')).toBe('text');
    expect(negotiateExpositionFormat('text/plain')).toBe('text');
  });

  it('follows q rather than order, and the order among equal q', () => {
    expect(negotiateExpositionFormat('text/plain;version=0.0.4;q=0.5, application/openmetrics-text;q=0.9')).toBe(
      'openmetrics',
    );
    expect(negotiateExpositionFormat('application/openmetrics-text;q=0.5, text/plain;q=0.9')).toBe('text');
    expect(negotiateExpositionFormat('text/plain, application/openmetrics-text')).toBe('text');
    expect(negotiateExpositionFormat('application/openmetrics-text;q=0, text/plain;q=0.1')).toBe('text');
  });

  it('passes over versions it does not serve, and reads parameters in any case, spacing and quoting', () => {
    expect(negotiateExpositionFormat('application/openmetrics-text;version=0.0.1, text/plain;q=0.5')).toBe('text');
    expect(negotiateExpositionFormat('text/plain;version=1.0.0, application/openmetrics-text;q=0.5')).toBe(
      'openmetrics',
    );
    expect(negotiateExpositionFormat('Application/OpenMetrics-Text ; Version="1.0.0" ; Q=0.9, text/plain;q=0.1')).toBe(
      'openmetrics',
    );
  });

  it('falls back to the text format for anything it cannot use, malformed q included', () => {
    expect(negotiateExpositionFormat('application/json')).toBe('text');
    expect(negotiateExpositionFormat('')).toBe('text');
    expect(negotiateExpositionFormat(',;=,application/openmetrics-text;q=banana')).toBe('text');
    expect(negotiateExpositionFormat('application/openmetrics-text;q=2')).toBe('text');
  });
});
