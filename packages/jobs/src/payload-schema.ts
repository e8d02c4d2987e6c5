import { describeValue, invalidOption } from '@vigil/core/options';
import { InvalidPayloadError, type PayloadIssue } from './errors.js';

/**
 * A payload schema: any validator that implements Standard Schema v1 (zod 3.24+ and 4,
 * valibot 1, arktype 2, effect's Schema), of which the runner uses `~standard.validate`.
 */
export interface PayloadSchema<P = unknown> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) =>
      | { readonly value: P; readonly issues?: undefined }
      | { readonly issues: readonly PayloadIssue[] }
      | PromiseLike<unknown>;
  };
}

/** @internal Checks that `schema` is a Standard Schema v1 validator. */
export function checkSchema(
  owner: string,
  field: string,
  schema: unknown,
): PayloadSchema | undefined {
  if (schema === undefined) return undefined;
  const standard = (schema as { '~standard'?: { version?: unknown; validate?: unknown } } | null)?.[
    '~standard'
  ];
  if (
    (typeof schema !== 'object' && typeof schema !== 'function') ||
    standard?.version !== 1 ||
    typeof standard.validate !== 'function'
  ) {
    throw invalidOption(
      owner,
      `${field} should be a Standard Schema v1 validator (such as a zod 4 or valibot schema), got ${describeValue(schema)}`,
    );
  }
  return schema as PayloadSchema;
}

/**
 * @internal Validates a payload at the call: the parsed value, or `InvalidPayloadError`. A schema
 * that validates asynchronously cannot answer at the call, so it is refused.
 */
export function validatePayload(type: string, schema: PayloadSchema, payload: unknown): unknown {
  const result = schema['~standard'].validate(payload);
  if (typeof (result as PromiseLike<unknown>).then === 'function') {
    throw new InvalidPayloadError(type, [
      { message: 'the schema validates asynchronously; use a synchronous schema for job payloads' },
    ]);
  }
  const checked = result as { value?: unknown; issues?: readonly PayloadIssue[] };
  if (checked.issues !== undefined) throw new InvalidPayloadError(type, checked.issues);
  return checked.value;
}
