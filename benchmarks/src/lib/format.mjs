// Number formats shared by the report's sections.

export const fmtOps = (v) => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : `${(v / 1e3).toFixed(0)} k`);
export const fmtRatio = (v) =>
  `${v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(4)}×`;
export const fmtMs = (v) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
export const fmtBytes = (v) => (v >= 1024 ? `${(v / 1024).toFixed(2)} KB` : `${v.toFixed(0)} B`);
export const fmtPct = (v) => `${(v * 100).toFixed(v < 0.001 ? 3 : 2)} %`;
/** `pass` null: the case could not be measured (reported, not counted as a miss). */
export const verdict = (pass) => (pass === null ? '**N/A**' : pass ? '**PASS**' : '**MISS**');
