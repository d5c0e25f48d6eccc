import { describe, expect, it } from 'vitest';
import type { SystemNote } from '../../../shared/system-note.ts';
import { systemNoteText } from '../../../web/src/components/system-note-text.ts';

describe('systemNoteText (English, the source language)', () => {
  it.each<[SystemNote, string]>([
    [{ kind: 'welcome', room: 'lab', name: 'Ann' }, 'You joined room lab as Ann'],
    [{ kind: 'present', names: ['Ann', 'Bo'] }, 'In the room: Ann, Bo'],
    [{ kind: 'joined', name: 'Ann' }, 'Ann joined'],
    [{ kind: 'left', name: 'Ann' }, 'Ann left'],
    [{ kind: 'host', name: null }, 'You are now the host'],
    [{ kind: 'host', name: 'Bo' }, 'Bo is now the host'],
    [{ kind: 'refused', name: 'Bo' }, 'A message from Bo could not be opened and was not shown or passed on.'],
  ])('%j reads "%s"', (note, text) => {
    expect(systemNoteText(note)).toBe(text);
  });

  it('names the person in every warning about keys and messages', () => {
    for (const kind of ['key-changed', 'forged', 'unreadable', 'refused'] as const) expect(systemNoteText({ kind, name: 'Mal' })).toContain('Mal');
  });
});
