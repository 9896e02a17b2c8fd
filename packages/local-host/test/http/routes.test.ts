import { compareRoutes, compileRoute, matchRoute } from '../../src/http/routes';

const match = (template: string, path: string): Record<string, string> | undefined =>
  matchRoute(compileRoute(template), path);

describe('route templates', () => {
  it('matches literal segments case-insensitively and tolerates a trailing slash', () => {
    expect(match('orchestrators/list', 'Orchestrators/LIST')).toEqual({});
    expect(match('orchestrators/list', 'orchestrators/list/')).toEqual({});
    expect(match('orchestrators/list', 'orchestrators/lists')).toBeUndefined();
  });

  it('captures parameters and URL-decodes them', () => {
    expect(match('orchestrators/{functionName}/{instanceId}', 'orchestrators/Counter/a%20b%2Fc')).toEqual({
      functionName: 'Counter',
      instanceId: 'a b/c',
    });
  });

  it('omits an absent optional parameter and applies defaults', () => {
    expect(match('orchestrators/{functionName}/{instanceId?}', 'orchestrators/Counter')).toEqual({
      functionName: 'Counter',
    });
    expect(match('orchestrators/{functionName}/{instanceId?}', 'orchestrators/Counter/c1')).toEqual({
      functionName: 'Counter',
      instanceId: 'c1',
    });
    expect(match('page/{n:int=1}', 'page')).toEqual({ n: '1' });
    expect(match('page/{n:int=1}', 'page/7')).toEqual({ n: '7' });
  });

  it.each([
    ['{id:int}', '42', true],
    ['{id:int}', '-7', true],
    ['{id:int}', '2147483648', false],
    ['{id:int}', '4x', false],
    ['{id:long}', '9223372036854775807', true],
    ['{id:long}', '9223372036854775808', false],
    ['{x:alpha}', 'abcXYZ', true],
    ['{x:alpha}', 'abc1', false],
    ['{x:bool}', 'True', true],
    ['{x:bool}', 'yes', false],
    ['{x:guid}', '6f9619ff-8b86-d011-b42d-00cf4fc964ff', true],
    ['{x:guid}', '6f9619ff8b86d011b42d00cf4fc964ff', true],
    ['{x:guid}', 'not-a-guid', false],
    ['{x:double}', '1.5e3', true],
    ['{x:double}', 'one', false],
    ['{x:minlength(3)}', 'abc', true],
    ['{x:minlength(3)}', 'ab', false],
    ['{x:maxlength(2)}', 'abc', false],
    ['{x:length(2,3)}', 'abcd', false],
    ['{x:range(1,10)}', '10', true],
    ['{x:range(1,10)}', '11', false],
    ['{x:int:min(5)}', '4', false],
    ['{x:regex(^[a-c]+$)}', 'cab', true],
    ['{x:regex(^[a-c]+$)}', 'cad', false],
  ])('%s accepts %s: %s', (template, value, accepted) => {
    expect(match(template, value) !== undefined).toBe(accepted);
  });

  it('matches the rest of the path with a catch-all, including an empty rest', () => {
    expect(match('files/{*path}', 'files/a/b%20c/d.txt')).toEqual({ path: 'a/b c/d.txt' });
    expect(match('files/{*path}', 'files')).toEqual({});
  });

  it('matches parameters embedded in a segment', () => {
    expect(match('download/{name}.{ext}', 'download/report.final.pdf')).toEqual({ name: 'report.final', ext: 'pdf' });
  });

  it('rejects templates it cannot honour, naming the problem', () => {
    expect(() => compileRoute('a/{id:bogus}')).toThrow(
      'Invalid route template "a/{id:bogus}": unknown constraint "bogus"',
    );
    expect(() => compileRoute('a/{*rest}/b')).toThrow('a catch-all parameter must be the last segment');
    expect(() => compileRoute('a/{1x}')).toThrow('"1x" is not a valid parameter name');
  });

  it('tries literal segments before parameters and catch-alls', () => {
    const templates = ['items/{*rest}', 'items/{id}', 'items/{id:int}', 'items/special'];
    const ordered = templates.map(compileRoute).sort(compareRoutes);
    expect(ordered.map((r) => r.template)).toEqual(['items/special', 'items/{id:int}', 'items/{id}', 'items/{*rest}']);
  });
});
