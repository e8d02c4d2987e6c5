// Next.js runs register() once per server process, before the first request. Route handlers are
// bundled apart from this file, so Vigil keeps what is set here on globalThis, where every
// bundle finds it. Only the Node.js runtime gets the set-up (Vigil's HTTP side needs it).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    await import('./vigil');
  }
}
