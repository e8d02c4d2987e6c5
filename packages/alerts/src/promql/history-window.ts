import type { Expr } from './ast.js';
import { LOOKBACK } from './evaluate.js';

/**
 * How far back from the evaluation time `expr` reads, ms: the longest range plus offset of its
 * selectors, plus the lookback of instant selectors.
 */
export function historyWindow(expr: Expr): number {
  switch (expr.kind) {
    case 'number':
    case 'string':
      return 0;
    case 'vector-selector':
      return expr.offset + LOOKBACK;
    case 'matrix-selector':
      return expr.selector.offset + expr.range;
    case 'paren':
    case 'unary':
      return historyWindow(expr.expr);
    case 'call':
      return Math.max(0, ...expr.args.map(historyWindow));
    case 'aggregate':
      return Math.max(
        historyWindow(expr.expr),
        expr.param === undefined ? 0 : historyWindow(expr.param),
      );
    case 'binary':
      return Math.max(historyWindow(expr.lhs), historyWindow(expr.rhs));
  }
}
