/** Keyboard selection in the list: ↑/↓ move one row and wrap around; an empty list has no selection (-1). */
export function moveSelection(current: number, delta: 1 | -1, length: number): number {
  if (length <= 0) return -1;
  if (current < 0 || current >= length) return delta === 1 ? 0 : length - 1;
  return (current + delta + length) % length;
}
