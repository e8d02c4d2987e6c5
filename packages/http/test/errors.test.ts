import { VigilError } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { HTTP_ERROR_CODES, HttpError, type HttpErrorCode } from '../src/index.js';

describe('HttpError', () => {
  it('has its own brand, and every code in HTTP_ERROR_CODES', () => {
    expect(HttpError.brand).toBe('vigil.http.HttpError');
    expect(HTTP_ERROR_CODES).toHaveLength(9);
    expect(new VigilError('HTTP_NOT_FOUND', 'x')).not.toBeInstanceOf(HttpError);
  });

  it('maps each code to its status and renders only code and message', () => {
    const statuses: Record<HttpErrorCode, number> = {
      HTTP_BAD_REQUEST: 400,
      HTTP_INVALID_JSON: 400,
      HTTP_UNAUTHORIZED: 401,
      HTTP_WRITES_DISABLED: 403,
      HTTP_NOT_FOUND: 404,
      HTTP_METHOD_NOT_ALLOWED: 405,
      HTTP_PAYLOAD_TOO_LARGE: 413,
      HTTP_UNSUPPORTED_MEDIA_TYPE: 415,
      HTTP_INTERNAL_ERROR: 500,
    };
    for (const [code, status] of Object.entries(statuses) as Array<[HttpErrorCode, number]>) {
      const error = new HttpError(code, 'what went wrong', { cause: new Error('inner') });
      expect(error).toBeInstanceOf(VigilError);
      expect(error.name).toBe('HttpError');
      expect(error.status).toBe(status);
      expect(JSON.stringify(error)).toBe(`{"code":"${code}","message":"what went wrong"}`);
    }
  });
});
