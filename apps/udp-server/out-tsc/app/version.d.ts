/** Kept equal to package.json's version by a test. The commit comes from the image build. */
export declare const SERVER_VERSION = "0.1.0";
export declare const BUILD_COMMIT: string;
//# sourceMappingURL=version.d.ts.map