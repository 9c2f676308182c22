import type { TokenScope } from '@grokscope/db';

/** admin ⊇ write ⊇ read: a scope grants every scope at or below its rank. */
const RANK: Record<TokenScope, number> = { read: 0, write: 1, admin: 2 };

export function grants(have: TokenScope, need: TokenScope): boolean {
  return RANK[have] >= RANK[need];
}

/** Queries and subscriptions read; mutations write. */
export function scopeFor(operation: 'query' | 'mutation' | 'subscription'): TokenScope {
  return operation === 'mutation' ? 'write' : 'read';
}
