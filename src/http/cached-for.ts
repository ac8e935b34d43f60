/** The last answer of `load` while it is younger than `ms`; callers arriving meanwhile share one call. */
export function cachedFor<T>(ms: number, load: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= ms) {
      const value = load();
      last = { at: now, value };
      value.catch(() => (last = null));
    }
    return last.value;
  };
}
