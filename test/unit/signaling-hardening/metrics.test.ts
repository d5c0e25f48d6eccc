import { describe, expect, it } from 'vitest';
import { ServerMetrics } from '../../../signaling/metrics.ts';

function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((row) => row.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

describe('ServerMetrics', () => {
  it('exports every series in the Prometheus text format, reading live counts at scrape time', async () => {
    let peers = 0;
    const metrics = new ServerMetrics({ rooms: async () => 3, peers: () => peers });
    metrics.connectionOpened();
    metrics.connectionOpened();
    metrics.connectionClosed();
    metrics.message('join');
    metrics.message('signal');
    metrics.message('signal');
    metrics.error('ERR_BAD_MESSAGE');
    metrics.rejected('origin');
    metrics.cut('slow_reader');
    peers = 7;
    const text = await metrics.render();
    expect(metrics.registry.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toContain('# TYPE chatus_connections gauge');
    expect(sample(text, 'chatus_connections')).toBe(1);
    expect(sample(text, 'chatus_rooms')).toBe(3);
    expect(sample(text, 'chatus_peers')).toBe(7);
    expect(sample(text, 'chatus_messages_total{type="signal"}')).toBe(2);
    expect(sample(text, 'chatus_errors_total{code="ERR_BAD_MESSAGE"}')).toBe(1);
    expect(sample(text, 'chatus_rejected_connections_total{reason="origin"}')).toBe(1);
    expect(sample(text, 'chatus_connections_cut_total{reason="slow_reader"}')).toBe(1);
    expect(sample(text, 'chatus_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('keeps each server\'s counts in its own registry', async () => {
    const a = new ServerMetrics({ rooms: async () => 0, peers: () => 0 });
    const b = new ServerMetrics({ rooms: async () => 0, peers: () => 0 });
    a.message('join');
    expect(sample(await a.render(), 'chatus_messages_total{type="join"}')).toBe(1);
    expect(sample(await b.render(), 'chatus_messages_total{type="join"}')).toBeUndefined();
  });
});
