import { expect } from 'vitest';
import type { ContractContext } from './contract-context.js';

/** `LeaseStore`: acquire, renew, release by owner, expiry, fencing tokens. */
export function leaseContract({ subject, test }: ContractContext): void {
  test('leases: acquire takes a free lease; get shows the holder', async () => {
    const { store, clock } = subject();
    expect(await store.leases.get('leader')).toBeUndefined();
    const lease = await store.leases.acquire('leader', 'a', '30s');
    expect(lease).toEqual({
      name: 'leader',
      owner: 'a',
      token: expect.any(Number),
      expiresAt: clock.now() + 30_000,
    });
    expect(lease?.token).toBeGreaterThan(0);
    expect(await store.leases.get('leader')).toEqual(lease);
    expect(await store.leases.get('other')).toBeUndefined();
  });

  test('leases: the holder re-acquires with the same token; another owner is refused', async () => {
    const { store, clock } = subject();
    const first = await store.leases.acquire('leader', 'a', '30s');
    clock.advance(10_000);
    const again = await store.leases.acquire('leader', 'a', '1m');
    expect(again).toEqual({ ...first, expiresAt: clock.now() + 60_000 });
    expect(await store.leases.acquire('leader', 'b', '30s')).toBeUndefined();
    expect(await store.leases.get('leader')).toEqual(again);
  });

  test('leases: renew extends a held lease; other owners and lost leases are refused', async () => {
    const { store, clock } = subject();
    const first = await store.leases.acquire('leader', 'a', '30s');
    clock.advance(20_000);
    const renewed = await store.leases.renew('leader', 'a', '30s');
    expect(renewed).toEqual({ ...first, expiresAt: clock.now() + 30_000 });
    expect(await store.leases.renew('leader', 'b', '30s')).toBeUndefined();
    expect(await store.leases.renew('unknown', 'a', '30s')).toBeUndefined();
    clock.advance(29_999);
    expect(await store.leases.get('leader')).toEqual(renewed);
    clock.advance(1);
    // Expired: the holding is over, even if nobody took it yet.
    expect(await store.leases.get('leader')).toBeUndefined();
    expect(await store.leases.renew('leader', 'a', '30s')).toBeUndefined();
  });

  test('leases: after expiry another owner gets it with a higher token; the old one cannot renew', async () => {
    const { store, clock } = subject();
    const first = await store.leases.acquire('leader', 'a', '10s');
    clock.advance(10_000);
    const second = await store.leases.acquire('leader', 'b', '10s');
    expect(second?.owner).toBe('b');
    expect(second?.token).toBeGreaterThan(first?.token as number);
    expect(await store.leases.renew('leader', 'a', '10s')).toBeUndefined();
    expect(await store.leases.release('leader', 'a')).toBe(false);
    expect(await store.leases.get('leader')).toEqual(second);
  });

  test('leases: release only by the owner; the next holder gets a higher token', async () => {
    const { store } = subject();
    const first = await store.leases.acquire('leader', 'a', '1m');
    expect(await store.leases.release('leader', 'b')).toBe(false);
    expect(await store.leases.get('leader')).toEqual(first);
    expect(await store.leases.release('leader', 'a')).toBe(true);
    expect(await store.leases.get('leader')).toBeUndefined();
    expect(await store.leases.release('leader', 'a')).toBe(false);
    expect(await store.leases.renew('leader', 'a', '1m')).toBeUndefined();
    const second = await store.leases.acquire('leader', 'a', '1m');
    expect(second?.token).toBeGreaterThan(first?.token as number);
    const third = await store.leases.acquire('leader', 'b', '1m');
    expect(third).toBeUndefined();
    await store.leases.release('leader', 'a');
    const fourth = await store.leases.acquire('leader', 'b', '1m');
    expect(fourth?.token).toBeGreaterThan(second?.token as number);
  });

  test('leases: names are independent', async () => {
    const { store } = subject();
    expect(await store.leases.acquire('alerts', 'a', '1m')).toMatchObject({ owner: 'a' });
    expect(await store.leases.acquire('cleanup', 'b', '1m')).toMatchObject({ owner: 'b' });
    expect(await store.leases.release('alerts', 'a')).toBe(true);
    expect(await store.leases.get('cleanup')).toMatchObject({ owner: 'b' });
  });
}
