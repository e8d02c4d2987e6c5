import { withVigil } from '@vigil/next';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

class OutOfStockError extends Error {
  override name = 'OutOfStockError';
}

// Throws: Next.js answers 500, Vigil records it with error_type="OutOfStockError".
export const GET = withVigil(
  async (): Promise<Response> => {
    throw new OutOfStockError('no more widgets');
  },
  { route: '/api/out-of-stock' },
);
