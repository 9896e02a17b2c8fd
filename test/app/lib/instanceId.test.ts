import { parseInstanceId } from '../../../lib/instanceId';
import { UserError } from '../../../lib/errors';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ALPHABET = `${LETTERS}0123456789-_.~:@`;
const only = (reason: string) => `it must contain only letters, digits and - _ . ~ : @; found ${reason}.`;

describe('parseInstanceId', () => {
  it('accepts letters, digits and - _ . ~ : @ up to 100 characters', () => {
    for (const id of ['a', '0', '...', '.a', 'a.', 'a..b', 'x'.repeat(100), 'aZ09-_.~:@x', 'a@b', ':', '~']) {
      expect(parseInstanceId(id)).toBe(id);
    }
  });

  // The properties the allowlist stands for: the durable client's `String.replace` and `new URL` keep the ID as it is.
  it.each(ALPHABET.split(''))('keeps %p one URL path segment the durable client puts in unchanged', (ch) => {
    const id = `a${ch}b`;
    expect(parseInstanceId(id)).toBe(id);
    expect('instances/INSTANCEID?code=k'.replace('INSTANCEID', id)).toBe(`instances/${id}?code=k`);
    expect(new URL(`instances/${id}`, 'http://127.0.0.1/durabletask/').pathname).toBe(`/durabletask/instances/${id}`);
  });

  it('refuses every other printable ASCII character, naming it and its position', () => {
    for (let code = 0x20; code <= 0x7e; code++) {
      const ch = String.fromCharCode(code);
      if (ALPHABET.includes(ch)) continue;
      expect(() => parseInstanceId(`ab${ch}`)).toThrow(`Invalid instanceId: ${only(`'${ch}' at position 2`)}`);
    }
  });

  it.each([
    [undefined, 'it must not be empty.'],
    ['', 'it must not be empty.'],
    ['x'.repeat(101), 'it must be at most 100 characters long (received 101).'],
    ['@a', "it must not start with '@'."],
    ['@', "it must not start with '@'."],
    ['a/b', only("'/' at position 1")],
    ['ab\\', only("'\\' at position 2")],
    ['#', only("'#' at position 0")],
    ['a?', only("'?' at position 1")],
    ['x%41y', only("'%' at position 1")],
    ['a$&b', only("'$' at position 1")],
    ['a+b', only("'+' at position 1")],
    ['job 1', only("' ' at position 3")],
    ['a\tb', only('U+0009 at position 1')],
    ['a\u007fb', only('U+007F at position 1')],
    ['caf\u00e9', only('U+00E9 at position 3')],
    ['a\u{1F600}', only('U+1F600 at position 1')],
    ['zz ', only("' ' at position 2")],
    [' zz', only("' ' at position 0")],
    [' ', only("' ' at position 0")],
    ['. ', only("' ' at position 1")],
    ['.', "it must not be '.' or '..'."],
    ['..', "it must not be '.' or '..'."],
  ])('refuses %p', (id, reason) => {
    let thrown: unknown;
    try {
      parseInstanceId(id);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect(thrown).toMatchObject({ status: 400, code: 'invalidInstanceId', message: `Invalid instanceId: ${reason}` });
  });
});
