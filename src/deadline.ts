/**
 * What `work` settled to, or 'late' when it took longer than `ms`; the timer is cleared either
 * way, so that no wait outlives its answer (a start-up or a shutdown is not held by one).
 */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
