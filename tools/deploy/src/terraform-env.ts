import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TerraformSettings } from './settings';

/**
 * The environment every terraform command of a deployment runs with: its own data directory (outside the source
 * tree), no prompts, no version check; and, for a registry whose certificate a private CA signed, that CA added to
 * what the helm provider trusts when it pulls the chart (it has no CA setting for OCI repositories; Go reads the
 * extra directory from SSL_CERT_DIR and keeps the system bundle).
 */
export function terraformEnv(terraform: TerraformSettings, caFile?: string): Record<string, string> {
  return {
    // Without a CLI configuration file Terraform warns on every command; a real one is always kept.
    ...(process.env['TF_CLI_CONFIG_FILE'] || existsSync(join(homedir(), '.terraformrc'))
      ? {}
      : { TF_CLI_CONFIG_FILE: '/dev/null' }),
    TF_DATA_DIR: terraform.dataDir,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    ...(caFile === undefined ? {} : { SSL_CERT_DIR: caDirectory(terraform) }),
  };
}

const caDirectory = (terraform: TerraformSettings): string => join(dirname(terraform.dataDir), 'registry-ca');

/** Creates the data directory and the CA directory terraformEnv names. */
export function prepareTerraform(terraform: TerraformSettings, caFile?: string): void {
  mkdirSync(terraform.dataDir, { recursive: true });
  if (caFile !== undefined) {
    mkdirSync(caDirectory(terraform), { recursive: true });
    copyFileSync(caFile, join(caDirectory(terraform), 'ca.crt'));
  }
}
