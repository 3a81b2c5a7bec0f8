import { constants } from 'node:os';

// errno → its name (11 → EAGAIN), as Node names system errors. Where two names share a number (EAGAIN and
// EWOULDBLOCK), the first listed wins, as in libuv's uv_err_name.
const NAMES = new Map<number, string>();
for (const [name, value] of Object.entries(constants.errno)) {
  if (!NAMES.has(value)) NAMES.set(value, name);
}

export function errnoName(errno: number): string {
  return NAMES.get(errno) ?? `ERRNO_${errno}`;
}
