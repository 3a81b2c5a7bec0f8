export {};
//# sourceMappingURL=invariants.test.d.ts.map