/** How a failed AWS call is named in messages: AWS's error code and, after retries, how many attempts it took. Never its message, which may quote input. */
export function describeAwsError(error: unknown): { code: string; text: string } {
  const code = error instanceof Error ? error.name : 'unknown error';
  const attempts = (error as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts;
  return { code, text: attempts !== undefined && attempts > 1 ? `${code}, after ${attempts} attempts` : code };
}
