/** Text with the parts that match the search in <mark>. */
import type { Match } from './highlight.ts';

export function Highlight({ text, match }: { text: string; match: Match | undefined }) {
  const ranges = match ? match(text) : [];
  if (ranges.length === 0) return <>{text}</>;
  const parts = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push(text.slice(at, start));
    parts.push(<mark>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
