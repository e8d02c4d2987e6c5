/** Where a construct sits in the expression: character offsets, `from` inclusive. */
export interface Position {
  readonly from: number;
  readonly to: number;
}

/** A label matcher: `=`, `!=`, `=~` and `!~` (regexes anchored, as Prometheus's are). */
export interface LabelMatcher {
  readonly name: string;
  readonly type: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** What an expression evaluates to. */
export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

/** How the two sides of a binary operation between vectors are matched. */
export interface VectorMatching {
  /** `on(...)` (true) or `ignoring(...)` (false; also the default, with no labels). */
  readonly on: boolean;
  readonly labels: readonly string[];
  readonly card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  /** The labels `group_left(...)` / `group_right(...)` copy from the "one" side. */
  readonly include: readonly string[];
}

interface Node {
  readonly position: Position;
  readonly type: ValueType;
}

export interface NumberLiteral extends Node {
  readonly kind: 'number';
  readonly value: number;
}

export interface StringLiteral extends Node {
  readonly kind: 'string';
  readonly value: string;
}

export interface VectorSelector extends Node {
  readonly kind: 'vector-selector';
  /** Every matcher, the metric name's (`__name__="…"`) included. */
  readonly matchers: readonly LabelMatcher[];
  /** `offset`, ms (negative: later). */
  readonly offset: number;
}

export interface MatrixSelector extends Node {
  readonly kind: 'matrix-selector';
  readonly selector: VectorSelector;
  /** The range, ms. */
  readonly range: number;
}

export interface Call extends Node {
  readonly kind: 'call';
  readonly name: string;
  readonly args: readonly Expr[];
}

export interface Aggregate extends Node {
  readonly kind: 'aggregate';
  readonly op: AggregateOp;
  /** `topk`'s k, `quantile`'s φ. */
  readonly param: Expr | undefined;
  readonly expr: Expr;
  /** `by (…)` (without false), `without (…)`; no clause: `without ()`... of nothing: by (). */
  readonly without: boolean;
  readonly labels: readonly string[];
}

export interface Binary extends Node {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly lhs: Expr;
  readonly rhs: Expr;
  /** `bool` after a comparison. */
  readonly bool: boolean;
  /** Between two vectors; undefined otherwise. */
  readonly matching: VectorMatching | undefined;
}

export interface Unary extends Node {
  readonly kind: 'unary';
  readonly op: '-' | '+';
  readonly expr: Expr;
}

export interface Paren extends Node {
  readonly kind: 'paren';
  readonly expr: Expr;
}

/** A parsed PromQL expression of the subset Vigil evaluates. */
export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | Call
  | Aggregate
  | Binary
  | Unary
  | Paren;
