import { InvalidRuleError, TemplateError } from '../errors.js';
import type { Labels } from '../promql/labels.js';
import { formatFloat, formatG, sprintf } from './go-format.js';

/** What a template sees: the alert's labels and value (and the external labels, if any). */
export interface TemplateData {
  readonly labels: Labels;
  readonly value: number;
  readonly externalLabels?: Labels | undefined;
}

type Operand =
  | { readonly kind: 'value' }
  | { readonly kind: 'labels'; readonly name: string | undefined; readonly external: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'function'; readonly name: string };

type Command = readonly Operand[];
type Piece = string | readonly Command[];

/** A template parsed once: text and `{{ … }}` actions (pipelines of commands). */
export interface CompiledTemplate {
  readonly source: string;
  expand(data: TemplateData): string;
}

const SI_LARGE = ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const SI_SMALL = ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y'];

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const parsed = Number(value);
    if (value.trim() !== '' && !Number.isNaN(parsed)) return parsed;
    if (/^[+-]?inf$/i.test(value.trim()))
      return value.trim().startsWith('-') ? -Infinity : Infinity;
    if (/^nan$/i.test(value.trim())) return Number.NaN;
  }
  throw new Error(`cannot convert ${JSON.stringify(value)} to a number`);
}

function humanize(input: unknown): string {
  let v = toNumber(input);
  if (v === 0 || !Number.isFinite(v)) return formatG(v, 4);
  let prefix = '';
  if (Math.abs(v) >= 1) {
    for (const p of SI_LARGE) {
      if (Math.abs(v) < 1000) break;
      prefix = p;
      v /= 1000;
    }
  } else {
    for (const p of SI_SMALL) {
      if (Math.abs(v) >= 1) break;
      prefix = p;
      v *= 1000;
    }
  }
  return formatG(v, 4) + prefix;
}

function humanize1024(input: unknown): string {
  let v = toNumber(input);
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return formatG(v, 4);
  let prefix = '';
  for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
    if (Math.abs(v) < 1024) break;
    prefix = p;
    v /= 1024;
  }
  return formatG(v, 4) + prefix;
}

function humanizeDuration(input: unknown): string {
  let v = toNumber(input);
  if (!Number.isFinite(v)) return formatG(v, 4);
  if (v === 0) return `${formatG(v, 4)}s`;
  if (Math.abs(v) >= 1) {
    let sign = '';
    if (v < 0) {
      sign = '-';
      v = -v;
    }
    const whole = Math.trunc(v);
    const seconds = whole % 60;
    const minutes = Math.trunc(whole / 60) % 60;
    const hours = Math.trunc(whole / 3600) % 24;
    const days = Math.trunc(whole / 86_400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${formatG(v, 4)}s`;
  }
  let prefix = '';
  for (const p of SI_SMALL) {
    if (Math.abs(v) >= 1) break;
    prefix = p;
    v *= 1000;
  }
  return `${formatG(v, 4)}${prefix}s`;
}

/** The functions templates may call: Prometheus's, those people write. No code runs. */
const FUNCTIONS: Readonly<Record<string, (...args: unknown[]) => unknown>> = {
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage: (v) => `${formatG(toNumber(v) * 100, 4)}%`,
  printf: (format, ...args) => sprintf(String(format), args),
  toUpper: (s) => String(s).toUpperCase(),
  toLower: (s) => String(s).toLowerCase(),
  title: (s) => String(s).replace(/\b\w/g, (c) => c.toUpperCase()),
};

function printValue(value: unknown): string {
  if (typeof value === 'number') return formatFloat(value);
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    // A label map, as Go prints one: map[a:1 b:2].
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${k}:${(value as Record<string, string>)[k]}`);
    return `map[${entries.join(' ')}]`;
  }
  return String(value);
}

/**
 * Parses a label or annotation template in Prometheus's (Go's) syntax, for what rules actually
 * use: `{{ $value }}`, `{{ $labels.route }}` (and `.Value`, `.Labels.route`), pipelines
 * (`{{ $value | humanize }}`), calls (`{{ printf "%.2f" $value }}`), and `{{-`/`-}}` trimming.
 * Only the functions listed are callable, and label lookups read own keys only: no code runs.
 *
 * @throws TemplateError for a template that does not parse, or uses anything else.
 */
export function compileTemplate(source: string): CompiledTemplate {
  const pieces: Piece[] = [];
  let rest = source;
  while (rest.length > 0) {
    const open = rest.indexOf('{{');
    if (open === -1) {
      pieces.push(rest);
      break;
    }
    let text = rest.slice(0, open);
    let inner = rest.slice(open + 2);
    if (inner.startsWith('-') && /^-\s/.test(inner)) {
      text = text.trimEnd();
      inner = inner.slice(1);
    }
    const close = findClose(inner);
    if (close === -1) throw new TemplateError(source, 'unclosed action: a "{{" without "}}"');
    let action = inner.slice(0, close);
    rest = inner.slice(close + 2);
    if (/\s-$/.test(action)) {
      action = action.slice(0, -1);
      rest = rest.trimStart();
    }
    if (text !== '') pieces.push(text);
    const trimmed = action.trim();
    if (trimmed.startsWith('/*') && trimmed.endsWith('*/')) continue;
    pieces.push(parsePipeline(source, trimmed));
  }
  return {
    source,
    expand(data) {
      let out = '';
      for (const piece of pieces)
        out += typeof piece === 'string' ? piece : runPipeline(source, piece, data);
      return out;
    },
  };
}

/** Where the action's `}}` is, outside string literals. */
function findClose(text: string): number {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '}' && text[i + 1] === '}') return i;
  }
  return -1;
}

function parsePipeline(source: string, action: string): Command[] {
  if (action === '') throw new TemplateError(source, 'missing value for command: an empty action');
  const tokens = tokenize(source, action);
  const commands: Operand[][] = [[]];
  for (const token of tokens) {
    if (token === '|') {
      commands.push([]);
      continue;
    }
    (commands[commands.length - 1] as Operand[]).push(operand(source, token));
  }
  for (const command of commands) {
    if (command.length === 0)
      throw new TemplateError(source, `missing command in ${JSON.stringify(action)}`);
    const head = command[0] as Operand;
    if (head.kind !== 'function' && command.length > 1) {
      throw new TemplateError(
        source,
        `can't give arguments to a non-function in ${JSON.stringify(action)}`,
      );
    }
    for (const arg of command.slice(1)) {
      if (arg.kind === 'function') {
        throw new TemplateError(
          source,
          `${arg.name} is a function: call it alone, or pipe into it`,
        );
      }
    }
  }
  return commands;
}

function tokenize(source: string, action: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|\||[^\s|"`]+)/gy;
  let match: RegExpExecArray | null;
  let position = 0;
  pattern.lastIndex = 0;
  while (position < action.length && (match = pattern.exec(action)) !== null) {
    tokens.push(match[1] as string);
    position = pattern.lastIndex;
  }
  if (action.slice(position).trim() !== '') {
    throw new TemplateError(source, `cannot read ${JSON.stringify(action.slice(position))}`);
  }
  return tokens;
}

function operand(source: string, token: string): Operand {
  if (token === '$value' || token === '.Value' || token === '.') return { kind: 'value' };
  const labels =
    /^(\$labels|\.Labels|\$externalLabels|\.ExternalLabels)(?:\.([a-zA-Z_][a-zA-Z0-9_]*))?$/.exec(
      token,
    );
  if (labels !== null) {
    return {
      kind: 'labels',
      name: labels[2],
      external: labels[1]?.toLowerCase().includes('external') ?? false,
    };
  }
  if (token.startsWith('"')) {
    try {
      return { kind: 'string', value: JSON.parse(token) as string };
    } catch {
      throw new TemplateError(source, `bad string ${token}`);
    }
  }
  if (token.startsWith('`')) return { kind: 'string', value: token.slice(1, -1) };
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(token))
    return { kind: 'number', value: Number(token) };
  if (Object.hasOwn(FUNCTIONS, token)) return { kind: 'function', name: token };
  throw new TemplateError(
    source,
    `${JSON.stringify(token)} is not supported: use $value, $labels.<name>, strings, numbers and the functions ${Object.keys(FUNCTIONS).join(', ')}`,
  );
}

function operandValue(operand: Operand, data: TemplateData): unknown {
  switch (operand.kind) {
    case 'value':
      return data.value;
    case 'string':
    case 'number':
      return operand.value;
    case 'labels': {
      const labels = (operand.external ? data.externalLabels : data.labels) ?? {};
      if (operand.name === undefined) return labels;
      // Own keys only, and a missing label is empty, as Prometheus's missingkey=zero.
      return Object.hasOwn(labels, operand.name) ? labels[operand.name] : '';
    }
    default:
      throw new Error('a function is not a value');
  }
}

function runPipeline(source: string, commands: readonly Command[], data: TemplateData): string {
  let piped: unknown;
  let first = true;
  for (const command of commands) {
    const head = command[0] as Operand;
    if (head.kind === 'function') {
      const args = command.slice(1).map((arg) => operandValue(arg, data));
      if (!first) args.push(piped);
      try {
        piped = (FUNCTIONS[head.name] as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        throw new TemplateError(source, `error calling ${head.name}: ${(error as Error).message}`);
      }
    } else {
      if (!first) throw new TemplateError(source, 'only a function can take a piped value');
      piped = operandValue(head, data);
    }
    first = false;
  }
  return printValue(piped);
}

/**
 * Compiles a rule's label or annotation templates, by name.
 *
 * @throws InvalidRuleError naming `where` (the rule) and the template's error.
 */
export function compileTemplates(
  where: string,
  map: Readonly<Record<string, string>>,
): Record<string, CompiledTemplate> {
  const out: Record<string, CompiledTemplate> = {};
  for (const [name, text] of Object.entries(map)) {
    try {
      out[name] = compileTemplate(text);
    } catch (error) {
      throw new InvalidRuleError(`${where}: ${(error as Error).message}`, { cause: error });
    }
  }
  return out;
}
