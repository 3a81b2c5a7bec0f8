export {};
//# sourceMappingURL=request-check.test.d.ts.map