/** A problem the user should read: a failed call, a failed run. Codes stay visible for bug reports. */
export function ErrorNote({ error, title }: { error: { code?: string; message: string }; title?: string }) {
  return (
    <div className="error-note" role="alert">
      {title && <strong>{title}: </strong>}
      {error.message}
      {error.code && <span className="error-code"> [{error.code}]</span>}
    </div>
  );
}

export function errorOf(thrown: unknown): { code?: string; message: string } {
  if (thrown && typeof thrown === 'object' && 'message' in thrown) {
    const { code, message } = thrown as { code?: unknown; message: unknown };
    return { ...(typeof code === 'string' ? { code } : {}), message: String(message) };
  }
  return { message: String(thrown) };
}
