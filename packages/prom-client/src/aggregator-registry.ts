import cluster from 'node:cluster';
import type { SummarySnapshot } from '@vigil/core';
import { aggregators } from './aggregators.js';
import { setExactQuantiles, type WorkerAnswer } from './exact-quantiles.js';
import { PROMETHEUS_CONTENT_TYPE } from './exposition.js';
import { globalRegistry, Registry, SUMMARY_SNAPSHOTS } from './registry.js';
import type { Aggregator, MetricData, RegistryContentType } from './types.js';

// prom-client's message types, so that a primary and workers of either library understand each other.
const GET_METRICS_REQ = 'prom-client:getMetricsReq';
const GET_METRICS_RES = 'prom-client:getMetricsRes';
const TIMEOUT_MS = 5000;

interface PendingRequest {
  answers: WorkerAnswer[];
  pending: number;
  done: (error: Error | null, result?: Promise<string> | string) => void;
  errorTimeout: NodeJS.Timeout;
}

interface MetricsMessage {
  type?: string;
  requestId: number;
  metrics?: MetricData[][];
  /**
   * Vigil's addition to prom-client's answer: the core snapshots of the worker's facade
   * summaries, sketches included. A prom-client primary ignores the field.
   */
  sketches?: SummarySnapshot[];
  error?: string;
}

let registries: Registry<RegistryContentType>[] | undefined;
let requestCounter = 0;
let listenersAdded = false;
const requests = new Map<number, PendingRequest>();

/**
 * prom-client's `AggregatorRegistry`: in the primary, `clusterMetrics()` asks every worker for
 * `getMetricsAsJSON()` over IPC and aggregates the answers with each metric's `aggregator`. It
 * speaks prom-client's IPC protocol, so either side may run prom-client itself. Workers on the
 * facade also send their summaries' sketches, and the primary gives those summaries the
 * quantiles of all the workers' observations pooled, merged exactly by `@vigil/prometheus`
 * (prom-client sums the workers' quantiles; see `setExactQuantiles`).
 */
export class AggregatorRegistry<T extends RegistryContentType> extends Registry<T> {
  constructor(regContentType: T = PROMETHEUS_CONTENT_TYPE as T) {
    super(regContentType);
    addListeners();
  }

  /** The workers' metrics, aggregated, in the text format. */
  clusterMetrics(): Promise<string> {
    const requestId = requestCounter++;
    return new Promise((resolve, reject) => {
      let settled = false;
      const done = (error: Error | null, result?: Promise<string> | string) => {
        if (settled) return;
        settled = true;
        // A failed or timed-out scrape is forgotten too: late answers find no request.
        requests.delete(requestId);
        clearTimeout(request.errorTimeout);
        if (error) reject(error);
        else resolve(result as string);
      };
      const request: PendingRequest = {
        answers: [],
        pending: 0,
        done,
        errorTimeout: setTimeout(() => request.done(new Error('Operation timed out.')), TIMEOUT_MS),
      };
      requests.set(requestId, request);
      const message = { type: GET_METRICS_REQ, requestId };
      for (const worker of Object.values(cluster.workers ?? {})) {
        if (worker?.isConnected()) {
          worker.send(message);
          request.pending++;
        }
      }
      if (request.pending === 0) {
        clearTimeout(request.errorTimeout);
        process.nextTick(() => done(null, ''));
      }
    });
  }

  /**
   * A registry of `metricsArr` (answers of `getMetricsAsJSON()`), each metric aggregated with its
   * `aggregator` (`sum` when none).
   */
  static aggregate<T extends RegistryContentType>(
    metricsArr: Array<object>,
    registryType: RegistryContentType = PROMETHEUS_CONTENT_TYPE,
  ): Registry<T> {
    return registryOf(aggregateFamilies(metricsArr as MetricData[][]), registryType);
  }

  /** The registries a worker answers with (default: the global registry). */
  static setRegistries(
    regs: Registry<RegistryContentType> | Registry<RegistryContentType>[] | Registry[] | Registry,
  ): void {
    const list = (Array.isArray(regs) ? regs : [regs]) as Registry<RegistryContentType>[];
    for (const registry of list) {
      if (!(registry instanceof Registry))
        throw new TypeError(`Expected Registry, got ${typeof registry}`);
    }
    registries = list;
  }
}

/** `answers` (each worker's `getMetricsAsJSON()`), each metric aggregated with its `aggregator`. */
function aggregateFamilies(answers: readonly MetricData[][]): MetricData[] {
  const byName = new Map<string, MetricData[]>();
  for (const metrics of answers) {
    for (const metric of metrics) {
      const list = byName.get(metric.name);
      if (list === undefined) byName.set(metric.name, [metric]);
      else list.push(metric);
    }
  }
  const families: MetricData[] = [];
  for (const metrics of byName.values()) {
    const name = (metrics[0] as MetricData).aggregator as Aggregator;
    const aggregate = aggregators[name];
    if (typeof aggregate !== 'function') {
      throw new Error(`'${name}' is not a defined aggregator.`);
    }
    const metric = aggregate(metrics);
    if (metric) families.push(metric);
  }
  return families;
}

function registryOf<T extends RegistryContentType>(
  families: readonly MetricData[],
  registryType: RegistryContentType,
): Registry<T> {
  const aggregated = new Registry<RegistryContentType>();
  aggregated.setContentType(registryType);
  for (const metric of families) aggregated.registerMetric({ get: () => metric, ...metric });
  return aggregated as unknown as Registry<T>;
}

/**
 * The text of a cluster scrape: the answers aggregated as prom-client does, then summaries given
 * the quantiles of their merged sketches where they merge (see `setExactQuantiles`). Async, so
 * that an answer prom-client's aggregation throws on rejects the scrape rather than throwing in
 * the primary's message listener.
 */
async function clusterText(answers: readonly WorkerAnswer[]): Promise<string> {
  const families = aggregateFamilies(answers.flatMap((answer) => answer.metrics));
  setExactQuantiles(families, answers);
  return registryOf(families, PROMETHEUS_CONTENT_TYPE).metrics();
}

/**
 * @internal The summaries' sketches of `answering`, or none when they cannot be read (a
 * registry of another copy of this package without them): the primary then aggregates as
 * prom-client, and the scrape does not fail for what is only an improvement.
 */
export function sketchesOf(answering: readonly Registry<RegistryContentType>[]): SummarySnapshot[] {
  try {
    return answering.flatMap((registry) => registry[SUMMARY_SNAPSHOTS]());
  } catch {
    return [];
  }
}

function addListeners(): void {
  if (listenersAdded) return;
  listenersAdded = true;
  if (cluster.isPrimary) {
    cluster.on('message', (_worker, message: MetricsMessage) => {
      if (message.type !== GET_METRICS_RES) return;
      const request = requests.get(message.requestId);
      if (request === undefined) return;
      if (message.error) {
        request.done(new Error(message.error));
        return;
      }
      const metrics = Array.isArray(message.metrics) ? message.metrics : [];
      request.answers.push({ metrics, sketches: message.sketches });
      request.pending--;
      if (request.pending === 0) {
        clusterText(request.answers).then(
          (text) => request.done(null, text),
          (error: Error) => request.done(error),
        );
      }
    });
  }
  if (cluster.isWorker) {
    process.on('message', (message: MetricsMessage) => {
      if (message.type !== GET_METRICS_REQ) return;
      const answering = registries ?? [globalRegistry()];
      Promise.all(answering.map((r) => r.getMetricsAsJSON()))
        .then((metrics) => {
          // After getMetricsAsJSON: its `collect` callbacks have run, and pruned windows are gone.
          const sketches = sketchesOf(answering);
          process.send?.({
            type: GET_METRICS_RES,
            requestId: message.requestId,
            metrics,
            sketches,
          });
        })
        .catch((error: Error) => {
          process.send?.({
            type: GET_METRICS_RES,
            requestId: message.requestId,
            error: error.message,
          });
        });
    });
  }
}
