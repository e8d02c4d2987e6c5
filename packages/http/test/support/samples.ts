import { type ParsedSample, parseExposition, type TextFormat } from '@vigil/test-support';

/** The samples named `name` in an exposition (e.g. `http_server_request_duration_seconds_count`). */
export function samplesOf(
  text: string,
  name: string,
  format: TextFormat = 'prometheus',
): ParsedSample[] {
  return parseExposition(text, format).families.flatMap((family) =>
    family.samples.filter((sample) => sample.name === name),
  );
}
