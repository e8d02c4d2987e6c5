const LIST = /\(\s*\?(?:\s*,\s*\?)*\s*\)/g;
const ROWS = /\(\?\+\)(?:\s*,\s*\(\?\+\))+/g;
const SPACE_BEFORE = / ([),])/g;
const SPACE_AFTER = /\( /g;

/**
 * Normalises SQL into a fingerprint that groups queries differing only in their values:
 * comments are stripped; string, numeric, hex, boolean and dollar-quoted literals and numbered
 * placeholders (`$1`) become `?`; a parenthesised list of values (`IN (1, 2, 3)`, a `VALUES`
 * row, or several rows) becomes `(?+)`; whitespace is folded to one space; a trailing `;` is
 * dropped. Identifiers (quoted or not) and keywords are kept as written.
 *
 * ```ts
 * fingerprintSql("SELECT * FROM users WHERE id IN (1, 2, 3) AND name = 'bo'")
 * // → 'SELECT * FROM users WHERE id IN (?+) AND name = ?'
 * ```
 */
export function fingerprintSql(sql: string): string {
  const out = scan(String(sql));
  return out
    .replace(LIST, '(?+)')
    .replace(ROWS, '(?+)')
    .replace(SPACE_BEFORE, '$1')
    .replace(SPACE_AFTER, '(');
}

function scan(sql: string): string {
  let out = '';
  let space = false;
  let i = 0;
  const n = sql.length;
  const emit = (text: string): void => {
    if (space && out.length > 0) out += ' ';
    space = false;
    out += text;
  };
  while (i < n) {
    const c = sql[i] as string;
    const next = sql[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      space = true;
      i++;
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end;
      space = true;
    } else if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      space = true;
    } else if (c === "'") {
      i = skipString(sql, i + 1, false);
      emit('?');
    } else if (
      (c === 'E' ||
        c === 'e' ||
        c === 'X' ||
        c === 'x' ||
        c === 'B' ||
        c === 'b' ||
        c === 'N' ||
        c === 'n') &&
      next === "'" &&
      !isWordChar(sql[i - 1])
    ) {
      i = skipString(sql, i + 2, c === 'E' || c === 'e');
      emit('?');
    } else if (c === '"' || c === '`') {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? n : end + 1;
      emit(sql.slice(i, stop));
      i = stop;
    } else if (c === '$') {
      const tag = dollarTag(sql, i);
      if (tag !== undefined) {
        const end = sql.indexOf(tag, i + tag.length);
        i = end < 0 ? n : end + tag.length;
        emit('?');
      } else if (isDigit(next)) {
        i++;
        while (i < n && isDigit(sql[i])) i++;
        emit('?');
      } else {
        emit(c);
        i++;
      }
    } else if (isDigit(c) || (c === '.' && isDigit(next))) {
      i = skipNumber(sql, i);
      emit('?');
    } else if (c === '-' && startsNumber(sql, i + 1) && !endsOperand(out)) {
      // A unary minus belongs to its literal: `= -7` and `= 7` fingerprint alike.
      i = skipNumber(sql, i + 1);
      emit('?');
    } else if (isWordChar(c)) {
      const start = i;
      while (i < n && isWordChar(sql[i])) i++;
      const word = sql.slice(start, i);
      const lower = word.toLowerCase();
      emit(lower === 'true' || lower === 'false' ? '?' : word);
    } else {
      emit(c);
      i++;
    }
  }
  return out.endsWith(';') ? out.slice(0, -1).trimEnd() : out;
}

// A '…' literal from `i` (just past the quote): '' is an escaped quote; E'…' also allows \'.
function skipString(sql: string, from: number, backslashes: boolean): number {
  let i = from;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashes && c === '\\') i += 2;
    else if (c === "'") {
      if (sql[i + 1] === "'") i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

function skipNumber(sql: string, from: number): number {
  let i = from;
  if (sql[i] === '0' && (sql[i + 1] === 'x' || sql[i + 1] === 'X')) {
    i += 2;
    while (i < sql.length && /[0-9a-fA-F]/.test(sql[i] as string)) i++;
    return i;
  }
  while (i < sql.length && (isDigit(sql[i]) || sql[i] === '.')) i++;
  if (
    (sql[i] === 'e' || sql[i] === 'E') &&
    (isDigit(sql[i + 1]) || ((sql[i + 1] === '+' || sql[i + 1] === '-') && isDigit(sql[i + 2])))
  ) {
    i += 2;
    while (i < sql.length && isDigit(sql[i])) i++;
  }
  return i;
}

// `$$` or `$tag$` opening a dollar-quoted string (PostgreSQL), or undefined.
function dollarTag(sql: string, from: number): string | undefined {
  let i = from + 1;
  while (i < sql.length && /[A-Za-z0-9_]/.test(sql[i] as string)) i++;
  if (sql[i] !== '$') return undefined;
  const tag = sql.slice(from, i + 1);
  return tag.length > 2 && isDigit(tag[1]) ? undefined : tag;
}

function startsNumber(sql: string, i: number): boolean {
  return isDigit(sql[i]) || (sql[i] === '.' && isDigit(sql[i + 1]));
}

// True when the output so far ends with something a binary minus could follow (`a - 1`).
function endsOperand(out: string): boolean {
  const last = out[out.length - 1];
  return last === ')' || last === '?' || last === '"' || last === '`' || isWordChar(last);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isWordChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  return (
    (c >= 'a' && c <= 'z') ||
    (c >= 'A' && c <= 'Z') ||
    (c >= '0' && c <= '9') ||
    c === '_' ||
    c === '@' ||
    c === '#' ||
    c.charCodeAt(0) > 127
  );
}
