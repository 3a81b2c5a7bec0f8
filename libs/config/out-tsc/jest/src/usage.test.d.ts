export {};
//# sourceMappingURL=usage.test.d.ts.map