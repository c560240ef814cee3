/**
 * The one walker of the formula IR: every place that needs "the sub-expressions of an expression"
 * (aggregates, fields read, roles, explain) asks here, so a new node kind is handled in one place.
 */
import type { Expr } from './ir.js';

/** The direct sub-expressions of a node, in the order they are written. */
export function childrenOf(expr: Expr): Expr[] {
  switch (expr.k) {
    case 'call':
      return expr.args;
    case 'exists':
      return [expr.pred];
    case 'agg':
      return [...(expr.value ? [expr.value] : []), ...(expr.pred ? [expr.pred] : [])];
    default:
      return [];
  }
}

/**
 * Visits `expr` and its sub-expressions depth first, in written order. `visit` returns false to skip a
 * node's children (e.g. to stop at aggregates).
 */
export function walk(expr: Expr, visit: (node: Expr) => boolean | undefined): void {
  if (visit(expr) === false) return;
  for (const child of childrenOf(expr)) walk(child, visit);
}

/** The conditions joined by `and`, in written order: a and (b and c) -> a, b, c. */
export function conjuncts(expr: Expr): Expr[] {
  const out: Expr[] = [];
  walk(expr, (node) => {
    if (node.k === 'call' && node.fn === 'and') return undefined;
    out.push(node);
    return false;
  });
  return out;
}

/** The fields of `source` a predicate or value expression reads on its own row (not inside exists()). */
export function fieldsRead(expr: Expr, source: string): string[] {
  const out = new Set<string>();
  walk(expr, (node) => {
    if (node.k === 'field' && node.depth === 0 && node.source === source) out.add(node.field);
    return undefined;
  });
  return [...out];
}
