// CHANGELOG.md in Keep a Changelog form: a release moves what is under "## [Unreleased]" into a section of its own,
// dated, and leaves an empty Unreleased section on top for the next changes.

const UNRELEASED = '## [Unreleased]';

/** The text under "## [Unreleased]", up to the next "## " heading; undefined when there is no such section. */
export function unreleasedNotes(changelog: string): string | undefined {
  const start = changelog.indexOf(`${UNRELEASED}\n`);
  if (start === -1) return undefined;
  const body = changelog.slice(start + UNRELEASED.length + 1);
  const next = body.search(/^## /m);
  return (next === -1 ? body : body.slice(0, next)).trim();
}

/** The changelog with the Unreleased notes released as `version` on `date` (YYYY-MM-DD). */
export function releaseChangelog(changelog: string, version: string, date: string): string {
  const notes = unreleasedNotes(changelog);
  if (notes === undefined || notes === '') throw new Error('nothing under "## [Unreleased]"');
  const start = changelog.indexOf(`${UNRELEASED}\n`);
  const before = changelog.slice(0, start);
  const body = changelog.slice(start + UNRELEASED.length + 1);
  const next = body.search(/^## /m);
  const rest = next === -1 ? '' : body.slice(next);
  return `${before}${UNRELEASED}\n\n## [${version}] - ${date}\n\n${notes}\n${rest === '' ? '' : `\n${rest}`}`;
}
