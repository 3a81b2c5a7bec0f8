import { deferCleanup } from '../src';

describe('deferCleanup', () => {
  const released: string[] = [];

  beforeAll(() => {
    deferCleanup(() => void released.push('made in beforeAll'));
  });

  it('releases what a test registered once it ends, last registered first', () => {
    deferCleanup(() => void released.push('first'));
    deferCleanup(async () => {
      await Promise.resolve();
      released.push('second');
    });
    const forget = deferCleanup(() => void released.push('forgotten'));
    forget();
    expect(released).toEqual([]);
  });

  it('has released them, and kept what beforeAll registered for the end of the file', () => {
    expect(released).toEqual(['second', 'first']);
  });
});
