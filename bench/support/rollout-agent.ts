/**
 * A simulated patchcast agent for `bench/rollout.ts`: a pure HTTP client that leases its host's jobs
 * (a long poll, or a short poll every interval) and "runs" each by reporting its steps — preflight,
 * the versions before apply, apply, verify — and ending it; nothing touches a real package. A job
 * marked to fail reports a failed verify, a rollback and ends rolled back, so the gates count it.
 */
import http from 'node:http';

export interface AgentOptions {
  port: number;
  credential: string;
  /** Long poll: `wait` seconds per lease request; 0 = short polls every `intervalMs`. */
  wait: number;
  intervalMs: number;
  /** Simulated time a job's steps take in all. */
  workMs: number;
  /** The pause after an empty long-poll answer (`patchcast agent run`: 1 s). */
  idlePauseMs: number;
  fails: boolean;
}

export interface Dispatch {
  jobId: string;
  /** Epoch ms at which the lease response that carried the job was read. */
  receivedMs: number;
}

export interface AgentCounters {
  requests: number;
  leases: number;
  errors: string[];
}

export class SimulatedAgent {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1 });
  private readonly headers: Record<string, string>;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly options: AgentOptions,
    private readonly counters: AgentCounters,
    private readonly onDispatch: (d: Dispatch) => void,
  ) {
    this.headers = {
      authorization: `Bearer ${options.credential}`,
      'content-type': 'application/json',
    };
  }

  /** Polls until stopped; a short-polling agent starts at a random phase of its interval. */
  async run(): Promise<void> {
    if (this.options.wait === 0) await this.pause(Math.random() * this.options.intervalMs);
    while (!this.stopped) {
      const at = Date.now();
      const leased = await this.post('/api/v1/agent/lease', { limit: 1, wait: this.options.wait });
      this.counters.leases++;
      const receivedMs = Date.now();
      for (const work of Array.isArray(leased) ? (leased as LeaseItem[]) : []) {
        this.onDispatch({ jobId: work.job.id, receivedMs });
        await this.runJob(work);
      }
      if (this.options.wait === 0) await this.pause(this.options.intervalMs - (Date.now() - at));
      // As `patchcast agent run` does (src/agent/run.ts): a pause after an empty answer or an error.
      else if (!Array.isArray(leased)) await this.pause(1000);
      else if (leased.length === 0) await this.pause(this.options.idlePauseMs);
    }
  }

  /** Stops after the request in flight (a long poll ends within `wait`; a pause at once). */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  close(): void {
    this.agent.destroy();
  }

  private async runJob(work: LeaseItem): Promise<void> {
    const base = `/api/v1/agent/jobs/${encodeURIComponent(work.job.id)}`;
    const token = work.token;
    const slice = this.options.workMs / 3;
    const step = async (name: string, outcome: 'ok' | 'failed') => {
      const startedAt = new Date().toISOString();
      await this.pause(slice);
      await this.post(`${base}/steps`, {
        token,
        report: { step: name, outcome, startedAt, endedAt: new Date().toISOString(), excerpt: name },
      });
    };
    await step('preflight', 'ok');
    const previous = work.spec.targets.map((t) => ({ name: t.name, version: '0-bench' }));
    await this.post(`${base}/apply`, { token, previous });
    await step('apply', 'ok');
    if (!this.options.fails) {
      await step('verify', 'ok');
      await this.post(`${base}/end`, { token, outcome: 'succeeded' });
      return;
    }
    await step('verify', 'failed');
    await step('rollback', 'ok');
    await this.post(`${base}/end`, { token, outcome: 'rolled-back', lastError: 'bench: verify failed' });
  }

  private pause(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** POSTs JSON; the parsed answer, or undefined (counted as an error) on a failure. */
  private post(path: string, body: unknown): Promise<unknown> {
    this.counters.requests++;
    const payload = JSON.stringify(body);
    return new Promise((resolve) => {
      const fail = (message: string) => {
        if (this.counters.errors.length < 20) this.counters.errors.push(`${path}: ${message}`);
        resolve(undefined);
      };
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.options.port,
          path,
          method: 'POST',
          agent: this.agent,
          headers: { ...this.headers, 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => {
            if (res.statusCode !== 200) return fail(`${res.statusCode} ${text.slice(0, 200)}`);
            try {
              resolve(JSON.parse(text));
            } catch {
              fail(`unparsable answer ${text.slice(0, 100)}`);
            }
          });
          res.on('error', (e) => fail(e.message));
        },
      );
      req.on('error', (e) => fail(e.message));
      req.end(payload);
    });
  }
}

interface LeaseItem {
  job: { id: string };
  token: number;
  spec: { targets: Array<{ name: string; version: string }> };
}
