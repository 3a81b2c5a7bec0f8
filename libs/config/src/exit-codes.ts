// sysexits(3) codes, so supervisors and shells can tell a usage error from bad configuration.
export const ExitCode = {
  OK: 0,
  /** The command line was malformed. */
  USAGE: 64,
  /** A setting was invalid; nothing was started. */
  CONFIG: 78,
} as const;
