export {};
//# sourceMappingURL=lifecycle.test.d.ts.map