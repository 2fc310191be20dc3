import cliProgress from 'cli-progress';

/** A progress display for long work; it steps aside (does nothing) when stderr is not a terminal or output is JSON. */
export interface Progress {
  start(total: number, label: string): void;
  increment(by?: number): void;
  stop(): void;
}

const SILENT: Progress = { start() {}, increment() {}, stop() {} };

export function makeProgress(options: { json?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.json || !stream.isTTY) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{label} [{bar}] {percentage}% | {value}/{total} | {rate}/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  return {
    start(total, label) {
      started = Date.now();
      bar.start(total, 0, { label, rate: 0 });
    },
    increment(by = 1) {
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      bar.increment(by, { rate: Math.round((bar.getProgress() * bar.getTotal()) / seconds) });
    },
    stop() {
      bar.stop();
    },
  };
}

/**
 * A sync's progress display: bytes read (with rate and ETA when the size is known) and records
 * written. Steps aside when stderr is not a terminal or output is JSON.
 */
export function makeFeedProgress(
  source: string,
  options: { json?: boolean; stream?: NodeJS.WriteStream } = {},
) {
  const stream = options.stream ?? process.stderr;
  const silent = { setTotal() {}, advance() {}, records() {}, stop() {} };
  if (options.json || !stream.isTTY) return silent;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${source.padEnd(14)} [{bar}] {percentage}% | {mb} MB | {records} records | {rate} MB/s | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let bytes = 0;
  let records = 0;
  let running = false;
  const payload = () => ({
    mb: (bytes / 1e6).toFixed(1),
    records,
    rate: (bytes / 1e6 / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1),
  });
  const ensure = (total: number) => {
    if (!running) bar.start(total, 0, payload());
    running = true;
  };
  return {
    setTotal(total: number) {
      ensure(total);
      bar.setTotal(total);
    },
    advance(units: number) {
      ensure(0);
      bytes += units;
      bar.update(bytes, payload());
    },
    records(count: number) {
      ensure(0);
      records = count;
      bar.update(bytes, payload());
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
