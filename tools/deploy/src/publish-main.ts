import { isRicochetError } from '@ricochet/errors';
import { exec } from './exec';
import { publishChart } from './publish-chart';
import { registrySettings } from './settings';

// `nx run deploy:publish-chart`: the chart of this commit, for its pushed image, to oci://$RICOCHET_REGISTRY/charts.
const log = (line: string): void => void process.stderr.write(`[publish-chart] ${line}\n`);

publishChart({ exec, root: process.cwd(), settings: registrySettings(process.env), log }).then(
  (record) => {
    process.stdout.write(`${record.repository}/${record.name} ${record.version}\n`);
  },
  (err: unknown) => {
    if (!isRicochetError(err)) throw err;
    process.stderr.write(`publish-chart: ${err.code}: ${err.message}\n`);
    process.exitCode = 1;
  },
);
