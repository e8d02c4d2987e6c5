import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { PromqlSyntaxError, UnsupportedPromqlError } from '../errors.js';
import type {
  AggregateOp,
  BinaryOp,
  Expr,
  LabelMatcher,
  MatrixSelector,
  Position,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast.js';
import { parseDuration } from './duration.js';
import { FUNCTIONS } from './functions-table.js';
import { compileMatcher } from './label-matchers.js';

const AGGREGATES = new Set<string>([
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
]);

const BINARY_OPS: Readonly<Record<string, BinaryOp>> = {
  Add: '+',
  Sub: '-',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Pow: '^',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const COMPARISONS = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set<BinaryOp>(['and', 'or', 'unless']);

/** Constructs of PromQL that Vigil does not evaluate, by the grammar's node name. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  SubqueryExpr: 'a subquery',
  StepInvariantExpr: 'the @ modifier',
  AnchoredExpr: 'the anchored modifier',
  SmoothedExpr: 'the smoothed modifier',
  FillModifier: 'fill modifiers',
};

/**
 * Parses a PromQL expression with Prometheus's own grammar (`@prometheus-io/lezer-promql`) into
 * Vigil's syntax tree, type-checked as Prometheus checks it.
 *
 * @throws PromqlSyntaxError for an expression that does not parse or does not type-check, with
 *   its position; UnsupportedPromqlError for a construct outside Vigil's subset, naming it.
 */
export function parsePromql(source: string): Expr {
  const tree = parser.parse(lowerHexPrefixes(source));
  let error: Position | undefined;
  tree.iterate({
    enter(node) {
      if (error !== undefined) return false;
      if (node.type.isError) error = { from: node.from, to: node.to };
      return undefined;
    },
  });
  if (error !== undefined) {
    const found = source.slice(error.from, error.to + 1).trim();
    throw new PromqlSyntaxError(
      source,
      error,
      error.from >= source.trimEnd().length
        ? 'unexpected end of input'
        : `unexpected ${JSON.stringify(found.length === 0 ? (source[error.from] ?? '') : found)}`,
    );
  }
  const root = tree.topNode.firstChild;
  if (root === null) {
    throw new PromqlSyntaxError(source, { from: 0, to: source.length }, 'empty expression');
  }
  return new Converter(source).expr(root);
}

/**
 * `0X1F` as `0x1F`, outside string literals: Prometheus reads both, the grammar only the lower
 * case. The same length, so positions hold.
 */
function lowerHexPrefixes(source: string): string {
  if (!source.includes('0X')) return source;
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (quote !== undefined) {
      if (c === '\\' && quote !== '`') {
        out += c + (source[i + 1] ?? '');
        i++;
        continue;
      }
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === 'X' && source[i - 1] === '0' && !/[\w.]/.test(source[i - 2] ?? '')) {
      out += 'x';
      continue;
    }
    out += c;
  }
  return out;
}

/** The children of `node` that are expressions or clauses (not keywords or punctuation). */
function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child !== null; child = child.nextSibling) out.push(child);
  return out;
}

class Converter {
  readonly #source: string;

  constructor(source: string) {
    this.#source = source;
  }

  #text(node: SyntaxNode): string {
    return this.#source.slice(node.from, node.to);
  }

  #syntax(node: SyntaxNode | Position, reason: string): PromqlSyntaxError {
    return new PromqlSyntaxError(this.#source, { from: node.from, to: node.to }, reason);
  }

  #unsupported(node: SyntaxNode, construct: string, hint?: string): UnsupportedPromqlError {
    return new UnsupportedPromqlError(
      this.#source,
      construct,
      { from: node.from, to: node.to },
      hint,
    );
  }

  expr(node: SyntaxNode): Expr {
    const position = { from: node.from, to: node.to };
    const unsupported = UNSUPPORTED[node.name];
    if (unsupported !== undefined) throw this.#unsupported(node, unsupported);
    switch (node.name) {
      case 'ParenExpr': {
        const inner = this.expr(children(node)[0] as SyntaxNode);
        return { kind: 'paren', expr: inner, type: inner.type, position };
      }
      case 'NumberDurationLiteral':
        return { kind: 'number', value: this.#number(node), type: 'scalar', position };
      case 'StringLiteral':
        return { kind: 'string', value: this.#string(node), type: 'string', position };
      case 'VectorSelector':
        return this.#vectorSelector(node, 0);
      case 'MatrixSelector':
        return this.#matrixSelector(node, 0);
      case 'OffsetExpr':
        return this.#offset(node);
      case 'FunctionCall':
        return this.#call(node);
      case 'AggregateExpr':
        return this.#aggregate(node);
      case 'BinaryExpr':
        return this.#binary(node);
      case 'UnaryExpr': {
        const [op, operand] = children(node) as [SyntaxNode, SyntaxNode];
        const inner = this.expr(operand);
        if (inner.type !== 'scalar' && inner.type !== 'vector') {
          throw this.#syntax(
            node,
            `unary expression only allowed on expressions of type scalar or instant vector, got ${typeName(inner.type)}`,
          );
        }
        return {
          kind: 'unary',
          op: this.#text(op) as '-' | '+',
          expr: inner,
          type: inner.type,
          position,
        };
      }
      default:
        throw this.#unsupported(node, `the construct ${node.name}`);
    }
  }

  #number(node: SyntaxNode): number {
    const text = this.#text(node);
    const lower = text.toLowerCase();
    if (lower === 'inf' || lower === '+inf') return Number.POSITIVE_INFINITY;
    if (lower === '-inf') return Number.NEGATIVE_INFINITY;
    if (lower === 'nan' || lower === '+nan' || lower === '-nan') return Number.NaN;
    if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16);
    const value = Number(text);
    if (text.trim() !== '' && !Number.isNaN(value)) return value;
    // Prometheus 3 reads a duration where a number goes as its seconds.
    const duration = parseDuration(text);
    if (duration !== undefined) return duration / 1_000;
    throw this.#syntax(node, `bad number or duration ${JSON.stringify(text)}`);
  }

  #string(node: SyntaxNode): string {
    const text = this.#text(node);
    const quote = text[0];
    const body = text.slice(1, -1);
    if (quote === '`') return body;
    return body.replace(
      /\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[0-7]{3}|.)/g,
      (_, e: string) => {
        switch (e[0]) {
          case 'n':
            return '\n';
          case 't':
            return '\t';
          case 'r':
            return '\r';
          case 'a':
            return '\x07';
          case 'b':
            return '\b';
          case 'f':
            return '\f';
          case 'v':
            return '\v';
          case 'u':
          case 'U':
          case 'x':
            return String.fromCodePoint(Number.parseInt(e.slice(1), 16));
          default:
            return /^[0-7]{3}$/.test(e) ? String.fromCodePoint(Number.parseInt(e, 8)) : e;
        }
      },
    );
  }

  #duration(node: SyntaxNode): number {
    const literal = node.name === 'NumberDurationLiteralInDurationContext' ? node : node.firstChild;
    if (
      literal === null ||
      literal.name !== 'NumberDurationLiteralInDurationContext' ||
      literal.nextSibling !== null
    ) {
      throw this.#unsupported(node, 'a duration expression', 'write a plain duration such as 5m');
    }
    const text = this.#text(literal);
    const ms = parseDuration(text);
    if (ms === undefined) throw this.#syntax(literal, `bad duration ${JSON.stringify(text)}`);
    return ms;
  }

  #vectorSelector(node: SyntaxNode, offset: number): VectorSelector {
    const matchers: LabelMatcher[] = [];
    for (const child of children(node)) {
      if (child.name === 'Identifier') {
        matchers.push({ name: '__name__', type: '=', value: this.#text(child) });
      } else if (child.name === 'LabelMatchers') {
        for (const matcher of children(child)) matchers.push(this.#matcher(matcher));
      }
    }
    if (!matchers.some((m) => !compileMatcher(m).test(''))) {
      throw this.#syntax(node, 'vector selector must contain at least one non-empty matcher');
    }
    const names = matchers.filter((m) => m.name === '__name__' && m.type === '=');
    if (names.length > 1 && node.firstChild?.name === 'Identifier') {
      throw this.#syntax(node, 'metric name must not be set twice');
    }
    return {
      kind: 'vector-selector',
      matchers,
      offset,
      type: 'vector',
      position: { from: node.from, to: node.to },
    };
  }

  #matcher(node: SyntaxNode): LabelMatcher {
    const parts = children(node);
    if (node.name === 'QuotedLabelName') {
      // `{"metric.name"}`: the metric name alone.
      return { name: '__name__', type: '=', value: this.#string(parts[0] as SyntaxNode) };
    }
    const [nameNode, opNode, valueNode] = parts as [SyntaxNode, SyntaxNode, SyntaxNode];
    const name =
      nameNode.name === 'QuotedLabelName'
        ? this.#string(nameNode.firstChild as SyntaxNode)
        : this.#text(nameNode);
    const matcher: LabelMatcher = {
      name,
      type: this.#text(opNode) as LabelMatcher['type'],
      value: this.#string(valueNode),
    };
    try {
      compileMatcher(matcher);
    } catch (error) {
      throw this.#syntax(valueNode, `bad regular expression: ${(error as Error).message}`);
    }
    return matcher;
  }

  #matrixSelector(node: SyntaxNode, offset: number): MatrixSelector {
    const [selectorNode, durationNode] = children(node) as [SyntaxNode, SyntaxNode];
    if (selectorNode.name !== 'VectorSelector') {
      throw this.#syntax(selectorNode, 'ranges only allowed for vector selectors');
    }
    const selector = this.#vectorSelector(selectorNode, offset);
    return {
      kind: 'matrix-selector',
      selector,
      range: this.#duration(durationNode),
      type: 'matrix',
      position: { from: node.from, to: node.to },
    };
  }

  #offset(node: SyntaxNode): Expr {
    const [inner, , durationNode] = children(node) as [SyntaxNode, SyntaxNode, SyntaxNode];
    let sign = 1;
    let duration = durationNode;
    while (duration.firstChild?.name === 'UnaryOp') {
      if (this.#text(duration.firstChild) === '-') sign = -sign;
      duration = duration.firstChild.nextSibling as SyntaxNode;
    }
    return this.#withOffset(inner, sign * this.#duration(duration));
  }

  /**
   * The grammar reads `a * b offset 5m` as `(a * b) offset 5m`; Prometheus binds the offset to
   * the selector just before it, `a * (b offset 5m)`: push it down the right-hand side.
   */
  #withOffset(inner: SyntaxNode, offset: number): Expr {
    if (inner.name === 'VectorSelector') return this.#vectorSelector(inner, offset);
    if (inner.name === 'MatrixSelector') return this.#matrixSelector(inner, offset);
    if (inner.name === 'SubqueryExpr') throw this.#unsupported(inner, 'a subquery');
    if (inner.name === 'BinaryExpr') return this.#binary(inner, offset);
    if (inner.name === 'UnaryExpr') {
      const [op, operand] = children(inner) as [SyntaxNode, SyntaxNode];
      const expr = this.#withOffset(operand, offset);
      return {
        kind: 'unary',
        op: this.#text(op) as '-' | '+',
        expr,
        type: expr.type,
        position: { from: inner.from, to: inner.to },
      };
    }
    throw this.#syntax(
      inner,
      'offset modifier must be preceded by an instant vector selector or range vector selector',
    );
  }

  #call(node: SyntaxNode): Expr {
    const [identifier, body] = children(node) as [SyntaxNode, SyntaxNode];
    const name = this.#text(identifier);
    const signature = FUNCTIONS[name];
    if (signature === undefined) throw this.#unsupported(identifier, `the function ${name}`);
    const args = children(body).map((arg) => this.expr(arg));
    const required = signature.args.length - signature.optional;
    if (args.length < required || args.length > signature.args.length) {
      throw this.#syntax(
        node,
        `expected ${required === signature.args.length ? required : `${required} to ${signature.args.length}`} argument(s) in call to "${name}", got ${args.length}`,
      );
    }
    args.forEach((arg, i) => {
      const expected = signature.args[i] as ValueType;
      if (arg.type !== expected) {
        throw this.#syntax(
          arg.position,
          `expected type ${typeName(expected)} in call to function "${name}", got ${typeName(arg.type)}`,
        );
      }
    });
    return {
      kind: 'call',
      name,
      args,
      type: signature.returns,
      position: { from: node.from, to: node.to },
    };
  }

  #aggregate(node: SyntaxNode): Expr {
    let op: string | undefined;
    let opNode: SyntaxNode | undefined;
    let without = false;
    let labels: string[] = [];
    let args: Expr[] = [];
    for (const child of children(node)) {
      if (child.name === 'AggregateOp') {
        op = this.#text(child);
        opNode = child;
      } else if (child.name === 'AggregateModifier') {
        const [kind, grouping] = children(child) as [SyntaxNode, SyntaxNode | undefined];
        without = kind.name === 'Without';
        labels = grouping === undefined ? [] : this.#labels(grouping);
      } else if (child.name === 'FunctionCallBody') {
        args = children(child).map((arg) => this.expr(arg));
      }
    }
    if (op === undefined || !AGGREGATES.has(op)) {
      throw this.#unsupported(opNode ?? node, `the aggregation ${op ?? '?'}`);
    }
    const takesParam = op === 'topk' || op === 'bottomk' || op === 'quantile';
    if (args.length !== (takesParam ? 2 : 1)) {
      throw this.#syntax(
        node,
        `wrong number of arguments for aggregate expression provided, expected ${takesParam ? 2 : 1}, got ${args.length}`,
      );
    }
    const expr = args[args.length - 1] as Expr;
    const param = takesParam ? (args[0] as Expr) : undefined;
    if (expr.type !== 'vector') {
      throw this.#syntax(
        expr.position,
        `expected type instant vector in aggregation expression, got ${typeName(expr.type)}`,
      );
    }
    if (param !== undefined && param.type !== 'scalar') {
      throw this.#syntax(
        param.position,
        `expected type scalar in aggregation parameter, got ${typeName(param.type)}`,
      );
    }
    return {
      kind: 'aggregate',
      op: op as AggregateOp,
      param,
      expr,
      without,
      labels,
      type: 'vector',
      position: { from: node.from, to: node.to },
    };
  }

  #labels(grouping: SyntaxNode): string[] {
    return children(grouping).map((label) =>
      label.name === 'QuotedLabelName'
        ? this.#string(label.firstChild as SyntaxNode)
        : this.#text(label),
    );
  }

  /** A binary expression; `rhsOffset`: an `offset` the grammar put after the whole of it. */
  #binary(node: SyntaxNode, rhsOffset?: number): Expr {
    const parts = children(node);
    const lhsNode = parts[0] as SyntaxNode;
    const opNode = parts[1] as SyntaxNode;
    if (opNode.name === 'Atan2') throw this.#unsupported(opNode, 'the atan2 operator');
    const op = BINARY_OPS[opNode.name];
    if (op === undefined) throw this.#unsupported(opNode, `the operator ${this.#text(opNode)}`);
    // The grammar reads `-2 ^ 2` as `(-2) ^ 2`; in PromQL `^` binds tighter than the sign.
    const signed =
      op === '^' && lhsNode.name === 'NumberDurationLiteral' && /^[+-]/.test(this.#text(lhsNode));
    if (signed) {
      const sign = this.#text(lhsNode)[0] as '-' | '+';
      const magnitude = Math.abs(this.#number(lhsNode));
      const power = this.#binaryOf(
        node,
        parts,
        {
          kind: 'number',
          value: magnitude,
          type: 'scalar',
          position: { from: lhsNode.from + 1, to: lhsNode.to },
        },
        rhsOffset,
      );
      return {
        kind: 'unary',
        op: sign,
        expr: power,
        type: power.type,
        position: { from: node.from, to: node.to },
      };
    }
    return this.#binaryOf(node, parts, this.expr(lhsNode), rhsOffset);
  }

  #binaryOf(node: SyntaxNode, parts: SyntaxNode[], lhs: Expr, rhsOffset: number | undefined): Expr {
    const opNode = parts[1] as SyntaxNode;
    const rhsNode = parts[parts.length - 1] as SyntaxNode;
    const op = BINARY_OPS[opNode.name] as BinaryOp;
    const rhs = rhsOffset === undefined ? this.expr(rhsNode) : this.#withOffset(rhsNode, rhsOffset);
    let bool = false;
    let matching:
      | { on: boolean; labels: string[]; card?: VectorMatching['card']; include: string[] }
      | undefined;
    for (const part of parts.slice(2, -1)) {
      if (part.name === 'BoolModifier') bool = true;
      else if (part.name === 'MatchingModifierClause') {
        matching = { on: false, labels: [], include: [] };
        const clause = children(part);
        for (let i = 0; i < clause.length; i++) {
          const item = clause[i] as SyntaxNode;
          const next = clause[i + 1];
          const labels = next?.name === 'GroupingLabels' ? this.#labels(next) : undefined;
          if (item.name === 'On' || item.name === 'Ignoring') {
            matching.on = item.name === 'On';
            matching.labels = labels ?? [];
          } else if (item.name === 'GroupLeft' || item.name === 'GroupRight') {
            matching.card = item.name === 'GroupLeft' ? 'many-to-one' : 'one-to-many';
            matching.include = labels ?? [];
          } else if (item.name === 'FillModifier' || item.name.startsWith('Fill')) {
            throw this.#unsupported(item, 'fill modifiers');
          }
        }
      } else if (part.name !== 'GroupingLabels') {
        throw this.#unsupported(part, `the construct ${part.name}`);
      }
    }
    const position = { from: node.from, to: node.to };
    for (const side of [lhs, rhs]) {
      if (side.type !== 'scalar' && side.type !== 'vector') {
        throw this.#syntax(
          side.position,
          `binary expression must contain only scalar and instant vector types`,
        );
      }
    }
    const comparison = COMPARISONS.has(op);
    const setOp = SET_OPS.has(op);
    if (bool && !comparison)
      throw this.#syntax(node, 'bool modifier can only be used on comparison operators');
    const bothVectors = lhs.type === 'vector' && rhs.type === 'vector';
    if (setOp && !bothVectors) {
      throw this.#syntax(node, `set operator "${op}" not allowed in binary scalar expression`);
    }
    if (comparison && lhs.type === 'scalar' && rhs.type === 'scalar' && !bool) {
      throw this.#syntax(node, 'comparisons between scalars must use BOOL modifier');
    }
    if (matching !== undefined && !bothVectors) {
      throw this.#syntax(node, 'vector matching only allowed between instant vectors');
    }
    let vectorMatching: VectorMatching | undefined;
    if (bothVectors) {
      const card = matching?.card ?? (setOp ? 'many-to-many' : 'one-to-one');
      if (setOp && matching?.card !== undefined) {
        throw this.#syntax(node, `no grouping allowed for "${op}" operation`);
      }
      if (matching?.on === true) {
        for (const label of matching.include) {
          if (matching.labels.includes(label)) {
            throw this.#syntax(
              node,
              `label "${label}" must not occur in ON and GROUP clause at once`,
            );
          }
        }
      }
      vectorMatching = {
        on: matching?.on ?? false,
        labels: matching?.labels ?? [],
        card,
        include: matching?.include ?? [],
      };
    }
    return {
      kind: 'binary',
      op,
      lhs,
      rhs,
      bool,
      matching: vectorMatching,
      type: lhs.type === 'scalar' && rhs.type === 'scalar' ? 'scalar' : 'vector',
      position,
    };
  }
}

function typeName(type: ValueType): string {
  switch (type) {
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    default:
      return type;
  }
}
