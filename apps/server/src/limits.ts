import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';

/**
 * What one request may ask of the server. Sized so the dashboard's heaviest query (a runs page of 100 with every
 * row field) passes with room to spare while abusive documents are refused before they execute.
 */
export const REQUEST_LIMITS = {
  /** HTTP request bodies and WebSocket messages; a run config is a few hundred bytes. */
  maxBodyBytes: 1024 * 1024,
  /** Field nesting; the deepest useful selection (runs → edges → node → config → analysis → verdict → x) is 7. */
  maxDepth: 10,
  maxAliases: 30,
  maxDirectives: 20,
  /** Lexer tokens of the document: bounds parse time whatever the body limit lets through. */
  maxTokens: 3000,
  /** graphql-armor's cost: objects 2, scalars 1, × 1.5 per level, × a literal `first`. */
  maxCost: 25_000,
} as const;

/**
 * graphql-armor's envelop plugins (depth, aliases, directives, tokens, cost). They hook parse and validate, so
 * they guard HTTP, SSE and graphql-ws alike (the WebSocket server executes through yoga's envelop).
 */
export function requestLimitPlugins() {
  return [
    maxTokensPlugin({ n: REQUEST_LIMITS.maxTokens }),
    maxDepthPlugin({ n: REQUEST_LIMITS.maxDepth }),
    maxAliasesPlugin({ n: REQUEST_LIMITS.maxAliases }),
    maxDirectivesPlugin({ n: REQUEST_LIMITS.maxDirectives }),
    costLimitPlugin({ maxCost: REQUEST_LIMITS.maxCost }),
  ];
}
