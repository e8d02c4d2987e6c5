/**
 * A small, strict parser of the Prometheus text format 0.0.4 and OpenMetrics 1.0 text, written
 * for the tests: it unescapes HELP text and label values so that a test can compare them with
 * what was recorded. It throws on anything it does not understand.
 */

export type TextFormat = 'prometheus' | 'openmetrics';

export interface ParsedExemplar {
  labels: Record<string, string>;
  value: number;
  timestamp: number | undefined;
}

export interface ParsedSample {
  /** The sample's metric name, with its suffix (`_total`, `_bucket` …). */
  name: string;
  labels: Record<string, string>;
  value: number;
  exemplar: ParsedExemplar | undefined;
}

export interface ParsedFamily {
  name: string;
  help: string | undefined;
  type: string | undefined;
  unit: string | undefined;
  samples: ParsedSample[];
}

export interface ParsedExposition {
  families: ParsedFamily[];
  /** Whether the text ended with `# EOF` (OpenMetrics). */
  eof: boolean;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

/** Parses an exposition; `format` decides which escapes HELP text may use. */
export function parseExposition(text: string, format: TextFormat = 'prometheus'): ParsedExposition {
  if (text !== '' && !text.endsWith('\n')) throw new Error('exposition should end with a newline');
  const lines = text === '' ? [] : text.slice(0, -1).split('\n');
  const families: ParsedFamily[] = [];
  const byName = new Map<string, ParsedFamily>();
  let eof = false;
  const family = (name: string): ParsedFamily => {
    let found = byName.get(name);
    if (found === undefined) {
      found = { name, help: undefined, type: undefined, unit: undefined, samples: [] };
      byName.set(name, found);
      families.push(found);
    }
    return found;
  };
  for (const [number, line] of lines.entries()) {
    if (eof) throw new Error(`line ${number + 1}: content after # EOF`);
    if (line === '# EOF') {
      eof = true;
      continue;
    }
    if (line.startsWith('# ')) {
      const match = /^# (HELP|TYPE|UNIT) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/s.exec(line);
      if (match === null)
        throw new Error(`line ${number + 1}: bad comment ${JSON.stringify(line)}`);
      const [, keyword, name, rest] = match as unknown as [string, string, string, string];
      const target = family(name);
      if (keyword === 'HELP') target.help = unescapeHelp(rest, format);
      else if (keyword === 'TYPE') target.type = rest;
      else target.unit = rest;
      continue;
    }
    const sample = parseSample(line, number + 1);
    const owner = families.at(-1);
    const belongs =
      owner !== undefined &&
      (sample.name === owner.name || sample.name.startsWith(`${owner.name}_`));
    if (belongs) owner.samples.push(sample);
    else family(sample.name).samples.push(sample);
  }
  return { families, eof };
}

/** Undoes HELP escaping: `\\` and `\n` in both formats, `\"` too in OpenMetrics. */
export function unescapeHelp(text: string, format: TextFormat): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = text[++i];
    if (next === '\\') out += '\\';
    else if (next === 'n') out += '\n';
    else if (next === '"' && format === 'openmetrics') out += '"';
    else throw new Error(`bad escape \\${String(next)} in HELP ${JSON.stringify(text)}`);
  }
  return out;
}

function parseSample(line: string, lineNumber: number): ParsedSample {
  const cursor = { text: line, at: 0, lineNumber };
  const name = take(cursor, METRIC_NAME, 'metric name');
  const labels = cursor.text[cursor.at] === '{' ? parseLabels(cursor) : {};
  consume(cursor, ' ');
  const value = parseNumber(takeUntilSpace(cursor), cursor);
  let exemplar: ParsedExemplar | undefined;
  if (cursor.at < cursor.text.length) {
    consume(cursor, ' # ');
    const exemplarLabels = parseLabels(cursor);
    consume(cursor, ' ');
    const exemplarValue = parseNumber(takeUntilSpace(cursor), cursor);
    let timestamp: number | undefined;
    if (cursor.at < cursor.text.length) {
      consume(cursor, ' ');
      timestamp = parseNumber(takeUntilSpace(cursor), cursor);
    }
    exemplar = { labels: exemplarLabels, value: exemplarValue, timestamp };
  }
  if (cursor.at !== cursor.text.length) fail(cursor, 'trailing characters');
  return { name, labels, value, exemplar };
}

interface Cursor {
  text: string;
  at: number;
  lineNumber: number;
}

function parseLabels(cursor: Cursor): Record<string, string> {
  consume(cursor, '{');
  const labels: Record<string, string> = {};
  if (cursor.text[cursor.at] === '}') {
    cursor.at++;
    return labels;
  }
  for (;;) {
    const name = take(cursor, LABEL_NAME, 'label name');
    if (Object.hasOwn(labels, name)) fail(cursor, `label ${name} appears twice`);
    consume(cursor, '="');
    labels[name] = readLabelValue(cursor);
    const next = cursor.text[cursor.at++];
    if (next === '}') return labels;
    if (next !== ',') fail(cursor, `expected , or } after label ${name}`);
  }
}

/** Reads an escaped label value up to and including its closing quote. */
function readLabelValue(cursor: Cursor): string {
  let out = '';
  for (;;) {
    const char = cursor.text[cursor.at++];
    if (char === undefined) fail(cursor, 'unterminated label value');
    if (char === '"') return out;
    if (char === '\n') fail(cursor, 'raw newline in label value');
    if (char !== '\\') {
      out += char;
      continue;
    }
    const next = cursor.text[cursor.at++];
    if (next === '\\') out += '\\';
    else if (next === '"') out += '"';
    else if (next === 'n') out += '\n';
    else fail(cursor, `bad escape \\${String(next)} in label value`);
  }
}

function parseNumber(token: string, cursor: Cursor): number {
  if (token === '+Inf' || token === 'Inf') return Number.POSITIVE_INFINITY;
  if (token === '-Inf') return Number.NEGATIVE_INFINITY;
  if (token === 'NaN') return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(token)) fail(cursor, `bad number ${token}`);
  return Number(token);
}

function take(cursor: Cursor, pattern: RegExp, what: string): string {
  const match = pattern.exec(cursor.text.slice(cursor.at));
  if (match === null) fail(cursor, `expected ${what}`);
  cursor.at += match[0].length;
  return match[0];
}

function takeUntilSpace(cursor: Cursor): string {
  const end = cursor.text.indexOf(' ', cursor.at);
  const token = cursor.text.slice(cursor.at, end < 0 ? undefined : end);
  cursor.at += token.length;
  return token;
}

function consume(cursor: Cursor, literal: string): void {
  if (!cursor.text.startsWith(literal, cursor.at))
    fail(cursor, `expected ${JSON.stringify(literal)}`);
  cursor.at += literal.length;
}

function fail(cursor: Cursor, message: string): never {
  throw new Error(
    `line ${cursor.lineNumber}, column ${cursor.at + 1}: ${message} in ${JSON.stringify(cursor.text)}`,
  );
}
