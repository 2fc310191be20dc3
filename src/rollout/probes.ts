import { connect } from 'node:net';
import type { Executor, Probe, ProbeResult } from './contract.js';

const DEFAULT_TIMEOUT_MS = 10_000;
/** Enough of a body or an output to say why a probe failed, not a page of it. */
const DETAIL_CHARS = 300;

/** A probe's name in reports: its own, or what it checks. */
export function getProbeName(probe: Probe): string {
  if (probe.name) return probe.name;
  if (probe.kind === 'http') return `http ${probe.url}`;
  if (probe.kind === 'tcp') return `tcp ${probe.host}:${probe.port}`;
  return `command ${probe.argv.join(' ')}`;
}

/**
 * Runs each probe in turn and says whether it passed. HTTP and TCP probes run from where patchcast
 * runs (the agent on the host, or the controller); command probes run on the host through its executor.
 * A probe never throws: an unreachable endpoint is a failed probe, with the reason in `detail`.
 */
export async function runProbes(probes: readonly Probe[], executor: Executor): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  for (const probe of probes) {
    results.push(await runProbe(probe, executor));
  }
  return results;
}

async function runProbe(probe: Probe, executor: Executor): Promise<ProbeResult> {
  const name = getProbeName(probe);
  try {
    const verdict =
      probe.kind === 'http'
        ? await probeHttp(probe)
        : probe.kind === 'tcp'
          ? await probeTcp(probe)
          : await probeCommand(probe, executor);
    return { probe: name, ...verdict };
  } catch (error) {
    return { probe: name, ok: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

type Verdict = Omit<ProbeResult, 'probe'>;

async function probeHttp(probe: Extract<Probe, { kind: 'http' }>): Promise<Verdict> {
  const timeoutMs = probe.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let response: Response;
  let body: string;
  try {
    response = await fetch(probe.url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    body = await response.text();
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError')
      return { ok: false, detail: `no answer within ${timeoutMs} ms` };
    // fetch's own message is only "fetch failed"; the reason (ECONNREFUSED, …) is its cause.
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { ok: false, detail: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
  const wanted = probe.status ?? 200;
  if (response.status !== wanted) {
    return { ok: false, detail: `status ${response.status}, expected ${wanted}: ${clip(body)}` };
  }
  if (probe.bodyIncludes !== undefined && !body.includes(probe.bodyIncludes)) {
    return {
      ok: false,
      detail: `status ${response.status} but the body lacks "${probe.bodyIncludes}": ${clip(body)}`,
    };
  }
  return { ok: true, detail: `status ${response.status}` };
}

function probeTcp(probe: Extract<Probe, { kind: 'tcp' }>): Promise<Verdict> {
  const timeoutMs = probe.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve) => {
    const socket = connect({ host: probe.host, port: probe.port });
    const finish = (verdict: Verdict): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(verdict);
    };
    const timer = setTimeout(
      () => finish({ ok: false, detail: `no connection within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.once('connect', () => finish({ ok: true, detail: 'connected' }));
    socket.once('error', (error) => finish({ ok: false, detail: error.message }));
  });
}

async function probeCommand(
  probe: Extract<Probe, { kind: 'command' }>,
  executor: Executor,
): Promise<Verdict> {
  const result = await executor.run(probe.argv, { timeoutMs: probe.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  const output = clip((result.stdout + result.stderr).trim());
  if (result.code !== 0) return { ok: false, detail: `exit ${result.code}${output ? `: ${output}` : ''}` };
  return { ok: true, detail: output ? `exit 0: ${output}` : 'exit 0' };
}

function clip(text: string): string {
  return text.length <= DETAIL_CHARS ? text : `${text.slice(0, DETAIL_CHARS)}…`;
}
