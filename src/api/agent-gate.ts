/**
 * Agents' requests (`Bearer pca_…`) take one of a few slots per process before they touch the store
 * and give it back when their answer is sent or their connection closes; the others wait in order.
 * Without it, a reconnect storm (every agent at once, bench/agents.ts) queued thousands of queries in
 * the PostgreSQL pool (10 connections), whose 5 s wait limit then failed most of them with a 500, and
 * left no connection for people's requests. With it, agents wait their turn here, without a limit,
 * and the pool keeps connections free for everyone else.
 */
export interface Gate {
  /** Resolves with a release function (idempotent) once a slot is free. */
  acquire(): Promise<() => void>;
  /** Requests holding a slot, and waiting for one. */
  readonly running: number;
  readonly waiting: number;
}

export function makeGate(slots: number): Gate {
  let running = 0;
  const queue: Array<() => void> = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else running--;
  };
  return {
    acquire() {
      const once = () => {
        let done = false;
        return () => {
          if (done) return;
          done = true;
          release();
        };
      };
      if (running < slots) {
        running++;
        return Promise.resolve(once());
      }
      // The slot passes straight from the releasing request to the next in line.
      return new Promise((resolve) => queue.push(() => resolve(once())));
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
  };
}

/** Agent slots per process: fewer than the PostgreSQL pool's 10 connections, so two stay free. */
export const AGENT_SLOTS = 8;

/** What a slot watches of the answer: its end ('finish') or its connection's ('close'). */
export interface AnswerEnd {
  once(event: 'finish' | 'close', listener: () => void): unknown;
  readonly destroyed: boolean;
}

/**
 * One agent request's slot. A long poll (`POST /api/v1/agent/lease {wait}`) spends most of its life
 * waiting for a job, using no store connection; holding the slot meanwhile would let 8 waiting agents
 * shut every other agent of the process out, so it gives the slot back for the wait.
 */
export interface AgentSlot {
  /** Runs `wait` without the slot, then queues for a slot again before handing back its result. */
  whileWaiting<T>(wait: () => Promise<T>): Promise<T>;
}

/** Takes a slot for an agent's request; it is given back when the answer ends (sent, or its connection closed). */
export async function takeAgentSlot(gate: Gate, answer: AnswerEnd, gone = false): Promise<AgentSlot> {
  let release = await gate.acquire();
  let ended = false;
  const end = () => {
    ended = true;
    release();
  };
  answer.once('finish', end);
  answer.once('close', end);
  // The client may have gone while it waited: its 'close' has passed, so give the slot back now.
  if (gone || answer.destroyed) end();
  return {
    async whileWaiting(wait) {
      release();
      try {
        return await wait();
      } finally {
        if (!ended) {
          const next = await gate.acquire();
          // The answer may have ended while this queued: then the new slot goes straight back.
          if (ended) next();
          else release = next;
        }
      }
    },
  };
}
