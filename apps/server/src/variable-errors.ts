import { type ExecutionArgs, GraphQLError, getOperationAST, getVariableValues } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Variables that do not coerce (`$first: "ten"`, a missing required input field) are refused before execution
 * with BAD_USER_INPUT and the variable's path, as the same mistake written inline is; graphql-js would return
 * them without a code.
 */
function variableErrors(args: ExecutionArgs): GraphQLError[] | undefined {
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation?.variableDefinitions?.length) return undefined;
  const coerced = getVariableValues(
    args.schema,
    operation.variableDefinitions,
    (args.variableValues ?? {}) as Record<string, unknown>,
    { maxErrors: 20 },
  );
  return coerced.errors?.map(
    (error) =>
      new GraphQLError(error.message, {
        nodes: error.nodes ?? null,
        extensions: { ...error.extensions, code: 'BAD_USER_INPUT', http: { status: 200 } },
      }),
  );
}

export function variableErrorsPlugin(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const errors = variableErrors(args);
      if (errors) setResultAndStopExecution({ errors });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const errors = variableErrors(args);
      if (errors) setResultAndStopExecution({ errors });
    },
  };
}
