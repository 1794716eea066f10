// Distinct hues that keep contrast on both light and dark backgrounds.
const PALETTE = [
  '#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948',
  '#9c755f', '#ff9da7', '#8cd17d', '#86bcb6', '#d4a6c8', '#a0cbe8',
];

/**
 * A colour per service. Services sorted by name take palette slots in order,
 * so the same set of services always gets the same colours.
 */
export function serviceColors(services: Iterable<string>): Map<string, string> {
  const names = [...new Set(services)].sort();
  const m = new Map<string, string>();
  names.forEach((name, i) => m.set(name, PALETTE[i % PALETTE.length]!));
  return m;
}
