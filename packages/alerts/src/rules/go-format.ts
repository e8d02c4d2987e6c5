/** Go's `%.{precision}g` of a float: Prometheus's `humanize*` functions print with it. */
export function formatG(value: number, precision: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const p = precision === 0 ? 1 : precision;
  const [mantissa, exponentText] = goExponential(value, p - 1).split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= p) return `${trimZeros(mantissa)}e${goExponent(exponent)}`;
  return trimZeros(goFixed(value, Math.max(0, p - 1 - exponent)));
}

/**
 * `toFixed`, rounding an exact tie to even as Go does (`%.1f` of 2.25 is 2.2; JavaScript says
 * 2.3). Only ties are exact decimals of the binary value: the other cases round alike.
 */
function goFixed(value: number, digits: number): string {
  const up = value.toFixed(digits);
  const exact = Math.abs(value).toFixed(Math.min(100, digits + 40));
  const point = exact.indexOf('.');
  if (!/^50*$/.test(exact.slice(point + 1 + digits))) return up;
  const down = exact.slice(0, digits === 0 ? point : point + 1 + digits);
  const even = Number(down.at(-1)) % 2 === 0 ? down : up.replace(/^-/, '');
  return (value < 0 ? '-' : '') + even;
}

/** `toExponential`, rounding an exact tie to even as Go does. */
function goExponential(value: number, digits: number): string {
  const up = value.toExponential(digits);
  const exact = Math.abs(value).toExponential(Math.min(100, digits + 40));
  const [mantissa, exponent] = exact.split('e') as [string, string];
  const point = mantissa.indexOf('.');
  const tail = point === -1 ? '' : mantissa.slice(point + 1 + digits);
  if (!/^50*$/.test(tail)) return up;
  const down = `${mantissa.slice(0, digits === 0 ? 1 : point + 1 + digits)}e${exponent}`;
  const lastDigit = Number(down.split('e')[0]?.at(-1));
  const even = lastDigit % 2 === 0 ? down : up.replace(/^-/, '');
  return (value < 0 ? '-' : '') + even;
}

/** Go's `%v` of a float64 (`strconv.FormatFloat(v, 'g', -1, 64)`): how `{{ $value }}` prints. */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  // Shortest form: Go switches to the exponent form below 1e-4 and from 1e6 (1234567 prints
  // as 1.234567e+06).
  if (exponent < -4 || exponent >= 6) return `${mantissa}e${goExponent(exponent)}`;
  return String(value);
}

function trimZeros(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/\.?0+$/, '');
}

function goExponent(exponent: number): string {
  const sign = exponent < 0 ? '-' : '+';
  const digits = String(Math.abs(exponent));
  return sign + (digits.length < 2 ? `0${digits}` : digits);
}

/**
 * Go's `fmt.Sprintf` for the verbs templates use: `%s %v %d %f %e %g %q %x %%`, with flags
 * (`-+ 0`), width and precision.
 */
export function sprintf(format: string, args: readonly unknown[]): string {
  let next = 0;
  return format.replace(
    /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g,
    (match, flags: string, width, precision, verb: string) => {
      if (verb === '%') return '%';
      if (next >= args.length) return `%!${verb}(MISSING)`;
      const arg = args[next++];
      const digits = precision === undefined ? undefined : Number(precision);
      let text: string;
      switch (verb) {
        case 's':
        case 'v':
          text = typeof arg === 'number' ? formatFloat(arg) : String(arg);
          if (verb === 's' && digits !== undefined) text = text.slice(0, digits);
          break;
        case 'q':
          text = JSON.stringify(String(arg));
          break;
        case 'd':
          text =
            typeof arg === 'number' && Number.isInteger(arg)
              ? String(arg)
              : `%!d(${goType(arg)}=${String(arg)})`;
          break;
        case 'f':
        case 'F':
          text =
            typeof arg === 'number'
              ? fixed(arg, digits ?? 6)
              : `%!f(${goType(arg)}=${String(arg)})`;
          break;
        case 'e':
          text =
            typeof arg === 'number'
              ? exponential(arg, digits ?? 6)
              : `%!e(${goType(arg)}=${String(arg)})`;
          break;
        case 'g':
          text =
            typeof arg === 'number'
              ? digits === undefined
                ? formatFloat(arg)
                : formatG(arg, digits)
              : `%!g(${goType(arg)}=${String(arg)})`;
          break;
        case 'x':
          text =
            typeof arg === 'number' && Number.isInteger(arg)
              ? arg.toString(16)
              : Buffer.from(String(arg)).toString('hex');
          break;
        default:
          return `%!${verb}(${goType(arg)}=${String(arg)})`;
      }
      if (typeof arg === 'number' && flags.includes('+') && arg >= 0 && /[dfeg]/.test(verb))
        text = `+${text}`;
      const size = width === undefined ? 0 : Number(width);
      if (text.length >= size) return text;
      if (flags.includes('-')) return text.padEnd(size);
      if (flags.includes('0') && typeof arg === 'number') {
        const sign = /^[+-]/.test(text) ? (text[0] as string) : '';
        return sign + text.slice(sign.length).padStart(size - sign.length, '0');
      }
      void match;
      return text.padStart(size);
    },
  );
}

function fixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return goFixed(value, digits);
}

function exponential(value: number, digits: number): string {
  if (!Number.isFinite(value)) return fixed(value, digits);
  const [mantissa, exponentText] = goExponential(value, digits).split('e') as [string, string];
  return `${mantissa}e${goExponent(Number(exponentText))}`;
}

function goType(value: unknown): string {
  if (typeof value === 'number') return 'float64';
  if (typeof value === 'string') return 'string';
  return typeof value;
}
