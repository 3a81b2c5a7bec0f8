export {};
//# sourceMappingURL=code-tables.test.d.ts.map