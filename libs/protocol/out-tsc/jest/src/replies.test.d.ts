export {};
//# sourceMappingURL=replies.test.d.ts.map