import { parseInstanceId } from '../../../lib/instanceId';
import { UserError } from '../../../lib/errors';

describe('parseInstanceId', () => {
  it('accepts printable ASCII up to 100 characters, spaces and punctuation included', () => {
    for (const id of ['a', 'job 1', '...', '.a', 'a.', 'a..b', 'x'.repeat(100), 'a-b_c.d:e@f~!$&*()+=,;[]{}|<>^`\'"']) {
      expect(parseInstanceId(id)).toBe(id);
    }
  });

  it.each([
    [undefined, 'it must not be empty.'],
    ['', 'it must not be empty.'],
    ['x'.repeat(101), 'it must be at most 100 characters long (received 101).'],
    ['@a', "it must not start with '@'."],
    ['a/b', "it must not contain '/' (found at position 1)."],
    ['ab\\', "it must not contain '\\' (found at position 2)."],
    ['#', "it must not contain '#' (found at position 0)."],
    ['a?', "it must not contain '?' (found at position 1)."],
    ['x%41y', "it must not contain '%' (found at position 1)."],
    ['a\tb', 'it must contain only printable ASCII characters (0x20-0x7E); found U+0009 at position 1.'],
    ['a\u007fb', 'it must contain only printable ASCII characters (0x20-0x7E); found U+007F at position 1.'],
    ['\u{1F600}', 'it must contain only printable ASCII characters (0x20-0x7E); found U+D83D at position 0.'],
    ['zz ', 'it must not start or end with a space.'],
    [' zz', 'it must not start or end with a space.'],
    [' ', 'it must not start or end with a space.'],
    ['.', "it must not be '.' or '..' (with or without spaces around)."],
    ['..', "it must not be '.' or '..' (with or without spaces around)."],
    ['. ', "it must not be '.' or '..' (with or without spaces around)."],
    ['.. ', "it must not be '.' or '..' (with or without spaces around)."],
    [' ..', "it must not be '.' or '..' (with or without spaces around)."],
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
