import { measure, type TimerGroup } from '@vigil/timers';
import type { FastifyInstance } from 'fastify';

/** An order of the in-memory store. */
export interface Order {
  id: number;
  item: string;
  quantity: number;
}

/** Options of the orders routes: the timers their "database" calls record into. */
export interface OrdersOptions {
  timers: TimerGroup;
}

/**
 * The orders API, registered under a prefix (`/api/v1`): an in-memory store whose calls are timed
 * as `db` operations, so that they show in `vigil_db_duration_seconds` and in `Server-Timing`.
 */
export async function ordersRoutes(api: FastifyInstance, { timers }: OrdersOptions): Promise<void> {
  const orders = new Map<number, Order>();
  let nextId = 1;
  const select = timers.bindDb('select', 'orders');
  const insert = timers.bindDb('insert', 'orders');

  api.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) => {
    const order = await measure(select, async () => orders.get(Number(request.params.id)));
    if (order === undefined) return reply.code(404).send({ error: 'no such order' });
    return order;
  });

  api.post<{ Body: { item: string; quantity?: number } }>(
    '/orders',
    {
      schema: {
        body: {
          type: 'object',
          required: ['item'],
          properties: { item: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } },
        },
      },
    },
    async (request, reply) => {
      const order = { id: nextId++, item: request.body.item, quantity: request.body.quantity ?? 1 };
      await measure(insert, async () => orders.set(order.id, order));
      return reply.code(201).send(order);
    },
  );

  api.get('/orders/report', async () => {
    await measure(select, async () => orders.size);
    throw new Error('the report service is down');
  });
}
