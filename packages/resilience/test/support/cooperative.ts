/** A task that honours its signal: it settles after `ms`, or rejects with the abort reason. */
export function cooperative(ms: number, value = 'done') {
  return (signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => resolve(value), ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
}
