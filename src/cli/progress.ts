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
