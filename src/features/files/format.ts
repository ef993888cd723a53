const UNITS = [
  ["GiB", 1024 ** 3],
  ["MiB", 1024 ** 2],
  ["KiB", 1024],
] as const;

/** A limit as configured: `50 MiB`, `512 KiB`, else bytes. */
export function formatBytes(bytes: number): string {
  const [unit, size] = UNITS.find(([, size]) => bytes >= size && bytes % size === 0) ?? ["bytes", 1];
  return `${bytes / size} ${unit}`;
}
