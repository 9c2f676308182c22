'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, Fragment, useMemo, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { type FieldIssue, userInputIssues } from '../../graphql/user-input-issues.ts';
import { formatInt } from '../../ui/format.ts';
import { taskLabel } from '../../ui/task-label.ts';
import { displayItems } from '../model-kinds/display.ts';
import type { ModelKindInfo } from '../model-kinds/queries.ts';
import { useModelKinds } from '../model-kinds/use-model-kinds.ts';
import { FormField } from './form-field.tsx';
import { activeFields, type FieldSpec, fieldGroups, MODEL_KIND_KEY, NAME_KEY } from './form-fields.ts';
import { type FormValues, formModelKind, initialValues, parseForm } from './form-values.ts';
import styles from './new-run-form.module.css';
import { NewRunFormQuery, StartRunMutation, StartSweepMutation } from './queries.ts';
import { runSize } from './run-size.ts';
import { type FieldHint, fieldHint } from './schema-hints.ts';
import {
  axisFields,
  type PlacedSweepIssues,
  parseSweepDraft,
  placeSweepIssues,
  type SweepDraft,
} from './sweep-draft.ts';
import { SweepFields } from './sweep-fields.tsx';
import { useConfigValidation } from './use-config-validation.ts';

/** One run, or a sweep: the same fields as its base config, plus axes and seeds. */
export type FormMode = 'run' | 'sweep';
const NO_SWEEP_ISSUES: PlacedSweepIssues = { base: [], axes: new Map(), seeds: null, other: [] };

/** Loads the kinds, defaults and schema, then renders the form; the form itself starts from those defaults. */
export function NewRunForm({ initialMode = 'run' }: { initialMode?: FormMode }) {
  const [{ data, error }] = useQuery({ query: NewRunFormQuery });
  const { kinds, error: kindsError } = useModelKinds();
  const failure = error?.message ?? kindsError;
  if (failure) {
    return (
      <p role="alert" className={styles.formError}>
        Could not load the run configuration: {failure}
      </p>
    );
  }
  if (!data || !kinds) return <p className={styles.loading}>Loading defaults…</p>;
  return (
    <LoadedForm
      kinds={kinds.list}
      initial={initialValues(kinds.list, data.defaultRunConfig.model.kind)}
      schema={data.runConfigJsonSchema}
      initialMode={initialMode}
    />
  );
}

/** A field's hint: range from the JSON Schema, options and description from the registry's field. */
function hintFor(spec: FieldSpec, kind: ModelKindInfo, schema: unknown): FieldHint {
  const hint = fieldHint(schema, spec.path);
  if (spec.key === MODEL_KIND_KEY)
    return { ...hint, description: kind.description, options: [...spec.options] };
  const field = kind.fields.find((f) => f.path === spec.path);
  return { ...hint, description: field?.description ?? hint.description, options: [...spec.options] };
}

function LoadedForm({
  kinds,
  initial,
  schema,
  initialMode,
}: {
  kinds: readonly ModelKindInfo[];
  initial: FormValues;
  schema: unknown;
  initialMode: FormMode;
}) {
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const [submitIssues, setSubmitIssues] = useState<FieldIssue[]>([]);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [{ fetching: startingRun }, startRun] = useMutation(StartRunMutation);
  const [{ fetching: startingSweep }, startSweep] = useMutation(StartSweepMutation);
  const submitting = startingRun || startingSweep;
  const [mode, setMode] = useState<FormMode>(initialMode);
  const [sweep, setSweep] = useState<SweepDraft>(() => ({
    axes: initialMode === 'sweep' ? [firstAxis(initial, formModelKind(initial, kinds))] : [],
    seeds: '',
  }));
  const [sweepIssues, setSweepIssues] = useState<PlacedSweepIssues>(NO_SWEEP_ISSUES);

  const parsed = useMemo(() => parseForm(values, kinds), [values, kinds]);
  const validation = useConfigValidation(parsed.config);

  // Local parse errors win over server issues for the same field: they explain why the value was not sent.
  const errors = new Map<string, string>();
  const kind = formModelKind(values, kinds);
  const sweeping = mode === 'sweep';
  const parsedSweep = useMemo(() => parseSweepDraft(sweep, kind), [sweep, kind]);
  for (const issue of [...validation.issues, ...submitIssues, ...(sweeping ? sweepIssues.base : [])]) {
    if (!errors.has(issue.path)) errors.set(issue.path, issue.message);
  }
  for (const [path, message] of parsed.localErrors) errors.set(path, message);
  const fieldPaths = new Set(activeFields(kind, kinds).map((f) => f.path));
  const otherErrors = [...errors].filter(([path]) => !fieldPaths.has(path));
  if (sweeping) for (const issue of sweepIssues.other) otherErrors.push([issue.path, issue.message]);

  // Local parse errors of a row first (they explain why it was not sent), then the server's.
  const axisErrors = new Map<number, string>();
  const seedsError = sweeping ? (parsedSweep.localErrors.get('seeds') ?? sweepIssues.seeds) : null;
  if (sweeping) {
    for (const [path, message] of parsedSweep.localErrors) {
      const row = /^axes\.(\d+)\./.exec(path);
      if (row && !axisErrors.has(Number(row[1]))) axisErrors.set(Number(row[1]), message);
    }
    for (const [row, message] of sweepIssues.axes) if (!axisErrors.has(row)) axisErrors.set(row, message);
  }
  const sweptPaths = new Set(sweeping ? sweep.axes.map((a) => a.path) : []);
  const sweepProblems = sweeping
    ? axisErrors.size + (seedsError ? 1 : 0) + sweepIssues.other.length + (sweep.axes.length === 0 ? 1 : 0)
    : 0;

  const invalid = errors.size > 0 || sweepProblems > 0;
  const canSubmit = !invalid && !validation.pending && !submitting && validation.failure === null;

  const setField = (key: string, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    setSubmitIssues([]);
    setSweepIssues(NO_SWEEP_ISSUES);
    setSubmitError(null);
  };

  const changeSweep = (draft: SweepDraft) => {
    setSweep(draft);
    setSweepIssues(NO_SWEEP_ISSUES);
    setSubmitError(null);
  };

  const changeMode = (next: FormMode) => {
    setMode(next);
    setSubmitIssues([]);
    setSweepIssues(NO_SWEEP_ISSUES);
    setSubmitError(null);
    if (next === 'sweep' && sweep.axes.length === 0)
      setSweep((d) => ({ ...d, axes: [firstAxis(values, kind)] }));
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!canSubmit) return;
    if (sweeping) {
      const result = await startSweep({
        input: {
          base: parsed.config,
          axes: parsedSweep.axes,
          ...(parsedSweep.seeds !== null && { seeds: parsedSweep.seeds }),
          ...(parsed.name !== null && { name: parsed.name }),
        },
      });
      const started = result.data?.startSweep;
      if (started) {
        router.push(`/sweeps/${started.id}`);
        return;
      }
      const issues = userInputIssues(result.error);
      // `name` is the sweep's: it is a field of the form, not of the base config.
      setSweepIssues(placeSweepIssues(issues));
      setSubmitError(
        issues.length === 0 ? (result.error?.message ?? 'The server did not start the sweep.') : null,
      );
      return;
    }
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

  const size = runSize(Number(values.p) || 0, Number(values.trainFraction) || 0);
  const status = submitting
    ? 'Starting…'
    : validation.failure
      ? 'Cannot check the config: server unreachable'
      : validation.pending
        ? 'Checking…'
        : invalid
          ? `${errors.size + sweepProblems} field${errors.size + sweepProblems === 1 ? '' : 's'} to fix`
          : 'Config is valid';

  return (
    <form
      className={styles.layout}
      onSubmit={onSubmit}
      noValidate
      data-testid="new-run-form"
      data-mode={mode}
    >
      <div className={styles.groups}>
        <fieldset className={styles.modes}>
          <legend className="visually-hidden">Start</legend>
          {(['run', 'sweep'] as const).map((m) => (
            <label key={m}>
              <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => changeMode(m)} />
              {m === 'run' ? 'Single run' : 'Sweep'}
            </label>
          ))}
        </fieldset>
        {sweeping && (
          <SweepFields
            draft={sweep}
            fields={axisFields(kind)}
            axisErrors={axisErrors}
            seedsError={seedsError}
            onChange={changeSweep}
          />
        )}
        {fieldGroups(kind, kinds).map((group) => (
          <fieldset key={group.title} className={styles.group}>
            <legend>{group.title}</legend>
            <div className={styles.grid}>
              {group.fields.map((spec) => (
                <FormField
                  key={spec.key}
                  spec={spec}
                  value={values[spec.key] ?? ''}
                  hint={
                    sweeping && sweptPaths.has(spec.path)
                      ? {
                          ...hintFor(spec, kind, schema),
                          description: 'Swept: each run takes its value from the axis above.',
                        }
                      : hintFor(spec, kind, schema)
                  }
                  error={errors.get(spec.path) ?? null}
                  placeholder={
                    spec.key === NAME_KEY
                      ? sweeping
                        ? 'auto: the axis paths'
                        : `auto: ${kind.kind.toLowerCase()}-p${values.p ?? ''}-s${values.seed ?? ''}`
                      : ''
                  }
                  onChange={(value) => setField(spec.key, value)}
                />
              ))}
            </div>
          </fieldset>
        ))}
      </div>
      <aside className={styles.summary} aria-label="Run summary">
        <h2>{sweeping ? 'Sweep' : 'Summary'}</h2>
        <dl className={styles.facts}>
          {sweeping && (
            <>
              <dt>Runs</dt>
              <dd className={`num ${styles.runCount}`} data-testid="sweep-run-count">
                {formatInt(parsedSweep.runCount)}
              </dd>
              <dt>Axes × seeds</dt>
              <dd className="num">
                {parsedSweep.axes.map((a) => a.values.length).join(' × ') || '—'} ×{' '}
                {parsedSweep.seeds?.length ?? 1}
              </dd>
            </>
          )}
          <dt>Task</dt>
          <dd className="mono">{taskLabel(values.operation ?? '', values.p || '?')}</dd>
          <dt>Pairs (train / test)</dt>
          <dd className="num">
            {formatInt(size.trainPairs)} / {formatInt(size.testPairs)}
          </dd>
          <dt>Fourier frequencies</dt>
          <dd className="num">{size.frequencies}</dd>
          {displayItems(kind.chips, parsed.config)
            // Chips of settings the form does not edit (β1, β2) have no value here: the run page shows them.
            .filter((chip) => chip.value !== '—')
            .map((chip) => (
              <Fragment key={chip.label}>
                <dt>{chip.label}</dt>
                <dd className="mono">{chip.value}</dd>
              </Fragment>
            ))}
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
          {sweeping ? `Start sweep (${formatInt(parsedSweep.runCount)} runs)` : 'Start run'}
        </button>
      </aside>
    </form>
  );
}

/** A new sweep's first axis: the first field a sweep can vary, at the value the form holds. */
function firstAxis(values: FormValues, kind: ModelKindInfo): SweepDraft['axes'][number] {
  const field = axisFields(kind)[0];
  return { path: field?.path ?? '', values: field ? (values[field.key] ?? '') : '' };
}
