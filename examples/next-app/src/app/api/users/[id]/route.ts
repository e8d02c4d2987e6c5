import { withVigil } from '@vigil/next';
import { notFound } from 'next/navigation';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// `route` is this file's route as Next.js writes it; RouteContext checks it exists.
export const GET = withVigil(
  async (_request: Request, context: RouteContext<'/api/users/[id]'>) => {
    const { id } = await context.params;
    if (!/^[1-9]\d*$/.test(id)) notFound();
    return Response.json({ id: Number(id), name: `User ${id}` });
  },
  { route: '/api/users/[id]' },
);
