import { describe, expect, it } from 'vitest';
import { acceptedCodings } from '../../../signaling/content-encoding.ts';

describe('acceptedCodings', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['identity', []],
    ['gzip', ['gzip']],
    ['br', ['br']],
    ['gzip, deflate, br, zstd', ['br', 'gzip']],
    ['gzip, deflate', ['gzip']],
    ['GZip, BR', ['br', 'gzip']],
    ['br;q=0.5, gzip', ['gzip', 'br']],
    ['br;q=0, gzip', ['gzip']],
    ['br; q=0.0, gzip;q=0', []],
    ['gzip;q=1.0, br;q=0.9', ['gzip', 'br']],
    ['*', ['br', 'gzip']],
    ['*;q=0', []],
    ['*;q=0, gzip', ['gzip']],
    ['br;q=0, *', ['gzip']],
    ['gzip;q=0.5, identity;q=1', []],
    ['gzip, identity;q=0.5', ['gzip']],
    ['br;q=2, gzip;q=abc', []],
    ['deflate, zstd', []],
  ])('%j → %j', (header, expected) => {
    expect(acceptedCodings(header)).toStrictEqual(expected);
  });
});
