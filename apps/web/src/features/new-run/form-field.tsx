import type { FieldSpec } from './form-fields.ts';
import styles from './new-run-form.module.css';
import type { FieldHint } from './schema-hints.ts';

export interface FormFieldProps {
  spec: FieldSpec;
  value: string;
  hint: FieldHint;
  error: string | null;
  placeholder?: string;
  onChange: (value: string) => void;
}

/** One labelled input with its range, description and error, tied together for screen readers. */
export function FormField({ spec, value, hint, error, placeholder, onChange }: FormFieldProps) {
  const id = `field-${spec.key}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = error ? `${errorId} ${hintId}` : hintId;
  return (
    <div className={styles.field} data-field={spec.key} data-invalid={error !== null}>
      <label htmlFor={id} className={styles.label}>
        {spec.label}
        {hint.range && <span className={styles.range}>{hint.range}</span>}
      </label>
      {spec.kind === 'enum' ? (
        <select
          id={id}
          name={spec.key}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={describedBy}
          aria-invalid={error !== null}
          className={styles.input}
        >
          {hint.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      ) : (
        <div className={styles.inputWrap}>
          <input
            id={id}
            name={spec.key}
            type="text"
            inputMode={spec.kind === 'int' ? 'numeric' : spec.kind === 'float' ? 'decimal' : 'text'}
            autoComplete="off"
            spellCheck={false}
            value={value}
            placeholder={placeholder}
            onChange={(e) => onChange(e.target.value)}
            aria-describedby={describedBy}
            aria-invalid={error !== null}
            className={styles.input}
          />
          {spec.unit && <span className={styles.unit}>{spec.unit}</span>}
        </div>
      )}
      <div id={errorId} className={styles.error} aria-live="polite" data-testid={`error-${spec.key}`}>
        {error}
      </div>
      <div id={hintId} className={styles.hint}>
        {hint.description}
      </div>
    </div>
  );
}
