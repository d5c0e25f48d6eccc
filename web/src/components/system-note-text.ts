import { msg, str } from '@lit/localize';
import type { SystemNote } from '../../../shared/system-note.ts';
import { assertNever } from '../../../shared/result.ts';

/** A system line's words, in the language shown now: "Ann joined", "You are now the host" … */
export function systemNoteText(note: SystemNote): string {
  switch (note.kind) {
    case 'welcome':
      return msg(str`You joined room ${note.room} as ${note.name}`, { id: 'system.welcome' });
    case 'present':
      return msg(str`In the room: ${note.names.join(', ')}`, { id: 'system.present' });
    case 'joined':
      return msg(str`${note.name} joined`, { id: 'system.joined' });
    case 'left':
      return msg(str`${note.name} left`, { id: 'system.left' });
    case 'host':
      return note.name === null ? msg('You are now the host', { id: 'system.you-host' }) : msg(str`${note.name} is now the host`, { id: 'system.host' });
    case 'key-changed':
      return msg(
        str`${note.name}'s keys have changed since this browser last saw ${note.name}. Compare safety numbers (People) before trusting messages from ${note.name}.`,
        { id: 'system.key-changed' },
      );
    case 'forged':
      return msg(str`A message claiming to be from ${note.name} did not carry a valid signature and was not shown. The host may be altering messages.`, {
        id: 'system.forged',
      });
    case 'unreadable':
      return msg(str`A message claiming to be from ${note.name} could not be opened and was not shown. The host may be altering messages.`, {
        id: 'system.unreadable',
      });
    case 'refused':
      return msg(str`A message from ${note.name} could not be opened and was not shown or passed on.`, { id: 'system.refused' });
    default:
      return assertNever(note);
  }
}
