import { parseOnConflict, parseTimeoutSeconds } from '../../../lib/queryParams';

describe('parseOnConflict', () => {
  it('defaults to fail and accepts the two policies', () => {
    expect(parseOnConflict(null)).toBe('fail');
    expect(parseOnConflict('fail')).toBe('fail');
    expect(parseOnConflict('useExisting')).toBe('useExisting');
  });

  it('refuses anything else, case included', () => {
    expect(() => parseOnConflict('UseExisting')).toThrow(
      "Invalid query parameter 'onConflict': expected 'fail' or 'useExisting' (received \"UseExisting\").",
    );
  });
});

describe('parseTimeoutSeconds', () => {
  it('is undefined when absent and an integer from 0 to 200 otherwise', () => {
    expect(parseTimeoutSeconds(null)).toBeUndefined();
    expect(parseTimeoutSeconds('0')).toBe(0);
    expect(parseTimeoutSeconds('200')).toBe(200);
  });

  it.each(['201', '230', '-1', '1.5', '1e2', ' 5', '', 'abc', '0005'])('refuses %p', (raw) => {
    expect(() => parseTimeoutSeconds(raw)).toThrow(
      /^Invalid query parameter 'timeoutSeconds': expected an integer from 0 to 200/,
    );
  });

  it("says why: the whole answer must come within Azure's 230-second HTTP limit", () => {
    expect(() => parseTimeoutSeconds('201')).toThrow(
      "Invalid query parameter 'timeoutSeconds': expected an integer from 0 to 200 (received \"201\"). The wait and the terminate fallback after it must answer within Azure's 230-second HTTP limit.",
    );
  });
});
