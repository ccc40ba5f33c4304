/** The Switchyard mark: a track that splits in two. Decorative; the heading next to it names the product. */
export function Logo() {
  return (
    <svg class="logo" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <rect width="24" height="24" rx="6" fill="currentColor" />
      <path d="M6 19V13C6 9 12 9 12 5M6 13C6 9 18 10 18 5" fill="none" stroke="var(--logo-track)" stroke-width="2.2" stroke-linecap="round" />
    </svg>
  );
}
