import type { RunRow } from '@grokscope/db';
import { type CheckpointAnalysis, CheckpointError } from '@grokscope/trainer';
import { builder } from './builder.ts';
import { badUserInput } from './errors.ts';
import { RunRef, runNameError } from './run.ts';
import { finiteOrNull, NonFiniteKind, nonFiniteOf } from './scalars.ts';
import { storeAnalysis } from './store-analysis.ts';

interface AnalysedMeasure {
  id: string;
  value: number | number[];
}

interface AnalysisPayload {
  analysis: CheckpointAnalysis;
  run: RunRow | null;
}

const AnalysedMeasureRef = builder.objectRef<AnalysedMeasure>('AnalysedMeasure').implement({
  description:
    'One measure of an analysed checkpoint: a scalar in `value`, a per-frequency (or other) vector in `values`.',
  fields: (t) => ({
    id: t.exposeString('id', {
      description: 'Measure id (`Query.measures`), or accuracy, loss, parameter_norm.',
    }),
    value: t.float({
      nullable: true,
      description: 'The scalar; null for vectors and for NaN/±Infinity (then see nonFinite).',
      resolve: (m) => (Array.isArray(m.value) ? null : finiteOrNull(m.value)),
    }),
    nonFinite: t.field({
      type: NonFiniteKind,
      nullable: true,
      description: 'Which non-finite value `value` stands for, when it is null for a scalar.',
      resolve: (m) => (Array.isArray(m.value) ? null : nonFiniteOf(m.value)),
    }),
    values: t.floatList({
      nullable: { list: true, items: true },
      description:
        'The vector (k = 1..K for per-frequency measures); null for scalars; NaN/±Infinity as null.',
      resolve: (m) => (Array.isArray(m.value) ? m.value.map(finiteOrNull) : null),
    }),
  }),
});

const ModelArchitectureRef = builder
  .objectRef<CheckpointAnalysis['architecture'] & { equalsToken: boolean }>('ModelArchitecture')
  .implement({
    description: 'The one-layer transformer the checkpoint was read as.',
    fields: (t) => ({
      dModel: t.exposeInt('dModel', { description: 'Residual stream width.' }),
      heads: t.exposeInt('heads', { description: 'Attention heads.' }),
      dHead: t.exposeInt('dHead', {
        description: 'Head size (Clock/Pizza: dModel // 4, so W_O may not be square).',
      }),
      dMlp: t.exposeInt('dMlp', { description: 'MLP width.' }),
      activation: t.exposeString('activation', { description: '`relu` or `gelu`.' }),
      alpha: t.exposeFloat('alpha', { description: 'Attention rate α.' }),
      separateBTokens: t.boolean({
        description: 'Operand b has tokens of its own.',
        resolve: (a) => a.bOffset > 0,
      }),
      equalsToken: t.exposeBoolean('equalsToken', { description: "Inputs a, b, '=' (three positions)." }),
    }),
  });

const ModelAnalysisRef = builder.objectRef<AnalysisPayload>('ModelAnalysis').implement({
  description: 'The measures of a released checkpoint over all p² pairs (`grokscope analyse`).',
  fields: (t) => ({
    format: t.string({
      description: '`pytorch`, `safetensors` or `json`.',
      resolve: (p) => p.analysis.format,
    }),
    layout: t.string({
      description: '`clock-pizza` (a, b) or `progress-measures` (a, b, =).',
      resolve: (p) => p.analysis.layout,
    }),
    notes: t.stringList({ description: 'What the loader had to decide.', resolve: (p) => p.analysis.notes }),
    p: t.int({ description: 'The modulus.', resolve: (p) => p.analysis.config.p }),
    architecture: t.field({
      type: ModelArchitectureRef,
      description: 'The transformer it was read as.',
      resolve: (p) => ({
        ...p.analysis.architecture,
        equalsToken: p.analysis.config.model.kind === 'TRANSFORMER' && p.analysis.config.model.equalsToken,
      }),
    }),
    measures: t.field({
      type: [AnalysedMeasureRef],
      description: 'accuracy, loss, parameter_norm, then every parameter measure, in registry order.',
      resolve: (p) => Object.entries(p.analysis.measures).map(([id, value]) => ({ id, value })),
    }),
    run: t.field({
      type: RunRef,
      nullable: true,
      description: 'The stored one-step run (tag `imported`) when `store` was true.',
      resolve: (p) => p.run,
    }),
  }),
});

const AnalyseModelInputRef = builder.inputType('AnalyseModelInput', {
  description: 'A checkpoint file and, where its weights do not say everything, the release config.',
  fields: (t) => ({
    fileBase64: t.string({
      required: true,
      description:
        'The file, base64: a PyTorch torch.save zip (state dict), safetensors, or a grokscope JSON checkpoint.',
    }),
    config: t.field({
      type: 'JSON',
      description:
        "The release's config (Clock/Pizza config_<run>.json: C, attn_coeff, act_fn, n_layers, …).",
    }),
    store: t.boolean({ defaultValue: false, description: 'Also store the result as a one-step run.' }),
    name: t.string({ description: 'Stored run name (default `imported-<layout>-p<p>`).' }),
    tags: t.stringList({ description: 'Tags of the stored run (`imported` is always added).' }),
  }),
});

/** Base64 alphabet (standard or URL-safe), padding optional: Buffer.from would skip anything else silently. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

builder.mutationFields((t) => ({
  analyseModel: t.field({
    type: ModelAnalysisRef,
    description:
      'Reads a released checkpoint (Clock/Pizza or progress-measures layout), computes its measures and optionally ' +
      'stores them as a one-step run. A model grokscope cannot represent is refused (BAD_USER_INPUT naming why).',
    args: {
      input: t.arg({ type: AnalyseModelInputRef, required: true, description: 'File, config, storing.' }),
    },
    resolve: async (_root, { input }, ctx): Promise<AnalysisPayload> => {
      const text = input.fileBase64.replace(/\s+/g, '');
      if (text.length === 0 || !BASE64.test(text))
        throw badUserInput([{ path: 'input.fileBase64', message: 'is not base64' }]);
      const name = input.name?.trim();
      const nameError = runNameError(name, 'input.name');
      if (nameError) throw badUserInput([nameError]);
      let analysis: CheckpointAnalysis;
      try {
        analysis = await ctx.checkpoints.analyse(Buffer.from(text, 'base64'), input.config ?? undefined);
      } catch (error) {
        if (error instanceof CheckpointError)
          throw badUserInput([
            {
              path: error.code === 'MISSING_CONFIG' ? 'input.config' : 'input.fileBase64',
              message: error.message,
            },
          ]);
        throw error;
      }
      const run = input.store
        ? await storeAnalysis(ctx.db, analysis, {
            name: name ?? `imported-${analysis.layout}-p${analysis.config.p}`,
            tags: input.tags ?? [],
            owner: ctx.viewer?.name ?? null,
          })
        : null;
      return { analysis, run };
    },
  }),
}));
