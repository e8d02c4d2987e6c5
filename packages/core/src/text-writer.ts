/**
 * Length at which the text so far is flattened into a chunk: below V8's 128 KB regular-object
 * limit, so a chunk lives in the young generation, whose pages are reused. A larger string goes
 * to large-object space, freshly mapped memory for every render: on the benchmark machine each
 * such page costs a fault, and joining a render's slice of ~1 MB blocked for 5-11 ms.
 */
const CHUNK_LENGTH = 48 * 1024;

/**
 * Collects the text of an exposition: appends build a rope (V8 concatenates without copying),
 * flattened every CHUNK_LENGTH characters; the chunks are joined once, at the end.
 */
export class TextWriter {
  readonly #chunks: string[] = [];
  #rope = '';

  /** Appends `text`. */
  add(text: string): void {
    this.#rope += text;
    if (this.#rope.length >= CHUNK_LENGTH) this.#flush();
  }

  /** The whole text. */
  text(): string {
    this.#flush();
    const text = this.#chunks.length === 1 ? (this.#chunks[0] as string) : this.#chunks.join('');
    this.#chunks.length = 0;
    return text;
  }

  #flush(): void {
    const rope = this.#rope;
    // Reading a character flattens a rope in place (a join of one element would not): its nodes
    // become garbage now, while young, instead of being kept and promoted until the final join.
    rope.charCodeAt(0);
    this.#chunks.push(rope);
    this.#rope = '';
  }
}

/** Writes one sample line, `name{labels} value` (`name value` without labels), and a newline. */
export function writeSample(out: TextWriter, name: string, labels: string, value: string): void {
  out.add(name);
  if (labels === '') {
    out.add(' ');
  } else {
    out.add('{');
    out.add(labels);
    out.add('} ');
  }
  out.add(value);
  out.add('\n');
}

/**
 * Writes `name{labels,` (`name{` without labels): the start of a line whose last label (`le`,
 * `quantile`) the caller adds.
 */
export function writeOpen(out: TextWriter, name: string, labels: string): void {
  out.add(name);
  out.add('{');
  if (labels !== '') {
    out.add(labels);
    out.add(',');
  }
}

/**
 * The sample names of a family (`name` + each suffix), made once per family name instead of once
 * per series: a metric renders under at most two names (OpenMetrics drops a counter's `_total`).
 */
export class SampleNames {
  readonly #suffixes: readonly string[];
  #name: string | undefined;
  #names: readonly string[] = [];

  constructor(suffixes: readonly string[]) {
    this.#suffixes = suffixes;
  }

  of(name: string): readonly string[] {
    if (name !== this.#name) {
      this.#name = name;
      this.#names = this.#suffixes.map((suffix) => name + suffix);
    }
    return this.#names;
  }
}
