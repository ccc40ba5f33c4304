/** "7 h 58 min left", "12 min left", "less than a minute left"; undefined once the session ended. */
export function timeLeft(expiresAt: string | undefined, now: number): string | undefined {
  if (!expiresAt) return undefined;
  const minutes = Math.floor((Date.parse(expiresAt) - now) / 60_000);
  if (!Number.isFinite(minutes) || Date.parse(expiresAt) <= now) return undefined;
  if (minutes < 1) return 'less than a minute left';
  if (minutes < 60) return `${minutes} min left`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

export function hasEnded(expiresAt: string | undefined, now: number): boolean {
  return !!expiresAt && Date.parse(expiresAt) <= now;
}

/** "14:05" in the person's locale. */
export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
