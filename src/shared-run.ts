/**
 * Run `run` for `key` unless a run for it is already in flight, in which case share that one:
 * callers that ask for the same thing at once (a burst of requests) cost one load. The entry is
 * dropped when the run settles, so a failure is shared by those waiting on it but not remembered.
 */
export function sharedRun<K, V>(running: Map<K, Promise<V>>, key: K, run: () => Promise<V>): Promise<V> {
  const inFlight = running.get(key);
  if (inFlight) return inFlight;
  const started = run();
  running.set(key, started);
  const settled = () => running.delete(key);
  started.then(settled, settled);
  return started;
}
