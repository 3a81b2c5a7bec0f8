export {};
//# sourceMappingURL=load-settings.test.d.ts.map