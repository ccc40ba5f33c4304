/** Said above the list when the browser holds as many console sessions as the AWS console allows (open-sessions.tsx). */
export function SessionsFullNotice() {
  return (
    <p class="message warning sessions-full" role="status">
      Five console sessions are open, as many as the AWS console allows. Sign out of one in the console before opening another account.
    </p>
  );
}
