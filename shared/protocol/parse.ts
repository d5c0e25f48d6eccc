import * as v from 'valibot';
import { err, ok, type Result } from '../result.ts';

/** Why a frame was refused at a boundary. `code` is stable; `message` is for people. */
export interface ProtocolError {
  readonly code: 'ERR_BAD_MESSAGE' | 'ERR_TOO_LARGE';
  readonly message: string;
}

/**
 * The one way raw text becomes a typed message at a boundary: size check, JSON.parse in try/catch, schema (or the
 * schema {@link byType} picks for the message). Never throws.
 */
export function parseFrame<S extends v.GenericSchema>(
  schema: S | ((json: unknown) => S),
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
  const parsed = v.safeParse(typeof schema === 'function' ? schema(json) : schema, json);
  if (!parsed.success) {
    return err({ code: 'ERR_BAD_MESSAGE', message: describeIssues(parsed.issues) });
  }
  return ok(parsed.output);
}

/**
 * The schema to check a message against, picked by its `type`: `variant` checks every option's discriminator in turn
 * and allocates as it goes, which showed in the signaling server's profile at every frame. A table from each option's
 * `type` literal to the option is made once; a message whose `type` is in it is checked against that option alone,
 * which is the very check the variant would make, and anything else (no `type`, an unknown one) against the whole
 * variant, for its error. A variant whose options are not all objects with a literal `type` gets no table.
 */
export function byType<S extends v.GenericSchema>(variant: S): (json: unknown) => S {
  const options = (variant as { readonly options?: readonly v.GenericSchema[] }).options ?? [];
  const table = new Map<string, v.GenericSchema>();
  for (const option of options) {
    const discriminator = (option as { readonly entries?: { readonly type?: { readonly type: string; readonly literal?: unknown } } }).entries?.type;
    if (discriminator?.type !== 'literal' || typeof discriminator.literal !== 'string' || table.has(discriminator.literal)) return () => variant;
    table.set(discriminator.literal, option);
  }
  return (json) => {
    const type = typeof json === 'object' && json !== null ? (json as { readonly type?: unknown }).type : undefined;
    // The option's output is the variant's output for this message: a narrowing the types cannot see.
    return ((typeof type === 'string' && table.get(type)) || variant) as S;
  };
}

function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  const first = issues[0];
  if (!first) return 'message does not match the protocol';
  const path = first.path?.map((item) => String(item.key)).join('.') ?? '';
  return path ? `${path}: ${first.message}` : first.message;
}
