import { Registry } from '@vigil/core';
import { type ManualClock, manualClock } from '@vigil/core/testing';
import { rejection } from '@vigil/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteWriter, type RemoteWriterOptions } from '../src/index.js';
import { type FakeReceiver, startFakeReceiver } from './support/remote-write-receiver.js';

let receiver: FakeReceiver;
let clock: ManualClock;
let registry: Registry;
const writers: RemoteWriter[] = [];

beforeEach(async () => {
  receiver = await startFakeReceiver();
  clock = manualClock();
  registry = new Registry({ clock });
});

afterEach(async () => {
  for (const writer of writers.splice(0)) await writer.close().catch(() => undefined);
  await receiver.close();
});

function writer(options: Partial<RemoteWriterOptions> = {}): RemoteWriter {
  const created = new RemoteWriter({
    url: receiver.url,
    registry,
    clock,
    timers: clock,
    autoStart: false,
    ownMetrics: false,
    onError: () => undefined,
    ...options,
  });
  writers.push(created);
  return created;
}

function sampleValue(name: string): number | undefined {
  for (const metric of registry.snapshot().metrics) {
    if (metric.name === name && (metric.type === 'counter' || metric.type === 'gauge')) {
      return metric.series[0]?.value;
    }
  }
  return undefined;
}

describe('RemoteWriter own metrics', () => {
  it('counts accepted samples in the registry and writes them along, one write behind', async () => {
    registry.gauge({ name: 'g', help: 'g' }).set(1);
    const remote = writer({ ownMetrics: true, name: 'primary' });
    await remote.write();
    const first = receiver.received[0]?.request?.timeseries ?? [];
    // The gauge and the writer's four counters, at 0 before the first write.
    expect(first).toHaveLength(5);
    expect(sampleValue('vigil_remote_write_samples_total')).toBe(5);
    await remote.write();
    const second = receiver.received[1]?.request?.timeseries ?? [];
    const written = second.find((s) => s.labels[0]?.value === 'vigil_remote_write_samples_total');
    expect(written?.labels).toContainEqual({ name: 'remote', value: 'primary' });
    expect(written?.samples[0]?.value).toBe(5);
    expect(second).toHaveLength(6);
    expect(sampleValue('vigil_remote_write_samples_total')).toBe(11);
    expect(sampleValue('vigil_remote_write_last_success_timestamp_seconds')).toBe(
      (clock.now() + 1) / 1000,
    );
  });

  it('counts failed requests and their samples', async () => {
    registry.gauge({ name: 'g', help: 'g', labelNames: ['i'] }).set({ i: 'a' }, 1);
    receiver.answer({ status: 422 });
    await rejection(writer({ ownMetrics: true }).write());
    expect(sampleValue('vigil_remote_write_failures_total')).toBe(1);
    // The gauge and the four counters that existed at the snapshot.
    expect(sampleValue('vigil_remote_write_failed_samples_total')).toBe(5);
    expect(sampleValue('vigil_remote_write_last_success_timestamp_seconds')).toBeUndefined();
  });

  it('registers nothing with ownMetrics: false', async () => {
    writer({ ownMetrics: false });
    expect(registry.snapshot().metrics).toEqual([]);
  });
});
