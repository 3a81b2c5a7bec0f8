import { chartImageName, registryHost } from '../src/image-name';

describe('registryHost', () => {
  it.each([
    ['ghcr.io/acme/udp-server', 'ghcr.io'],
    ['127.0.0.1:5000/udp-server', '127.0.0.1:5000'],
    ['registry:5000/udp-server', 'registry:5000'],
    ['localhost/udp-server', 'localhost'],
  ])('finds the registry host of %s', (repository, host) => {
    expect(registryHost(repository)).toBe(host);
  });

  it.each(['udp-server', 'acme/udp-server', 'library/udp-server', 'ghcr.io'])(
    'finds none in %s (a Docker Hub path, or a lone component)',
    (repository) => {
      expect(registryHost(repository)).toBeUndefined();
    },
  );
});

describe('chartImageName', () => {
  it("splits a whole name into the chart's image.registry and image.repository", () => {
    expect(chartImageName('ghcr.io/acme/udp-server')).toEqual({ registry: 'ghcr.io', repository: 'acme/udp-server' });
    expect(chartImageName('127.0.0.1:5000/udp-server')).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'udp-server',
    });
  });

  it('leaves the registry empty for a name without a host: the chart then reads the repository as the whole name', () => {
    expect(chartImageName('acme/udp-server')).toEqual({ registry: '', repository: 'acme/udp-server' });
  });
});
