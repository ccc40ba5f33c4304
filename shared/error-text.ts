/**
 * How an error is put into words: the one place that turns a thrown value into text.
 *
 * - `errorText`: "Name: message" (just the message for a plain `Error`), first line only. For errors
 *   whose message is ours or AWS's and quotes no secret.
 * - `errorName`: the error's name only (for an AWS SDK error, AWS's error code), with the attempts it
 *   took after retries. For errors whose message may quote input: a password, a token, a request body.
 */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const message = firstLine(error.message);
    if (!error.name || error.name === 'Error') return message;
    return message ? `${error.name}: ${message}` : error.name;
  }
  return typeof error === 'string' ? firstLine(error) : 'unknown error';
}

export function errorName(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const attempts = (error as { $metadata?: { attempts?: number } }).$metadata?.attempts;
  return attempts !== undefined && attempts > 1 ? `${error.name}, after ${attempts} attempts` : error.name;
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}
