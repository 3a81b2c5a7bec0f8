// Writes reports/jest/<project>.json with the pass/fail counts of one Jest run.
const fs = require('node:fs');
const path = require('node:path');

class JestSummaryReporter {
  constructor(_globalConfig, options) {
    this.projectName = options.projectName;
  }

  onRunComplete(_contexts, results) {
    const dir = path.join(__dirname, '..', '..', 'reports', 'jest');
    fs.mkdirSync(dir, { recursive: true });
    const summary = {
      project: this.projectName,
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.writeFileSync(path.join(dir, `${this.projectName}.json`), JSON.stringify(summary) + '\n');
  }
}

module.exports = JestSummaryReporter;
