/** Paths of the fixture apps the local host tests load. */
import path from 'node:path';

export const FIXTURE_APPS = path.resolve(__dirname, '..', 'fixtures', 'apps');
export const HTTP_BASIC_APP = path.join(FIXTURE_APPS, 'http-basic');
export const HTTP_DURABLE_APP = path.join(FIXTURE_APPS, 'http-durable');
export const SETTINGS_EXAMPLE_APP = path.join(FIXTURE_APPS, 'settings-example');
