/** README's table of error codes is the closed set the app and the local host's front door answer with. */
import fs from 'node:fs';
import path from 'node:path';
import { ERROR_CODES } from '../../../lib/errors';
import { HOST_ERROR_CODES } from 'durable-local-host';

function readmeCodes(): Array<{ code: string; raisedBy: string }> {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('| `code`'));
  const rows: Array<{ code: string; raisedBy: string }> = [];
  for (const line of table.split('\n').slice(2)) {
    const cells = /^\| `(\w+)` +\| \d{3} +\| ([^|]+?) +\|/.exec(line);
    if (cells === null) break;
    rows.push({ code: cells[1] ?? '', raisedBy: cells[2] ?? '' });
  }
  return rows;
}

describe('error codes', () => {
  it('README lists every code of the app and of the front door, and no other', () => {
    const rows = readmeCodes();
    const app = rows.filter((r) => r.raisedBy.includes('app')).map((r) => r.code);
    const hostCodes = rows.filter((r) => r.raisedBy.includes('host')).map((r) => r.code);
    expect([...app].sort()).toEqual([...ERROR_CODES].sort());
    expect([...hostCodes].sort()).toEqual([...HOST_ERROR_CODES].sort());
  });
});
