import { TokenBucketTable } from './token-bucket-table';

const key = (n: number): Uint32Array => Uint32Array.of(0, 0, 0xffff, n);

describe('TokenBucketTable', () => {
  it('gives a new key its burst, then its rate', () => {
    const table = new TokenBucketTable(16, 10, 5);
    const taken = Array.from({ length: 8 }, () => table.take(key(1), 0));
    expect(taken.filter(Boolean)).toHaveLength(5);
    expect(table.take(key(1), 99)).toBe(false); // 0.99 of a token after 99 ms at 10/s
    expect(table.take(key(1), 100)).toBe(true);
    expect(table.take(key(1), 100)).toBe(false);
  });

  it('holds a key to its rate over a long run, whatever it offers', () => {
    const table = new TokenBucketTable(16, 100, 10);
    let granted = 0;
    // 10 000 per second offered for 10 s.
    for (let t = 0; t < 10_000; t += 0.1) if (table.take(key(7), t)) granted++;
    expect(granted).toBe(10 + 100 * 10 - 1); // the burst, then one per 10 ms (the last lands at t = 10 000)
  });

  it('never refills above the burst', () => {
    const table = new TokenBucketTable(16, 1000, 3);
    table.take(key(1), 0);
    const afterAnHour = Array.from({ length: 5 }, () => table.take(key(1), 3_600_000));
    expect(afterAnHour.filter(Boolean)).toHaveLength(3);
  });

  it('keeps keys apart', () => {
    const table = new TokenBucketTable(16, 1, 1);
    expect(table.take(key(1), 0)).toBe(true);
    expect(table.take(key(1), 0)).toBe(false);
    expect(table.take(key(2), 0)).toBe(true);
    expect(table.take(Uint32Array.of(1, 0, 0xffff, 1), 0)).toBe(true);
  });

  it('stays at its capacity, forgetting the least recently seen key', () => {
    const table = new TokenBucketTable(4, 1, 1, 42);
    for (let n = 1; n <= 4; n++) table.take(key(n), 0);
    table.take(key(1), 0); // 1 is now the most recent; 2 the least
    table.take(key(5), 0); // evicts 2
    expect({ size: table.size, evictions: table.evictions }).toEqual({ size: 4, evictions: 1 });
    expect(table.take(key(1), 0)).toBe(false); // remembered: still empty
    expect(table.take(key(2), 0)).toBe(true); // forgotten: a fresh bucket (evicting 3)
    expect(table.take(key(4), 0)).toBe(false); // remembered
    expect(table.take(key(3), 0)).toBe(true); // forgotten
    expect(table.evictions).toBe(3);
  });

  it('takes a million distinct keys through a small table without growing or losing track', () => {
    const table = new TokenBucketTable(1024, 1, 1, 7);
    for (let n = 0; n < 1_000_000; n++) expect(table.take(key(n), 0)).toBe(true);
    expect({ size: table.size, evictions: table.evictions }).toEqual({ size: 1024, evictions: 1_000_000 - 1024 });
    // The last 1024 are all remembered (empty), the ones before forgotten.
    for (let n = 1_000_000 - 1024; n < 1_000_000; n++) expect(table.take(key(n), 0)).toBe(false);
    expect(table.take(key(0), 0)).toBe(true);
  });
});
