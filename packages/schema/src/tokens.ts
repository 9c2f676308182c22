import type { ApiTokenRow, TokenScope } from '@grokscope/db';
import { GraphQLError } from 'graphql';
import { builder } from './builder.ts';
import type { Context } from './context.ts';
import { badUserInput, notFound } from './errors.ts';

const TokenScopeRef = builder.enumType('TokenScope', {
  description: 'What a token may do; each scope includes the ones above it.',
  values: {
    READ: { value: 'read', description: 'Queries and subscriptions.' },
    WRITE: { value: 'write', description: 'Also mutations (start, stop, edit runs).' },
    ADMIN: { value: 'admin', description: 'Also token management (tokens, createToken, revokeToken).' },
  } as const,
});

const ApiTokenRef = builder.objectRef<ApiTokenRow>('ApiToken').implement({
  description: 'An API token. Its secret is shown once, by createToken, and never stored (only its SHA-256).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Token id (UUID); revokeToken takes it.' }),
    name: t.exposeString('name', {
      description: 'Unique among active tokens; runs record it as their owner.',
    }),
    scope: t.field({
      type: TokenScopeRef,
      description: 'What the token may do.',
      resolve: (row) => row.scope,
    }),
    createdAt: t.field({
      type: 'DateTime',
      description: 'When it was created.',
      resolve: (row) => row.createdAt,
    }),
    lastUsedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Last request with it, to about a minute; null when never used.',
      resolve: (row) => row.lastUsedAt,
    }),
    revokedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was revoked; null while it is active.',
      resolve: (row) => row.revokedAt,
    }),
  }),
});

interface CreatedToken {
  token: ApiTokenRow;
  secret: string;
}

const CreateTokenPayloadRef = builder.objectRef<CreatedToken>('CreateTokenPayload').implement({
  description: 'A new token and its secret.',
  fields: (t) => ({
    token: t.field({ type: ApiTokenRef, description: 'The stored token.', resolve: (p) => p.token }),
    secret: t.exposeString('secret', {
      description: 'Send as `Authorization: Bearer <secret>`. Shown this once: only its hash is stored.',
    }),
  }),
});

const CreateTokenInputRef = builder.inputType('CreateTokenInput', {
  description: 'A token to create.',
  fields: (t) => ({
    name: t.string({
      required: true,
      description: '1 to 100 printable characters, unique among active tokens.',
    }),
    scope: t.field({ type: TokenScopeRef, required: true, description: 'What it may do.' }),
  }),
});

/** Token management needs an admin token (team mode) and is open to the loopback caller where none is needed. */
function requireAdmin(ctx: Context): void {
  if (ctx.tokens.mayAdminister(ctx.viewer)) return;
  const scope: TokenScope | undefined = ctx.viewer?.scope;
  throw new GraphQLError(
    `Token management needs a token with scope 'admin'${scope ? `; this token has '${scope}'` : ''}`,
    { extensions: { code: 'FORBIDDEN', neededScope: 'admin', http: { status: 403 } } },
  );
}

builder.queryFields((t) => ({
  tokens: t.field({
    type: [ApiTokenRef],
    description: 'Every API token, revoked ones included, newest first (admin scope).',
    resolve: async (_root, _args, ctx) => {
      requireAdmin(ctx);
      return ctx.tokens.list();
    },
  }),
}));

builder.mutationFields((t) => ({
  createToken: t.field({
    type: CreateTokenPayloadRef,
    description:
      'Creates an API token and returns its secret once (admin scope). Usable at once, on every instance.',
    args: { input: t.arg({ type: CreateTokenInputRef, required: true, description: 'Name and scope.' }) },
    resolve: async (_root, { input }, ctx) => {
      requireAdmin(ctx);
      const created = await ctx.tokens.create(input.name, input.scope);
      if (!created.ok) {
        throw badUserInput([{ path: created.error.field, message: created.error.message }], 'input');
      }
      return { token: created.token, secret: created.secret };
    },
  }),
  revokeToken: t.field({
    type: ApiTokenRef,
    description:
      'Revokes a token (admin scope; revoking twice keeps the first time). Requests with it fail at once and its ' +
      'open subscriptions end within seconds.',
    args: { id: t.arg.id({ required: true, description: 'Token id; an unknown one is a NOT_FOUND error.' }) },
    resolve: async (_root, args, ctx) => {
      requireAdmin(ctx);
      const row = await ctx.tokens.revoke(String(args.id));
      if (!row) throw notFound('token', String(args.id));
      return row;
    },
  }),
}));
