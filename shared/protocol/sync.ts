import * as v from 'valibot';
import { HISTORY_LIMIT } from '../limits.ts';
import { MessageKey } from './envelope.ts';

/**
 * The first word each side says on a new link: the ids of the recent messages it holds. The member sends it on open;
 * the host answers with the history the member lacks and then its own `sync`, after which the member re-sends those
 * of its own recent messages that the host lacks. Messages are named by key (author and id). So a host that missed messages while members moved between hosts
 * still ends up with every message its members wrote.
 */
export const SyncMessage = v.object({
  type: v.literal('sync'),
  have: v.pipe(v.array(MessageKey), v.maxLength(HISTORY_LIMIT)),
});

/** A sync message, as inferred from its schema. */
export type SyncMessage = v.InferOutput<typeof SyncMessage>;
