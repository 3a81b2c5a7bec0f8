import { grantedBytes } from '../src/recv-buffer-sweep';

describe('bench receive buffer sizes', () => {
  it('doubles the request as Linux does, capped at twice net.core.rmem_max', () => {
    expect(grantedBytes(262_144, 4_194_304)).toBe(524_288);
    expect(grantedBytes(8_388_608, 4_194_304)).toBe(8_388_608);
    expect(grantedBytes(1_000, undefined)).toBe(2_000);
  });
});
