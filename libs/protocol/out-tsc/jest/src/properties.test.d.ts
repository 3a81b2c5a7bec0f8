export {};
//# sourceMappingURL=properties.test.d.ts.map