/** The most output a step report carries (contract: StepReport.excerpt). */
export const EXCERPT_BYTES = 4096;

/**
 * A step's output cut to at most `limit` bytes of UTF-8: its head and its tail, which is where a
 * package manager says what it was doing and why it stopped, with a line saying how much was left out.
 */
export function makeExcerpt(text: string, limit = EXCERPT_BYTES): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return text;
  const marker = `\n… ${bytes.length} bytes, the middle left out …\n`;
  const room = limit - Buffer.byteLength(marker) - 6; // a cut inside a character decodes to one U+FFFD (3 bytes), at each end
  const head = Math.floor(room / 2);
  const tail = room - head;
  return (
    bytes.subarray(0, head).toString('utf8') + marker + bytes.subarray(bytes.length - tail).toString('utf8')
  );
}
