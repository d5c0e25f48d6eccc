/** Small statistics and formatting helpers for the benchmark report. */

/** The q-quantile (0..1) of `values` by nearest rank; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** One row of the report: a figure for ChatUs beside its baseline in the same run. */
export interface Row {
  readonly scenario: string;
  readonly metric: string;
  readonly chatus: number;
  readonly baseline: number;
  readonly baselineName: string;
  readonly unit: string;
  /** 'lower' when smaller is better (latency, memory), 'higher' when larger is (throughput). */
  readonly better: 'lower' | 'higher';
}

/** ChatUs ÷ baseline. */
export function ratio(row: Row): number {
  return row.chatus / row.baseline;
}

function format(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** The report as a Markdown table. */
export function table(rows: readonly Row[]): string {
  const header = '| scenario | metric | ChatUs | baseline | baseline is | ratio |\n|---|---|---:|---:|---|---:|';
  const lines = rows.map(
    (row) =>
      `| ${row.scenario} | ${row.metric} | ${format(row.chatus)} ${row.unit} | ${format(row.baseline)} ${row.unit} | ${row.baselineName} | ${format(ratio(row))}× (${row.better} is better) |`,
  );
  return [header, ...lines].join('\n');
}

/** Prints a progress line to stderr, so stdout keeps only the report. */
export function progress(text: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

/** Peak resident memory (VmHWM) and current (VmRSS) of a process, in bytes, from /proc. */
export async function processMemory(pid: number): Promise<{ rss: number; peak: number }> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(/^(\w+):\s+(\d+) kB$/m.exec(status.split('\n').find((l) => l.startsWith(key)) ?? '')?.[2] ?? Number.NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/**
 * Sets a process's peak resident memory (VmHWM) back to its current RSS, so that a later `processMemory(pid).peak` is
 * the peak since now (Linux ≥ 4.0, /proc/PID/clear_refs, as root or the process's user); false when it cannot.
 */
export async function resetPeakMemory(pid: number): Promise<boolean> {
  const { writeFile } = await import('node:fs/promises');
  return writeFile(`/proc/${pid}/clear_refs`, '5').then(
    () => true,
    () => false,
  );
}
