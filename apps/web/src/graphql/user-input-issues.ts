import type { CombinedError } from 'urql';
import { z } from 'zod';

export interface FieldIssue {
  path: string;
  message: string;
}

const issuesSchema = z.array(z.object({ path: z.string(), message: z.string() }));

/**
 * The `{ path, message }` issues of a BAD_USER_INPUT error, paths made relative to the run config (the server
 * prefixes them with the argument they came from, e.g. `input.config.p` or `config.p`). Empty when none.
 */
export function userInputIssues(error: CombinedError | undefined): FieldIssue[] {
  if (!error) return [];
  const issues: FieldIssue[] = [];
  for (const gqlError of error.graphQLErrors) {
    if (gqlError.extensions.code !== 'BAD_USER_INPUT') continue;
    const parsed = issuesSchema.safeParse(gqlError.extensions.issues);
    if (!parsed.success) continue;
    for (const issue of parsed.data)
      issues.push({ path: configRelativePath(issue.path), message: issue.message });
  }
  return issues;
}

/** `input.config.model.embedDim` → `model.embedDim`; `input.name` → `name`. */
export function configRelativePath(path: string): string {
  return path.replace(/^input\./, '').replace(/^config\./, '');
}
