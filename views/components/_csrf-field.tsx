/** The hidden field that carries a form's CSRF token (for plain, script-free submits). */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}
