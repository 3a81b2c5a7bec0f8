export {};
//# sourceMappingURL=message.test.d.ts.map