import { useId, type ReactNode } from 'react';

/** A labelled control with its validation message tied to it for assistive tech. */
export function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const messageId = `${id}-message`;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), ...(error || hint ? { 'aria-describedby': messageId } : {}) })}
      {error ? (
        <span className="field-error" id={messageId}>
          {error}
        </span>
      ) : (
        hint && (
          <span className="field-hint" id={messageId}>
            {hint}
          </span>
        )
      )}
    </div>
  );
}
