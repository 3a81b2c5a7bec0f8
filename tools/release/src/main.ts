// nx run release:version -- --bump minor|patch|major | --version X.Y.Z [--dry-run]
// Versions the apps and the chart together, releases CHANGELOG.md's Unreleased notes, commits, and tags v<version>.
// Publishing is then what it always is: `nx run deploy:staging` at the tag publishes the image and a chart whose
// version is the released one (docs/deploy.md, "Versions"); push the tag with `git push --follow-tags`.
import { parseArgs } from 'node:util';
import { isRicochetError } from '@ricochet/errors';
import { applyRelease, planRelease, type ReleaseRequest } from './release';

const EXIT_USAGE = 64;
const USAGE =
  'usage: nx run release:version -- (--bump major|minor|patch | --version X.Y.Z) [--dry-run] [--date YYYY-MM-DD]';

function request(argv: readonly string[]): (ReleaseRequest & { dryRun: boolean }) | string {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      bump: { type: 'string' },
      version: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      date: { type: 'string', default: new Date().toISOString().slice(0, 10) },
    },
  });
  const { bump, version, date } = values;
  if ((bump === undefined) === (version === undefined)) return 'give one of --bump and --version';
  if (bump !== undefined && bump !== 'major' && bump !== 'minor' && bump !== 'patch') {
    return `--bump: expected major, minor or patch, got "${bump}"`;
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return `--date: expected YYYY-MM-DD, got "${date}"`;
  return { to: bump !== undefined ? { bump } : { version: version as string }, date, dryRun: values['dry-run'] };
}

function main(argv: readonly string[], root: string): number {
  let parsed: ReturnType<typeof request>;
  try {
    parsed = request(argv);
  } catch (err) {
    parsed = (err as Error).message;
  }
  if (typeof parsed === 'string') {
    process.stderr.write(`release: ${parsed}\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  try {
    const plan = planRelease(root, parsed);
    process.stdout.write(
      `release ${plan.tag}: product ${plan.product.from} → ${plan.product.to}, chart ${plan.chart.from} → ${plan.chart.to}\n` +
        plan.changes.map((change) => `  ${change.path}\n`).join(''),
    );
    if (parsed.dryRun) {
      process.stdout.write('dry run: nothing written\n');
      return 0;
    }
    const commit = applyRelease(root, plan);
    process.stdout.write(`committed ${commit.slice(0, 12)} and tagged ${plan.tag}; push with git push --follow-tags\n`);
    return 0;
  } catch (err) {
    if (!isRicochetError(err)) throw err;
    process.stderr.write(`release: ${err.code}: ${err.message}\n`);
    return 1;
  }
}

// Run from the repository's root (as nx runs every target).
process.exitCode = main(process.argv.slice(2), process.cwd());
