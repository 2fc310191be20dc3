/** Output kept from one stream: a command may print gigabytes, a report needs the start and the end. */
export const OUTPUT_KEEP_BYTES = 1024 * 1024;

/**
 * Collects a stream's bytes, keeping the first and the last `keep` bytes when there are more and
 * saying how many were left out in between, so a runaway command cannot exhaust the controller's memory.
 */
export class OutputCapture {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private dropped = 0;

  constructor(private readonly keep = OUTPUT_KEEP_BYTES) {}

  push(chunk: Buffer): void {
    let rest = chunk;
    if (this.headBytes < this.keep) {
      const take = rest.subarray(0, this.keep - this.headBytes);
      this.head.push(take);
      this.headBytes += take.length;
      rest = rest.subarray(take.length);
    }
    if (rest.length === 0) return;
    this.tail.push(rest);
    this.tailBytes += rest.length;
    this.trimTail();
  }

  /** True when bytes were left out. */
  get truncated(): boolean {
    return this.dropped > 0;
  }

  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    if (this.dropped === 0) return head + tail;
    return `${head}\n[patchcast: ${this.dropped} bytes of output left out]\n${tail}`;
  }

  private trimTail(): void {
    while (this.tailBytes > this.keep) {
      const first = this.tail[0];
      if (first === undefined) return;
      const excess = this.tailBytes - this.keep;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
        this.dropped += excess;
      }
    }
  }
}
