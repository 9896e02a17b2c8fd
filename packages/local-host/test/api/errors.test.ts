import v8 from 'node:v8';
import {
  ActionParseError,
  AppLoadError,
  CliUsageError,
  HostStartError,
  HttpError,
  LOCAL_HOST_ERROR_CODES,
  LocalHostError,
  ReferenceBackendError,
  RouteTemplateError,
  deserializeError,
  isLocalHostErrorCode,
  serializeError,
} from '../../src/errors';
import type { SerializedError } from '../../src/errors';
import { compileRoute } from '../../src/http/routes';

/** Through the channel as the forked host sends it (`serialization: 'advanced'`). */
const across = (err: unknown): LocalHostError =>
  deserializeError(v8.deserialize(v8.serialize(serializeError(err))) as SerializedError, 'in the host process');

describe('the error module', () => {
  it.each([
    new LocalHostError('STATUS_TIMEOUT', 'no status'),
    new HostStartError('LISTEN_FAILED', 'Cannot listen', { details: { host: '127.0.0.1', port: 7071 } }),
    new AppLoadError('APP_PACKAGE_INVALID', 'no package.json'),
    new ReferenceBackendError('DOTNET_MISSING', 'no dotnet'),
    new CliUsageError('--port must be a number'),
    new RouteTemplateError('a/{b', 'unclosed "{"'),
    new ActionParseError('action must be an object'),
    new HttpError('INSTANCE_EXISTS', 409, { json: { Message: 'exists' } }),
    new HttpError('NOT_SUPPORTED', 501, { text: 'no rewind' }),
    new HttpError('NOT_FOUND', 404, undefined),
  ])('builds %p again as the same class with the same code, message and details', (error) => {
    const arrived = across(error);
    expect(arrived.constructor).toBe(error.constructor);
    expect(arrived).toMatchObject({ name: error.name, code: error.code, message: error.message });
    expect(arrived.details).toEqual(error.details);
    if (error instanceof HttpError) expect(arrived).toMatchObject({ status: error.status, body: error.body });
  });

  it('gives every code a class and tells codes from other strings', () => {
    for (const code of Object.keys(LOCAL_HOST_ERROR_CODES)) expect(isLocalHostErrorCode(code)).toBe(true);
    expect(isLocalHostErrorCode('toString')).toBe(false);
    expect(isLocalHostErrorCode('HOST_ERRORS')).toBe(false);
  });

  it('throws its own errors from the package: a bad route template', () => {
    let error: unknown;
    try {
      compileRoute('x/{*rest}/y');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RouteTemplateError);
    expect(error).toMatchObject({ code: 'ROUTE_TEMPLATE_INVALID', details: { template: 'x/{*rest}/y' } });
  });

  it('maps an error without a code, a thrown non-error and an unknown code to HOST_ERROR', () => {
    const plain = across(new TypeError('boom'));
    expect(plain.constructor).toBe(LocalHostError);
    expect(plain).toMatchObject({ code: 'HOST_ERROR', message: 'boom' });
    expect(plain.stack).toMatch(/^LocalHostError \[HOST_ERROR\]: boom\n\(in the host process\) TypeError: boom\n/);

    expect(across('a string')).toMatchObject({ code: 'HOST_ERROR', message: 'a string' });

    const unknown = deserializeError({ code: 'NO_SUCH_CODE', name: 'OddError', message: 'odd' });
    expect(unknown.constructor).toBe(LocalHostError);
    expect(unknown).toMatchObject({ code: 'HOST_ERROR', message: 'odd' });
  });

  it('keeps the cause on the side that threw', () => {
    const cause = new Error('EADDRINUSE');
    const error = new HostStartError('LISTEN_FAILED', 'Cannot listen', { cause });
    expect(error.cause).toBe(cause);
    expect(serializeError(error)).not.toHaveProperty('cause');
  });
});
