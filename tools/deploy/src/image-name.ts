/** An image repository as the chart's values take it: image.registry, and image.repository below it. */
export interface ChartImageName {
  /** Registry host[:port]; empty when the name has none (the chart then reads repository as the whole name). */
  readonly registry: string;
  readonly repository: string;
}

/**
 * The registry host a repository name starts with, or undefined. Docker's rule, which podman, containerd and the
 * chart (helm/udp-server/templates/_helpers.tpl) share: a first component followed by more, holding a dot or a
 * colon, or equal to localhost.
 */
export function registryHost(repository: string): string | undefined {
  const [first = '', ...rest] = repository.split('/');
  const isHost = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  return isHost ? first : undefined;
}

/** A whole repository name split the chart's way: ghcr.io/acme/udp-server → ghcr.io + acme/udp-server. */
export function chartImageName(repository: string): ChartImageName {
  const registry = registryHost(repository);
  return registry === undefined
    ? { registry: '', repository }
    : { registry, repository: repository.slice(registry.length + 1) };
}
