/**
 * Test helper: records everything this process writes to stdout and stderr (structured logs,
 * console.*) while still passing it through, so a test can search every log stream for secrets.
 */

export interface CapturedOutput {
  /** All text written since the capture started, both streams in order. */
  text(): string;
  restore(): void;
}

export function captureOutput(): CapturedOutput {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write.bind(stream));
  streams.forEach((stream, index) => {
    const original = originals[index]!;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
  });
  return {
    text: () => chunks.join(''),
    restore() {
      streams.forEach((stream, index) => {
        stream.write = originals[index]! as typeof stream.write;
      });
    },
  };
}
