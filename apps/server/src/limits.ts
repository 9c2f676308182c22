import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { costPlugin } from './cost.ts';
import { variableErrorsPlugin } from './variable-errors.ts';

/**
 * What one request may ask of the server. Sized so the dashboard's heaviest query (a runs page of 100 with every
 * row field) passes with room to spare while abusive documents are refused before they execute.
 */
export const REQUEST_LIMITS = {
  /**
   * HTTP request bodies and WebSocket messages; a run config is a few hundred bytes, but analyseModel carries a
   * checkpoint in base64: a released Clock/Pizza model is 0.85 MB, 1.14 MB as base64.
   */
  maxBodyBytes: 4 * 1024 * 1024,
  /** Field nesting; the deepest useful selection (runs → edges → node → config → analysis → verdict → x) is 7. */
  maxDepth: 10,
  /** Nesting under `__schema`/`__type`: the standard introspection query (GraphiQL's) needs about 22. */
  maxIntrospectionDepth: 25,
  maxAliases: 30,
  maxDirectives: 20,
  /** Lexer tokens of the document: bounds parse time whatever the body limit lets through. */
  maxTokens: 3000,
  /**
   * cost.ts: every selected field costs 1, and a list field's selection is multiplied by the most items it can
   * return for the request's arguments and variables (runs' clamped `first`, names × maxPoints of series, …).
   * The dashboard's run page (22 scalars at 2000 points) costs about 250 000, a 50-run × 10-measure comparison
   * at 600 points about 2.7 million; 30 aliases of 6 measures at 20 000 points with steps and values (about
   * 10 MiB of JSON) cost 10.8 million.
   */
  maxCost: 10_000_000,
} as const;

/**
 * The code each limit's refusal carries; scripts branch on these, never on the message. Like every error found
 * before execution, the HTTP status is yoga's: 200 for `Accept: application/json`, 400 for
 * `application/graphql-response+json`.
 */
export const LIMIT_CODES = {
  depth: 'DEPTH_LIMIT_EXCEEDED',
  aliases: 'ALIAS_LIMIT_EXCEEDED',
  directives: 'DIRECTIVE_LIMIT_EXCEEDED',
  tokens: 'TOKEN_LIMIT_EXCEEDED',
  cost: 'COST_LIMIT_EXCEEDED',
} as const;

export function limitError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/**
 * graphql-armor reports a violation as "Syntax Error: …" without a code. Its rejection hook gets the validation
 * context (null while parsing): the error is reported there with a code, or thrown from the parser.
 */
function reject(code: string) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const refused = limitError(code, error.message.replace(/^Syntax Error: /, ''));
        if (context) context.reportError(refused);
        else throw refused;
      },
    ],
  };
}

/**
 * graphql-armor's envelop plugins (depth, aliases, directives, tokens) and the cost limit. They hook parse,
 * validate and execute, so they guard HTTP, SSE and graphql-ws alike (the WebSocket server executes through
 * yoga's envelop).
 */
export function requestLimitPlugins(): Plugin[] {
  return [
    maxTokensPlugin({ n: REQUEST_LIMITS.maxTokens, ...reject(LIMIT_CODES.tokens) }),
    maxDepthPlugin({ n: REQUEST_LIMITS.maxDepth, ...reject(LIMIT_CODES.depth) }),
    // graphql-armor skips introspection by default: a second pass bounds it too, at the depth it needs.
    maxDepthPlugin({
      n: REQUEST_LIMITS.maxIntrospectionDepth,
      ignoreIntrospection: false,
      ...reject(LIMIT_CODES.depth),
    }),
    maxAliasesPlugin({ n: REQUEST_LIMITS.maxAliases, ...reject(LIMIT_CODES.aliases) }),
    maxDirectivesPlugin({ n: REQUEST_LIMITS.maxDirectives, ...reject(LIMIT_CODES.directives) }),
    // Before the cost limit, which can only count an operation whose variables coerce.
    variableErrorsPlugin(),
    costPlugin(REQUEST_LIMITS.maxCost, (message) => limitError(LIMIT_CODES.cost, message)),
  ];
}
