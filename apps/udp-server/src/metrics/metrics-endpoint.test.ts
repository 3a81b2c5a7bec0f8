import { sharedRender } from './metrics-endpoint';

function countingRegistry(): { metrics: () => Promise<string>; renders: () => number } {
  let renders = 0;
  return {
    metrics: async () => `render ${++renders}\n`,
    renders: () => renders,
  };
}

describe('sharedRender', () => {
  it('renders once for a burst of concurrent scrapes, and serves them all the same text', async () => {
    const registry = countingRegistry();
    const render = sharedRender(registry, 10_000);
    const texts = await Promise.all(Array.from({ length: 200 }, () => render()));
    expect(registry.renders()).toBe(1);
    expect(new Set(texts)).toEqual(new Set(['render 1\n']));
  });

  it('serves the last render within the interval, and renders again after it', async () => {
    const registry = countingRegistry();
    const render = sharedRender(registry, 0);
    await render();
    await render();
    expect(registry.renders()).toBe(2);
    const cached = sharedRender(registry, 60_000);
    await cached();
    await cached();
    expect(registry.renders()).toBe(3);
  });

  it('lets a failed render fail its scrapes, and tries again on the next', async () => {
    let fail = true;
    const render = sharedRender({ metrics: async () => (fail ? Promise.reject(new Error('boom')) : 'ok\n') }, 60_000);
    await expect(render()).rejects.toThrow('boom');
    fail = false;
    await expect(render()).resolves.toBe('ok\n');
  });
});
