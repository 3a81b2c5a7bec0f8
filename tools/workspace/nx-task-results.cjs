// A local Nx plugin with one hook: after a run, it writes each task's outcome to the file named by
// RICOCHET_TASK_RESULTS, so the pipeline counts failed tasks from data instead of from Nx's printed text.
const { writeFileSync } = require('node:fs');

module.exports = {
  name: 'ricochet-task-results',
  /** @param {unknown} _options @param {{ taskResults: Record<string, { status: string; code?: number }> }} context */
  postTasksExecution(_options, context) {
    const file = process.env.RICOCHET_TASK_RESULTS;
    if (!file) return;
    const outcomes = Object.fromEntries(
      Object.entries(context.taskResults).map(([id, result]) => [id, { status: result.status, code: result.code }]),
    );
    writeFileSync(file, `${JSON.stringify(outcomes, null, 2)}\n`);
  },
};
