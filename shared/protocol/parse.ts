import * as v from 'valibot';
import { err, ok, type Result } from '../result.ts';

/** Why a frame was refused at a boundary. `code` is stable; `message` is for people. */
export interface ProtocolError {
  readonly code: 'ERR_BAD_MESSAGE' | 'ERR_TOO_LARGE';
  readonly message: string;
}

/**
 * The one way raw text becomes a typed message at a boundary: size check, JSON.parse in try/catch, schema.
 * Never throws.
 */
export function parseFrame<S extends v.GenericSchema>(
  schema: S,
  raw: string,
  maxLength: number,
): Result<v.InferOutput<S>, ProtocolError> {
  if (raw.length > maxLength) {
    return err({ code: 'ERR_TOO_LARGE', message: `frame is longer than ${maxLength} characters` });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return err({ code: 'ERR_BAD_MESSAGE', message: 'frame is not valid JSON' });
  }
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) {
    return err({ code: 'ERR_BAD_MESSAGE', message: describeIssues(parsed.issues) });
  }
  return ok(parsed.output);
}

function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  if (!first) return 'message does not match the protocol';
  const path = first.path?.map((item) => String(item.key)).join('.') ?? '';
  return path ? `${path}: ${first.message}` : first.message;
}
