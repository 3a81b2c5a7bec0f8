import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Installs helm (and kubectl) under .tools/bin when they are missing, once per Jest run. No skipping: when helm
 * cannot be installed, this throws and every test fails.
 */
export default function globalSetup(): void {
  const root = join(__dirname, '..', '..');
  execFileSync(process.execPath, [join(root, 'tools', 'workspace', 'bootstrap.mjs'), 'helm'], {
    cwd: root,
    stdio: 'inherit',
  });
}
