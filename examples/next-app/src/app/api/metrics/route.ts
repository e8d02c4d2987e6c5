import { metricsRoute } from '@vigil/next';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

// Set VIGIL_METRICS_TOKEN to require `Authorization: Bearer <token>` from the scraper.
export const { GET } = metricsRoute({ token: process.env.VIGIL_METRICS_TOKEN || undefined });
