'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { type FieldIssue, userInputIssues } from '../../graphql/user-input-issues.ts';
import { formatInt } from '../../ui/format.ts';
import { taskLabel } from '../../ui/task-label.ts';
import { FormField } from './form-field.tsx';
import {
  activeKeys,
  FIELDS,
  type FieldKey,
  fieldByKey,
  fieldGroups,
  MODEL_KIND_DESCRIPTION,
} from './form-fields.ts';
import { type FormValues, formModelKind, parseForm, valuesFromConfig } from './form-values.ts';
import styles from './new-run-form.module.css';
import { NewRunFormQuery, StartRunMutation } from './queries.ts';
import { runSize } from './run-size.ts';
import { type FieldHint, fieldHint } from './schema-hints.ts';

import { useConfigValidation } from './use-config-validation.ts';

const KNOWN_BACKENDS = ['wasm', 'cpu', 'webgpu', 'tensorflow'];
const EMPTY_HINT: FieldHint = {
  description: null,
  range: null,
  integer: false,
  options: [],
  defaultValue: null,
};

/** Loads defaults and the schema, then renders the form; the form itself starts from those defaults. */
export function NewRunForm() {
  const [{ data, error }] = useQuery({ query: NewRunFormQuery });
  if (error) {
    return (
      <p role="alert" className={styles.formError}>
        Could not load the run configuration: {error.message}
      </p>
    );
  }
  if (!data) return <p className={styles.loading}>Loading defaults…</p>;
  const schemaDefaults = Object.fromEntries(
    FIELDS.flatMap((f) => {
      const value = fieldHint(data.runConfigJsonSchema, f.path).defaultValue;
      return value === null ? [] : [[f.key, value]];
    }),
  );
  return (
    <LoadedForm
      initial={valuesFromConfig(data.defaultRunConfig, schemaDefaults)}
      schema={data.runConfigJsonSchema}
    />
  );
}

function LoadedForm({ initial, schema }: { initial: FormValues; schema: unknown }) {
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const [submitIssues, setSubmitIssues] = useState<FieldIssue[]>([]);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [{ fetching: submitting }, startRun] = useMutation(StartRunMutation);

  const parsed = useMemo(() => parseForm(values), [values]);
  const validation = useConfigValidation(parsed.config);
  const hints = useMemo(
    () =>
      new Map(
        FIELDS.map((f) => {
          const hint = fieldHint(schema, f.path);
          const options = f.options ?? (hint.options.length > 0 ? hint.options : KNOWN_BACKENDS);
          return [f.key, f.kind === 'enum' ? { ...hint, options: [...options] } : hint];
        }),
      ),
    [schema],
  );

  // Local parse errors win over server issues for the same field: they explain why the value was not sent.
  const errors = new Map<string, string>();
  for (const issue of [...validation.issues, ...submitIssues]) {
    if (!errors.has(issue.path)) errors.set(issue.path, issue.message);
  }
  for (const [path, message] of parsed.localErrors) errors.set(path, message);
  const kind = formModelKind(values);
  const active = activeKeys(kind);
  const hintFor = (key: FieldKey): FieldHint => {
    const hint = hints.get(key) ?? EMPTY_HINT;
    return key === 'modelKind' ? { ...hint, description: MODEL_KIND_DESCRIPTION[kind] } : hint;
  };
  const fieldPaths = new Set(FIELDS.filter((f) => active.has(f.key)).map((f) => f.path));
  const otherErrors = [...errors].filter(([path]) => !fieldPaths.has(path));

  const invalid = errors.size > 0;
  const canSubmit = !invalid && !validation.pending && !submitting && validation.failure === null;

  const setField = (key: keyof FormValues, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    setSubmitIssues([]);
    setSubmitError(null);
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSubmit) return;
    const input = { config: parsed.config, ...(parsed.name !== null && { name: parsed.name }) };
    const result = await startRun({ input });
    const run = result.data?.startRun;
    if (run) {
      router.push(`/runs/${run.id}`);
      return;
    }
    const issues = userInputIssues(result.error);
    setSubmitIssues(issues);
    setSubmitError(
      issues.length === 0 ? (result.error?.message ?? 'The server did not start the run.') : null,
    );
  };

  const size = runSize(
    Number(values.p) || 0,
    Number(values.trainFraction) || 0,
    Number(values.embedDim) || 0,
    Number(values.hiddenDim) || 0,
  );
  const status = submitting
    ? 'Starting…'
    : validation.failure
      ? 'Cannot check the config: server unreachable'
      : validation.pending
        ? 'Checking…'
        : invalid
          ? `${errors.size} field${errors.size === 1 ? '' : 's'} to fix`
          : 'Config is valid';

  return (
    <form className={styles.layout} onSubmit={onSubmit} noValidate data-testid="new-run-form">
      <div className={styles.groups}>
        {fieldGroups(kind).map((group) => (
          <fieldset key={group.title} className={styles.group}>
            <legend>{group.title}</legend>
            <div className={styles.grid}>
              {group.keys.map((key) => {
                const spec = fieldByKey(key);
                return (
                  <FormField
                    key={key}
                    spec={spec}
                    value={values[key]}
                    hint={hintFor(key)}
                    error={errors.get(spec.path) ?? null}
                    placeholder={
                      key === 'name' ? `auto: ${kind.toLowerCase()}-p${values.p}-s${values.seed}` : ''
                    }
                    onChange={(value) => setField(key, value)}
                  />
                );
              })}
            </div>
          </fieldset>
        ))}
      </div>
      <aside className={styles.summary} aria-label="Run summary">
        <h2>Summary</h2>
        <dl className={styles.facts}>
          <dt>Task</dt>
          <dd className="mono">{taskLabel(values.operation, values.p || '?')}</dd>
          <dt>Pairs (train / test)</dt>
          <dd className="num">
            {formatInt(size.trainPairs)} / {formatInt(size.testPairs)}
          </dd>
          <dt>Fourier frequencies</dt>
          <dd className="num">{size.frequencies}</dd>
          {kind === 'MLP' && (
            <>
              <dt>Parameters</dt>
              <dd className="num">{formatInt(size.parameters)}</dd>
            </>
          )}
          {kind === 'RFM' ? (
            <>
              <dt>Feature matrix</dt>
              <dd className="num">
                {2 * (Number(values.p) || 0)} × {2 * (Number(values.p) || 0)}
              </dd>
              <dt>Solver</dt>
              <dd className="mono">
                {values.kernel} · {values.iterations} iterations
              </dd>
            </>
          ) : (
            <>
              <dt>Optimiser</dt>
              <dd className="mono">
                AdamW lr={values.lr} wd={values.weightDecay}
              </dd>
            </>
          )}
        </dl>
        {otherErrors.length > 0 && (
          <ul className={styles.formError} role="alert">
            {otherErrors.map(([path, message]) => (
              <li key={path}>
                <code>{path || 'config'}</code>: {message}
              </li>
            ))}
          </ul>
        )}
        {submitError && (
          <p className={styles.formError} role="alert">
            {submitError}
          </p>
        )}
        <p className={styles.status} data-state={invalid ? 'invalid' : 'ok'} aria-live="polite">
          {status}
        </p>
        <button
          type="submit"
          className={`button ${styles.submit}`}
          data-variant="primary"
          disabled={!canSubmit}
        >
          Start run
        </button>
      </aside>
    </form>
  );
}
