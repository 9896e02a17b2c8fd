/** Secrets stay out of git: local.settings.json is ignored, local.settings.example.json is committed. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

describe('local settings', () => {
  describe('in the repository', () => {
    it('ignores local.settings.json and commits only the example, which holds no connection string', () => {
      expect(execFileSync('git', ['check-ignore', 'local.settings.json'], { cwd: REPO_ROOT }).toString()).toBe(
        'local.settings.json\n',
      );
      expect(execFileSync('git', ['ls-files', 'local.settings.example.json'], { cwd: REPO_ROOT }).toString()).toBe(
        'local.settings.example.json\n',
      );
      const example = JSON.parse(readFileSync(path.join(REPO_ROOT, 'local.settings.example.json'), 'utf8')) as {
        Values: Record<string, string>;
      };
      expect(Object.keys(example.Values).sort()).toEqual([
        'AzureWebJobsStorage',
        'FUNCTIONS_WORKER_RUNTIME',
        'TaskHubName',
      ]);
    });
  });
});
