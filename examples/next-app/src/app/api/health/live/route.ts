import { healthRoute } from '@vigil/next';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const { GET } = healthRoute({ probe: 'live' });
