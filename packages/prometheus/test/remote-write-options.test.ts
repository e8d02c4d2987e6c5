import { ConfigurationError, Registry } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { RemoteWriter, type RemoteWriterOptions } from '../src/index.js';

const URL_OK = 'http://127.0.0.1:9/api/v1/write';

function construct(options: Record<string, unknown>): unknown {
  const clock = manualClock();
  const base = { url: URL_OK, registry: new Registry(), clock, timers: clock, autoStart: false };
  return caught(() => new RemoteWriter({ ...base, ...options } as unknown as RemoteWriterOptions));
}

function expectInvalid(options: Record<string, unknown>, code: string, message: string | RegExp) {
  const error = construct(options);
  expect(error).toBeInstanceOf(ConfigurationError);
  expect(error).toMatchObject({ code });
  expect((error as Error).message).toMatch(message);
}

describe('RemoteWriter options', () => {
  it('requires an options object with url and registry', () => {
    const error = caught(() => new (RemoteWriter as unknown as new () => unknown)());
    expect(error).toMatchObject({ code: 'INVALID_OPTION' });
    expect((error as Error).message).toMatch(/^RemoteWriter: options should be an object/);
    expectInvalid({ url: undefined }, 'INVALID_OPTION', /RemoteWriter: url is required/);
    expectInvalid({ registry: undefined }, 'INVALID_OPTION', /RemoteWriter: registry is required/);
  });

  it('rejects an unknown option, naming the options', () => {
    expectInvalid(
      { intervall: '5s' },
      'INVALID_OPTION',
      /unknown option 'intervall'; the options are url, registry, interval/,
    );
  });

  it('accepts an http or https URL, as a string or a URL, and nothing with credentials', () => {
    const registry = new Registry();
    const writer = new RemoteWriter({
      url: new URL('https://example.test/push'),
      registry,
      autoStart: false,
    });
    expect(writer.url).toBe('https://example.test/push');
    expectInvalid(
      { url: 'ftp://127.0.0.1/x' },
      'INVALID_OPTION',
      /url should be an http or https URL.*got "ftp:/,
    );
    expectInvalid({ url: 'not a url' }, 'INVALID_OPTION', /url should be an http or https URL/);
    expectInvalid({ url: 42 }, 'INVALID_OPTION', /got 42/);
    const error = construct({ url: 'http://user:secret@127.0.0.1/x' });
    expect((error as Error).message).toMatch(
      /url should not hold credentials; pass them as basicAuth/,
    );
    expect((error as Error).message).not.toContain('secret');
  });

  it('rejects something that is not a registry', () => {
    expectInvalid(
      { registry: {} },
      'INVALID_OPTION',
      /registry should be a Registry from @vigil\/core/,
    );
  });

  it('checks durations with INVALID_DURATION', () => {
    expectInvalid({ interval: 'soon' }, 'INVALID_DURATION', /interval/);
    expectInvalid({ interval: 0 }, 'INVALID_DURATION', /interval should be longer than zero/);
    expectInvalid({ timeout: -1 }, 'INVALID_DURATION', /timeout/);
    expectInvalid({ retries: { minBackoff: '1x' } }, 'INVALID_DURATION', /retries.minBackoff/);
  });

  it('checks retries', () => {
    expectInvalid(
      { retries: 3 },
      'INVALID_OPTION',
      /RemoteWriter: retries: options should be an object, got 3/,
    );
    expectInvalid(
      { retries: { attempts: 3 } },
      'INVALID_OPTION',
      /retries: unknown option 'attempts'; the options are maxAttempts, minBackoff, maxBackoff/,
    );
    expectInvalid(
      { retries: { maxAttempts: 0 } },
      'INVALID_OPTION',
      /retries.maxAttempts should be an integer from 1 to 100, got 0/,
    );
    expectInvalid(
      { retries: { minBackoff: '2s', maxBackoff: '1s' } },
      'INVALID_OPTION',
      /retries.maxBackoff should be at least retries.minBackoff \(2000 ms\), got "1s"/,
    );
  });

  it('checks maxSamplesPerSend, autoStart, name and ownMetrics', () => {
    expectInvalid(
      { maxSamplesPerSend: 0 },
      'INVALID_OPTION',
      /maxSamplesPerSend should be a positive integer, got 0/,
    );
    expectInvalid({ maxSamplesPerSend: 1.5 }, 'INVALID_OPTION', /maxSamplesPerSend/);
    expectInvalid({ autoStart: 'yes' }, 'INVALID_OPTION', /autoStart should be true or false/);
    expectInvalid({ name: '' }, 'INVALID_OPTION', /name should be a non-empty string/);
    expectInvalid({ ownMetrics: 1 }, 'INVALID_OPTION', /ownMetrics should be true or false/);
  });

  it('checks headers, refusing the ones remote write fixes', () => {
    expectInvalid({ headers: 'x' }, 'INVALID_OPTION', /headers should be an object of strings/);
    expectInvalid(
      { headers: { 'X-Scope-OrgID': 1 } },
      'INVALID_OPTION',
      /headers.X-Scope-OrgID should be a string, got 1/,
    );
    expectInvalid(
      { headers: { 'bad header': 'x' } },
      'INVALID_OPTION',
      /headers: "bad header" is not a header name/,
    );
    expectInvalid(
      { headers: { 'Content-Encoding': 'gzip' } },
      'INVALID_OPTION',
      /headers should not set Content-Encoding: the protocol fixes it/,
    );
    expectInvalid(
      { headers: { 'x-prometheus-remote-write-version': '2.0.0' } },
      'INVALID_OPTION',
      /the protocol fixes it/,
    );
    expectInvalid(
      { headers: { 'X-A': 'a\r\nInjected: yes' } },
      'INVALID_OPTION',
      /headers.X-A should hold no line break/,
    );
  });

  it('takes one source of Authorization and never echoes a credential', () => {
    expectInvalid(
      { basicAuth: { username: 'u', password: 'p' }, bearerToken: 't' },
      'INVALID_OPTION',
      /basicAuth or bearerToken, not both/,
    );
    expectInvalid(
      { bearerToken: 't', headers: { Authorization: 'x' } },
      'INVALID_OPTION',
      /pass Authorization once/,
    );
    expectInvalid(
      { basicAuth: { username: 'a:b', password: 'hunter2' } },
      'INVALID_OPTION',
      /basicAuth.username should be a non-empty string without ':'/,
    );
    expectInvalid(
      { basicAuth: { username: 'u', pasword: 'hunter2' } },
      'INVALID_OPTION',
      /basicAuth: unknown option 'pasword'/,
    );
    expectInvalid(
      { basicAuth: 'u:p' },
      'INVALID_OPTION',
      /basicAuth should be an object \{ username, password \}/,
    );
    expectInvalid(
      { bearerToken: '' },
      'INVALID_OPTION',
      /bearerToken should be a non-empty string/,
    );
    const error = construct({ basicAuth: { username: 'u', password: 7 } });
    expect((error as Error).message).toMatch(/basicAuth.password should be a string$/);
    expect(
      (construct({ basicAuth: { username: 'a:b', password: 'hunter2' } }) as Error).message,
    ).not.toContain('hunter2');
  });

  it('checks externalLabels', () => {
    expectInvalid(
      { externalLabels: ['a'] },
      'INVALID_OPTION',
      /externalLabels should be an object of strings/,
    );
    expectInvalid(
      { externalLabels: { '1a': 'x' } },
      'INVALID_OPTION',
      /externalLabels: "1a" is not a label name/,
    );
    expectInvalid({ externalLabels: { __name__: 'x' } }, 'INVALID_OPTION', /not a label name/);
    expectInvalid(
      { externalLabels: { cluster: '' } },
      'INVALID_OPTION',
      /externalLabels.cluster should be a non-empty string/,
    );
  });

  it('checks clock, timers and onError by shape', () => {
    expectInvalid(
      { clock: Date.now },
      'INVALID_OPTION',
      /clock should be an object with a now\(\) method/,
    );
    expectInvalid({ timers: {} }, 'INVALID_OPTION', /timers should be an object with setTimeout/);
    expectInvalid({ onError: 'log' }, 'INVALID_OPTION', /onError should be a function/);
  });
});
