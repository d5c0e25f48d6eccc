/**
 * `npx tsx bench/crypto.ts`: what the trust work costs. Prints operations per second of shared/crypto's functions
 * (pure JS, @noble) on this machine, and the minified and gzip size that shared/crypto with the three @noble
 * libraries adds to a Vite bundle when an app imports only these functions (tree-shaken). Figures, not a test.
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { openDirectChannel, openDirectMessage, sealDirectMessage } from '../shared/crypto/direct-message.ts';
import { generateIdentity } from '../shared/crypto/identity.ts';
import { systemRandom } from '../shared/crypto/random.ts';
import { safetyNumber } from '../shared/crypto/safety-number.ts';
import { signMessage, verifyMessage, type MessageContent, type MessageHeader } from '../shared/crypto/signing.ts';

/** Runs `operation` for about `ms` after a warm-up and returns operations per second. */
function perSecond(operation: () => unknown, ms = 1500): number {
  for (let i = 0; i < 50; i++) operation();
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    operation();
    count++;
  }
  return count / ((performance.now() - start) / 1000);
}

function speed(): [string, string][] {
  const ann = generateIdentity(systemRandom);
  const bob = generateIdentity(systemRandom);
  const header: MessageHeader = { v: 1, room: 'room-1', id: crypto.randomUUID(), author: ann.publicIdentity, seq: 1, ts: Date.now() };
  const content: MessageContent = { kind: 'room', text: 'x'.repeat(200) };
  const signature = signMessage(ann, header, content);
  const channel = openDirectChannel(ann, bob.publicIdentity);
  const back = openDirectChannel(bob, ann.publicIdentity);
  if (!channel.ok || !back.ok) throw new Error('channel');
  const dm = sealDirectMessage(channel.value, header, 'x'.repeat(200), systemRandom);
  const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
  // Baseline in the same run: Node's native (OpenSSL) Ed25519 over 400 bytes, about the size of the signed bytes.
  const native = generateKeyPairSync('ed25519');
  const bytes = new Uint8Array(400);
  const nativeSignature = sign(null, bytes, native.privateKey);
  return [
    ['sign a 200-character room message', rate(perSecond(() => signMessage(ann, header, content)))],
    ['verify it', rate(perSecond(() => verifyMessage(header, content, signature)))],
    ['baseline: Node native Ed25519 sign (OpenSSL)', rate(perSecond(() => sign(null, bytes, native.privateKey)))],
    ['baseline: Node native Ed25519 verify (OpenSSL)', rate(perSecond(() => verify(null, bytes, native.publicKey, nativeSignature)))],
    ['open a DM channel (X25519 + 2 HKDF), once per peer', rate(perSecond(() => openDirectChannel(ann, bob.publicIdentity)))],
    ['seal a 200-character DM', rate(perSecond(() => sealDirectMessage(channel.value, header, 'x'.repeat(200), systemRandom)))],
    ['open it', rate(perSecond(() => openDirectMessage(back.value, header, dm)))],
    ['safety number (2 × 5200 SHA-512)', `${(1000 / perSecond(() => safetyNumber(ann.publicIdentity, bob.publicIdentity), 3000)).toFixed(0)} ms`],
  ];
}

async function bundleSize(name: string, modules: string[]): Promise<[string, string]> {
  const dir = mkdtempSync(join(tmpdir(), 'chatus-crypto-size-'));
  const shared = fileURLToPath(new URL('../shared/crypto/', import.meta.url));
  const entry = join(dir, 'entry.js');
  writeFileSync(entry, modules.map((module) => `export * from ${JSON.stringify(join(shared, module))};`).join('\n'));
  try {
    const output = await build({
      configFile: false,
      logLevel: 'silent',
      // valibot is in the app's bundle already (the protocol schemas), so it is not counted here.
      build: {
        write: false,
        target: 'es2022',
        minify: true,
        lib: { entry, formats: ['es'], fileName: 'entry' },
        rollupOptions: { external: ['valibot'] },
      },
    });
    const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) => ('output' in result ? result.output : []));
    const code = chunks.map((chunk) => ('code' in chunk ? chunk.code : '')).join('');
    const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
    return [name, `${kib(code.length)} min, ${kib(gzipSync(code, { level: 9 }).length)} gzip`];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [
  ...speed(),
  await bundleSize('bundle: identity + signing only (open rooms)', ['identity.ts', 'signing.ts']),
  await bundleSize('bundle: all of shared/crypto', [
    'identity.ts',
    'safety-number.ts',
    'signing.ts',
    'direct-message.ts',
    'invite.ts',
    'private-room.ts',
    'sealed-signal.ts',
    'wire.ts',
    'random.ts',
  ]),
];
const width = Math.max(...rows.map(([label]) => label.length));
for (const [label, value] of rows) process.stdout.write(`${label.padEnd(width)}  ${value}\n`);
