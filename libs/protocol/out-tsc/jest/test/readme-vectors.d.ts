export interface HexVector {
    readonly name: string;
    readonly bytes: Buffer;
}
/** The hex vectors in libs/protocol/README.md: `# name: …` followed by one line of hex. */
export declare function readmeVectors(): {
    valid: HexVector[];
    invalid: HexVector[];
};
//# sourceMappingURL=readme-vectors.d.ts.map