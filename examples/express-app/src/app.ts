import { collectDefaultMetrics, type DefaultMetrics, Registry } from '@vigil/core';
import { vigil, vigilErrors } from '@vigil/express';
import { checks, HealthMonitor } from '@vigil/health';
import { createTimers } from '@vigil/timers';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { FakeDb } from './fake-db.js';

/** Options of `createApp()`. */
export interface AppOptions {
  /** How long every fake database query takes, in ms; default 20. */
  dbLatencyMs?: number;
  /** Collect the default process metrics; default true. */
  processMetrics?: boolean;
}

/** The example app and what it holds. */
export interface ExampleApp {
  readonly app: Express;
  readonly registry: Registry;
  readonly health: HealthMonitor;
  /** Stops the health monitor and the process metrics (the server is the caller's). */
  close(): Promise<void>;
}

/**
 * A small Express app monitored by Vigil: `/`, `/api/users/:id` (a timed fake database call),
 * `/api/orders/:orderId` in a nested router, `/api/boom` (throws), and Vigil's `/metrics`,
 * `/health`, `/health/live`, `/health/ready`.
 */
export function createApp(options: AppOptions = {}): ExampleApp {
  const registry = new Registry({ defaultLabels: { service: 'express-app' } });
  const processMetrics: DefaultMetrics | undefined =
    options.processMetrics === false ? undefined : collectDefaultMetrics(registry);
  const db = new FakeDb(createTimers(registry), options.dbLatencyMs ?? 20);
  const health = new HealthMonitor({
    checks: [
      checks.custom('database', () => db.ping(), { quick: true }),
      checks.heap({ critical: false }),
    ],
    cacheFor: '2s',
    registry,
  });

  const app = express();
  app.use(vigil({ registry, health, serverTiming: true }));

  app.get('/', (_req, res) => {
    res.type('text').send('Try /api/users/1, /api/orders/7, /api/boom, /metrics and /health\n');
  });

  const api = express.Router();
  api.get('/users/:id', async (req, res) => {
    const user = await db.findUser(Number(req.params.id));
    if (user === undefined) res.status(404).json({ error: 'no such user' });
    else res.json(user);
  });
  api.get('/boom', () => {
    throw new TypeError('something broke');
  });
  const orders = express.Router();
  orders.get('/:orderId', (req, res) => {
    res.json({ id: req.params.orderId, status: 'shipped' });
  });
  api.use('/orders', orders);
  app.use('/api', api);

  app.use(vigilErrors()); // error_type = the error's class
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: error instanceof Error ? error.message : 'internal error' });
  });

  return {
    app,
    registry,
    health,
    close: async () => {
      processMetrics?.close();
      await health.close();
    },
  };
}
