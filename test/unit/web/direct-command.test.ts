import { describe, expect, it } from 'vitest';
import { parseDirectCommand } from '../../../web/src/app/direct-command.ts';

const people = [
  { id: 'me', name: 'Hana' },
  { id: 'ann', name: 'Ann' },
  { id: 'annlee', name: 'Ann Lee' },
  { id: 'bob', name: 'Bob' },
];
const parse = (input: string) => parseDirectCommand(input, people, 'me');

describe('/msg NAME text', () => {
  it.each([
    ['/msg Bob hello', 'bob', 'hello'],
    ['/MSG bob   hello there ', 'bob', 'hello there'],
    ['/msg Ann Lee hi', 'annlee', 'hi'],
    ['/msg Ann Leeds is a city', 'ann', 'Leeds is a city'],
    ['/msg ann lee lowercase', 'annlee', 'lowercase'],
    ['/msg Ｂｏｂ wide letters', 'bob', 'wide letters'],
  ])('%s goes to %s', (input, peerId, text) => {
    expect(parse(input)).toMatchObject({ kind: 'direct', peerId, text });
  });

  it.each(['hello', 'msg Bob hi', '/msgBob hi', ' /msg Bob hi', '/message Bob hi'])('%s is a room message', (input) => {
    expect(parse(input)).toEqual({ kind: 'room' });
  });

  it.each([
    ['/msg', /name from People/],
    ['/msg   ', /name from People/],
    ['/msg Zed hi', /No one called “Zed”/],
    ['/msg Bobby hi', /No one called “Bobby”/],
    ['/msg Hana hi', /That is you/],
    ['/msg Bob', /Write the message after the name.*\/msg Bob hello/],
    ['/msg Bob    ', /Write the message after the name/],
  ])('%s is refused with a reason', (input, reason) => {
    const parsed = parse(input);
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' ? parsed.message : '').toMatch(reason);
  });
});
