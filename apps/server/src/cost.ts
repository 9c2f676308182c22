import { LIST_SIZE_EXTENSION, type ListSize } from '@grokscope/schema';
import {
  type ExecutionArgs,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * What an operation may cost, counted at execution with its variables: each selected field costs 1, and a list
 * field's selection is multiplied by the most items it returns for those arguments, as the field declares it
 * (`extensions.listSize`, next to the caps its resolver applies). A literal `first: 10000` and `first: $n` cost
 * the same, and the clamped value is what counts.
 */
export function operationCost(args: ExecutionArgs): number | undefined {
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation) return undefined;
  const coerced = getVariableValues(
    args.schema,
    operation.variableDefinitions ?? [],
    (args.variableValues ?? {}) as Record<string, unknown>,
  );
  // Bad variables: execution refuses them with its own error.
  if (coerced.errors) return undefined;
  const root = args.schema.getRootType(operation.operation);
  if (!root) return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of args.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const walker = new CostWalker(args.schema, fragments, coerced.coerced);
  return walker.selectionCost(operation.selectionSet, root, new Set());
}

class CostWalker {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
  ) {}

  selectionCost(set: SelectionSetNode, parent: GraphQLCompositeType, spread: ReadonlySet<string>): number {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) total += this.fieldCost(selection, parent, spread);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? this.schema.getType(selection.typeCondition.name.value)
          : parent;
        if (type && isCompositeType(type)) total += this.selectionCost(selection.selectionSet, type, spread);
      } else {
        // Validation has refused fragment cycles; the set guards this walk all the same.
        const name = selection.name.value;
        const fragment = this.fragments.get(name);
        const type = fragment && this.schema.getType(fragment.typeCondition.name.value);
        if (!fragment || spread.has(name) || !type || !isCompositeType(type)) continue;
        total += this.selectionCost(fragment.selectionSet, type, new Set([...spread, name]));
      }
    }
    return total;
  }

  private fieldCost(node: FieldNode, parent: GraphQLCompositeType, spread: ReadonlySet<string>): number {
    const field =
      isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[node.name.value] : undefined;
    // __typename, and __schema/__type (whose nesting has its own depth limit).
    if (!field) return 1;
    const size = this.listSize(field, node);
    if (!node.selectionSet) return size;
    const type = getNamedType(field.type);
    if (!isCompositeType(type)) return size;
    return size * (1 + this.selectionCost(node.selectionSet, type, spread));
  }

  private listSize(field: GraphQLField<unknown, unknown>, node: FieldNode): number {
    const listSize = field.extensions[LIST_SIZE_EXTENSION] as ListSize | undefined;
    if (typeof listSize !== 'function') return 1;
    try {
      return Math.max(1, listSize(getArgumentValues(field, node, this.variables)));
    } catch {
      return 1; // arguments execution will refuse
    }
  }
}

/** Refuses an operation over `maxCost` before it executes, over every transport (yoga's envelop). */
export function costPlugin(maxCost: number, toError: (message: string) => GraphQLError): Plugin {
  const refusal = (args: ExecutionArgs) => {
    const cost = operationCost(args);
    if (cost === undefined || cost <= maxCost) return undefined;
    return toError(
      `Operation cost ${Math.round(cost)} exceeds the limit of ${maxCost}: ask for fewer names, fewer points ` +
        '(maxPoints), smaller pages (first) or fewer aliases; seriesPage reads every point in pages',
    );
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = refusal(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = refusal(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
