import { useId, type ReactNode } from 'react';
import './field.css';

/**
 * A labelled control with its validation message tied to it for assistive
 * tech; a warning (a valid value worth a second look, e.g. more threads than
 * cores) shows beside it without blocking anything.
 */
export function Field({
  label,
  error,
  hint,
  warning,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: string;
  warning?: string | undefined;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const messageId = `${id}-message`;
  const warningId = `${id}-warning`;
  const describedBy = [error || hint ? messageId : undefined, warning && !error ? warningId : undefined].filter(Boolean).join(' ');
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), ...(describedBy ? { 'aria-describedby': describedBy } : {}) })}
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
      {warning && !error && (
        <span className="field-warning" id={warningId} role="status">
          {warning}
        </span>
      )}
    </div>
  );
}
