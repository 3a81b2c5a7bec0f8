/** A closed set of named codes (dns-packet's rcodes.js): names to codes and back, from one literal record. */
export interface CodeTable<R extends Readonly<Record<string, number>>> {
  readonly codes: R;
  is(code: number): code is R[keyof R];
  /** The name of `code`, or UNKNOWN_<code> for a code not in the table. */
  toString(code: number): string;
  toCode(name: string): R[keyof R] | undefined;
  /** "SERVING 0, NOT_SERVING 1 or DRAINING 2": what a field may hold, for error messages and docs. */
  readonly choices: string;
}

export function codeTable<const R extends Readonly<Record<string, number>>>(
  codes: R,
  formatCode: (code: number) => string = String,
): CodeTable<R> {
  type Code = R[keyof R];
  const names = new Map<number, string>(Object.entries(codes).map(([name, code]) => [code, name]));
  const listed = [...names].map(([code, name]) => `${name} ${formatCode(code)}`);
  return {
    codes,
    is: (code: number): code is Code => names.has(code),
    toString: (code) => names.get(code) ?? `UNKNOWN_${formatCode(code)}`,
    toCode: (name) => (Object.hasOwn(codes, name) ? (codes[name] as Code) : undefined),
    choices: listed.length < 2 ? listed.join('') : `${listed.slice(0, -1).join(', ')} or ${listed.at(-1)}`,
  };
}
