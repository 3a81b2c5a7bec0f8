// The `scraped` variant's Prometheus stand-in: GET /metrics every interval while a run lasts, one at a time.

export interface Scraper {
  stop(): void;
}

export function startScraper(metricsPort: number, intervalMs: number): Scraper {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    fetch(`http://127.0.0.1:${metricsPort}/metrics`)
      .then((response) => response.text())
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, intervalMs);
  return { stop: () => clearInterval(timer) };
}
