import cluster, { type Worker } from 'node:cluster';
import { invalidOption } from '@vigil/core/options';
import { type AggregatorOptions, aggregatorConfig } from './aggregator-options.js';
import { MetricsAggregator } from './metrics-aggregator.js';
import type { ScrapeTarget } from './scrape-workers.js';

/** Options of `new ClusterAggregator()`. */
export type ClusterAggregatorOptions = AggregatorOptions;

const OWNER = 'ClusterAggregator';

/**
 * In a `node:cluster` primary: merges the metrics of every live worker (each calls
 * `exposeClusterMetrics(registry)`) into one exposition, exactly (counters and histograms added,
 * summaries through their sketches). Serve it as you would a registry: `metrics({ format })`,
 * `contentType`. A worker that does not answer within `timeout`, dies or answers garbage is left
 * out of that scrape and counted in `vigil_aggregation_workers_left_out_total`.
 *
 * @throws ConfigurationError `INVALID_OPTION` for bad options, or outside a cluster primary.
 */
export class ClusterAggregator extends MetricsAggregator {
  constructor(options?: ClusterAggregatorOptions) {
    const { config } = aggregatorConfig(OWNER, options, []);
    if (!cluster.isPrimary) {
      throw invalidOption(
        OWNER,
        'this is a cluster worker: create the ClusterAggregator in the primary, and call exposeClusterMetrics(registry) in each worker',
      );
    }
    super(OWNER, 'primary', config);
  }

  protected targets(): ScrapeTarget[] {
    const workers: Worker[] = [];
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker?.isConnected() && !worker.isDead()) workers.push(worker);
    }
    workers.sort((a, b) => a.id - b.id);
    return workers.map(clusterTarget);
  }
}

function clusterTarget(worker: Worker): ScrapeTarget {
  return {
    name: String(worker.id),
    ask(request, failed) {
      worker.send(request, undefined, (error: Error | null) => {
        if (error) failed(error);
      });
    },
    listen(onMessage, onGone) {
      worker.on('message', onMessage);
      worker.on('exit', onGone);
      worker.on('disconnect', onGone);
      return () => {
        worker.off('message', onMessage);
        worker.off('exit', onGone);
        worker.off('disconnect', onGone);
      };
    },
  };
}
