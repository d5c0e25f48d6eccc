/**
 * Content negotiation for the precompressed web client: the build writes `file.br` and `file.gz` beside each
 * compressible file (web/precompress.ts), and the server sends the one the request's `Accept-Encoding` prefers.
 */

/** A coding the build writes a file for, and the suffix of that file, in order of preference on a tie. */
export const precompressed = [
  { coding: 'br', suffix: '.br' },
  { coding: 'gzip', suffix: '.gz' },
] as const;

export type Coding = (typeof precompressed)[number]['coding'];

/**
 * The codings a request accepts, best first, among those in {@link precompressed}; empty means identity. Follows
 * RFC 9110 §12.5.3: names are case-insensitive, `q=0` refuses a coding, `*` stands for any coding not named, and
 * identity named with a higher weight than a coding wins over it. On equal weights `br` comes before `gzip`.
 */
export function acceptedCodings(header: string | undefined): Coding[] {
  const weights = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (name === '') continue;
    const q = params.find((param) => /^q\s*=/.test(param));
    const weight = q === undefined ? 1 : Number(q.replace(/^q\s*=\s*/, ''));
    // A malformed weight makes the entry mean nothing rather than "accept".
    if (!Number.isFinite(weight) || weight < 0 || weight > 1) continue;
    weights.set(name, Math.max(weights.get(name) ?? 0, weight));
  }
  const weightOf = (coding: string): number => weights.get(coding) ?? weights.get('*') ?? 0;
  const identity = weights.get('identity');
  return precompressed
    .map(({ coding }) => ({ coding, weight: weightOf(coding) }))
    .filter(({ weight }) => weight > 0 && (identity === undefined || weight >= identity))
    .sort((a, b) => b.weight - a.weight)
    .map(({ coding }) => coding);
}

/** The suffix of the file the build writes for `coding`. */
export function suffixOf(coding: Coding): string {
  return precompressed.find((entry) => entry.coding === coding)?.suffix ?? '';
}
