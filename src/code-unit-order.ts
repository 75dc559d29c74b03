/**
 * Orders strings by their UTF-16 code units, as `Array.prototype.sort` does by default,
 * whatever the machine's locale. `localeCompare` follows the locale Node.js takes from
 * LANG: in Danish "aa" sorts after "z", in Lithuanian "y" after "i". What is hashed
 * (the objects' applied digests, the Secrets' digest) or recorded in shared state (the
 * processes' order) is ordered with this, so two people's machines and a CI runner agree.
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
