// The few SemVer operations a release needs: parse MAJOR.MINOR.PATCH, bump it, compare two.

export type Bump = 'major' | 'minor' | 'patch';

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export function parseVersion(text: string): Version | undefined {
  const match = SEMVER.exec(text.trim());
  if (match === null) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

export const formatVersion = ({ major, minor, patch }: Version): string => `${major}.${minor}.${patch}`;

export function bump(version: Version, part: Bump): Version {
  switch (part) {
    case 'major':
      return { major: version.major + 1, minor: 0, patch: 0 };
    case 'minor':
      return { major: version.major, minor: version.minor + 1, patch: 0 };
    case 'patch':
      return { major: version.major, minor: version.minor, patch: version.patch + 1 };
  }
}

/** Negative when a comes first, positive when b does, 0 when equal. */
export const compareVersions = (a: Version, b: Version): number =>
  a.major - b.major || a.minor - b.minor || a.patch - b.patch;
